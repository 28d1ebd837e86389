using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Features.Auth;
using Parley.Web;

namespace Parley.Features.Admin;

public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary><c>ADMIN_EMAILS</c>: comma-separated emails whose accounts are admins (besides <c>set-role</c>).</summary>
    public string? Emails { get; set; }

    private IReadOnlySet<string>? _normalized;

    /// <summary>The listed emails, normalized; read once (options are bound once, at start-up).</summary>
    public IReadOnlySet<string> Normalized => _normalized ??=
        (Emails ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries).Select(UserMappings.NormalizeEmail).ToHashSet();

    /// <summary>Whether the user is an admin: by role, or listed.</summary>
    public bool Includes(User user) => user.IsAdmin || Normalized.Contains(user.NormalizedEmail);
}

/// <summary>
/// Who is an admin: an account made one with <c>set-role EMAIL admin</c>, or whose email is in <c>ADMIN_EMAILS</c>.
/// Read from the database on every admin request, so a demotion (or a disabled account) takes effect at once.
/// </summary>
public sealed class AdminAccess(AppDbContext db, IOptions<AdminOptions> options)
{
    public async Task<bool> IsAdminAsync(Guid userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.IsAdmin, u.NormalizedEmail, u.DisabledAt }).SingleOrDefaultAsync(ct);
        return user is { DisabledAt: null } && (user.IsAdmin || options.Value.Normalized.Contains(user.NormalizedEmail));
    }

    public bool IsListed(string normalizedEmail) => options.Value.Normalized.Contains(normalizedEmail);

    /// <summary>The filter on every admin endpoint: 403 for anyone but an admin (401 before it, for no one signed in).</summary>
    public static async ValueTask<object?> RequireAdmin(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var access = http.RequestServices.GetRequiredService<AdminAccess>();
        if (!await access.IsAdminAsync(http.User.UserId(), http.RequestAborted))
        {
            return TypedResults.Problem("This part of Parley is for its operators.", statusCode: StatusCodes.Status403Forbidden,
                title: "Admins only", type: ProblemTypes.Forbidden);
        }

        return await next(context);
    }
}
