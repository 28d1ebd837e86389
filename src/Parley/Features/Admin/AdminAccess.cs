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

    /// <summary>
    /// <c>ADMIN_TIME_ZONE</c>: the IANA time zone the dashboard's days run in, midnight to midnight (daily roll-ups are
    /// kept per zone, so changing it rolls the days up again).
    /// </summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// <c>MODEL_PRICES</c>: what each model costs, in the subscription's currency per million tokens, input/output:
    /// <c>gpt-4o=2.5/10, gpt-4o-mini=0.15/0.6</c>. The dashboard estimates each model's cost from it.
    /// </summary>
    public string? ModelPrices { get; set; }

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    private IReadOnlyDictionary<string, (decimal Input, decimal Output)>? _prices;

    /// <summary>
    /// The prices by model, parsed once (options are bound once, at start-up); throws <see cref="FormatException"/>
    /// for an entry that is not <c>model=in/out</c>.
    /// </summary>
    public IReadOnlyDictionary<string, (decimal Input, decimal Output)> Prices() => _prices ??= ParsePrices();

    private Dictionary<string, (decimal Input, decimal Output)> ParsePrices() =>
        (ModelPrices ?? "").Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(entry => entry.Split('=', 2) is [var model, var price] && price.Split('/') is [var input, var output] &&
                             decimal.TryParse(input, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var i) &&
                             decimal.TryParse(output, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var o) && i >= 0 && o >= 0
                ? (Model: model.Trim(), Price: (i, o))
                : throw new FormatException($"MODEL_PRICES: \"{entry}\" is not model=input/output (prices per million tokens, e.g. gpt-4o=2.5/10)."))
            .ToDictionary(p => p.Model, p => p.Price, StringComparer.Ordinal);

    /// <summary>Why the settings can't be used, or null.</summary>
    public string? Problem()
    {
        try
        {
            _ = Zone;
            _ = Prices();
            return null;
        }
        catch (TimeZoneNotFoundException)
        {
            return $"ADMIN_TIME_ZONE: \"{TimeZone}\" is not a time zone this machine knows (use an IANA name such as Europe/Paris).";
        }
        catch (InvalidTimeZoneException)
        {
            return $"ADMIN_TIME_ZONE: \"{TimeZone}\" could not be read.";
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }
    }
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
