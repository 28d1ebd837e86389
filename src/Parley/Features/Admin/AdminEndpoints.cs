using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Features.Analytics;
using Parley.Features.Auth;
using Parley.Features.Billing;
using Parley.Features.Usage;
using Parley.Web;

namespace Parley.Features.Admin;

/// <summary>
/// A user as the operator sees them. <c>MessagesUsed</c>: in their current window; <c>LastActiveAt</c>: their last
/// message or sign-in (a session refreshed), whichever came later.
/// </summary>
public sealed record AdminUserResponse(
    Guid Id, string Email, string? DisplayName, Plan Plan, bool PremiumGranted, bool IsAdmin, bool Disabled, int MessagesUsed,
    DateTimeOffset SignedUpAt, DateTimeOffset? LastActiveAt);

public sealed record AdminUsersResponse(IReadOnlyList<AdminUserResponse> Users, string? NextCursor);

public sealed record AdminActionResponse(long Id, string AdminEmail, string Action, string TargetEmail, DateTimeOffset At);

public sealed record AdminActionsResponse(IReadOnlyList<AdminActionResponse> Actions);

public sealed record SetPremiumRequest(bool Premium);

public sealed record SetDisabledRequest(bool Disabled);

/// <summary>
/// The admin area's users table and its actions (grant or remove Premium as <c>set-plan</c> does, disable or enable,
/// reset the current window's usage), each written to the audit log with who did it. Every endpoint answers 403 to
/// anyone but an admin (<see cref="AdminAccess"/>).
/// </summary>
public static class AdminEndpoints
{
    private const int PageSize = 50;

    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization().AddEndpointFilter(AdminAccess.RequireAdmin)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/users", Users).WithName("AdminListUsers")
            .WithSummary("Users, newest first, optionally those whose email contains q; 50 a page.");
        group.MapPost("/users/{userId:guid}/premium", SetPremium).WithName("AdminSetPremium")
            .WithSummary("Grant or remove Premium (as set-plan does; a paid subscription is not touched).").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/users/{userId:guid}/disabled", SetDisabled).WithName("AdminSetDisabled")
            .WithSummary("Disable an account (it can't sign in; its sessions end at once) or enable it again.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/users/{userId:guid}/reset-usage", ResetUsage).WithName("AdminResetUsage")
            .WithSummary("Give back every message of the user's current window (the ledger keeps what happened).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/audit", Audit).WithName("AdminAuditLog").WithSummary("What admins did, newest first (the last 200).");
        return group.MapDashboard();
    }

    private static async Task<Ok<AdminUsersResponse>> Users(
        string? q, string? cursor, AppDbContext db, AdminAccess access, BillingRuntime billing,
        Microsoft.Extensions.Options.IOptions<BillingOptions> billingOptions, Microsoft.Extensions.Options.IOptions<UsageOptions> usage,
        TimeProvider time, CancellationToken ct)
    {
        var query = db.Users.AsNoTracking();
        if (q?.Trim() is { Length: > 0 } text)
        {
            var needle = text.ToLowerInvariant();
            query = query.Where(u => u.NormalizedEmail.Contains(needle));
        }

        if (Cursor(cursor) is { } after)
        {
            query = query.Where(u => u.CreatedAt < after.CreatedAt || (u.CreatedAt == after.CreatedAt && u.Id.CompareTo(after.Id) < 0));
        }

        var page = await query.OrderByDescending(u => u.CreatedAt).ThenByDescending(u => u.Id).Take(PageSize + 1)
            .Select(u => new
            {
                u.Id, u.Email, u.NormalizedEmail, u.DisplayName, u.IsPremium, u.IsAdmin, u.DisabledAt, u.CreatedAt, u.LastMessageAt,
                LastSignIn = db.RefreshTokens.Where(t => t.UserId == u.Id).Max(t => (DateTime?)t.CreatedAt),
            }).ToListAsync(ct);
        var shown = page.Take(PageSize).ToList();
        var ids = shown.Select(u => u.Id).ToList();

        // The page's plans and usage in two queries, as QuotaService counts them one user at a time: the messages of the
        // current window not given back, and Premium granted or a subscription that entitles.
        var now = time.GetUtcNow().UtcDateTime;
        var since = now - usage.Value.Window;
        var used = await db.UsageEntries.Where(e => e.UserId != null && ids.Contains(e.UserId.Value) && e.OccurredAt > since && e.Kind == UsageKind.Message &&
                                                    !db.UsageEntries.Any(r => r.RefundsEntryId == e.Id))
            .GroupBy(e => e.UserId!.Value).Select(g => new { User = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.User, g => g.Count, ct);
        var account = billing.Account;
        var subscriptions = billing.Mode == BillingMode.NotConfigured ? []
            : await db.Subscriptions.AsNoTracking().Where(s => s.UserId != null && ids.Contains(s.UserId.Value) && (s.Account == null || s.Account == account))
                .ToListAsync(ct);
        var grace = billingOptions.Value.PastDueGracePeriod;
        var paying = subscriptions.Where(s => Entitlements.Entitles(s, now, grace)).Select(s => s.UserId!.Value).ToHashSet();

        var users = shown.Select(u => new AdminUserResponse(u.Id, u.Email, u.DisplayName, u.IsPremium || paying.Contains(u.Id) ? Plan.Premium : Plan.Free,
            u.IsPremium, u.IsAdmin || access.IsListed(u.NormalizedEmail), u.DisabledAt is not null, used.GetValueOrDefault(u.Id),
            Utc(u.CreatedAt), new[] { u.LastMessageAt, u.LastSignIn }.Max() is { } at ? Utc(at) : null)).ToList();
        var next = page.Count > PageSize ? $"{page[PageSize - 1].CreatedAt.Ticks}_{page[PageSize - 1].Id:N}" : null;
        return TypedResults.Ok(new AdminUsersResponse(users, next));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetPremium(
        Guid userId, SetPremiumRequest request, AppDbContext db, HttpContext http, TimeProvider time, CancellationToken ct) =>
        await ActAsync(db, http, time, userId, request.Premium ? "grant-premium" : "remove-premium", ct, token =>
            db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsPremium, request.Premium), token));

    private static async Task<Results<NoContent, ProblemHttpResult>> SetDisabled(
        Guid userId, SetDisabledRequest request, AppDbContext db, RefreshTokens refresh, HttpContext http, TimeProvider time,
        CancellationToken ct)
    {
        if (request.Disabled && userId == http.User.UserId())
        {
            return TypedResults.Problem("You can't disable your own account: another admin can.", statusCode: StatusCodes.Status409Conflict,
                title: "That is you", type: ProblemTypes.Conflict);
        }

        var now = time.GetUtcNow().UtcDateTime;
        return await ActAsync(db, http, time, userId, request.Disabled ? "disable" : "enable", ct, async token =>
        {
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisabledAt, request.Disabled ? now : null), token);
            if (request.Disabled)
            {
                await refresh.RevokeAllAsync(userId, null, token); // every session ends at once
            }

            return 1;
        });
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ResetUsage(
        Guid userId, AppDbContext db, QuotaService quota, HttpContext http, TimeProvider time, CancellationToken ct) =>
        await ActAsync(db, http, time, userId, "reset-usage", ct, token => quota.ResetWindowAsync(userId, token));

    private static async Task<Ok<AdminActionsResponse>> Audit(AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(new AdminActionsResponse(await db.AdminActions.AsNoTracking().OrderByDescending(a => a.Id).Take(200)
            .Select(a => new AdminActionResponse(a.Id, a.AdminEmail, a.Action, a.TargetEmail, new DateTimeOffset(DateTime.SpecifyKind(a.At, DateTimeKind.Utc))))
            .ToListAsync(ct)));

    /// <summary>Does <paramref name="act"/> to the user and logs it, in one transaction; 404 when there is no such user.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The action reads best as a trailing lambda.")]
    private static async Task<Results<NoContent, ProblemHttpResult>> ActAsync(
        AppDbContext db, HttpContext http, TimeProvider time, Guid userId, string action, CancellationToken ct, Func<CancellationToken, Task<int>> act)
    {
        var adminId = http.User.UserId();
        var done = await db.RetryingAsync(async token =>
        {
            await using var tx = await db.BeginWriteAsync(token);
            var emails = await db.Users.AsNoTracking().Where(u => u.Id == userId || u.Id == adminId)
                .Select(u => new { u.Id, u.Email }).ToDictionaryAsync(u => u.Id, u => u.Email, token);
            if (!emails.TryGetValue(userId, out var target))
            {
                return false;
            }

            await act(token);
            db.AdminActions.Add(new AdminAction
            {
                AdminId = adminId, AdminEmail = emails.GetValueOrDefault(adminId, "?"), Action = action, TargetId = userId, TargetEmail = target,
                At = time.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(token);
            await tx.CommitAsync(token);
            db.ChangeTracker.Clear();
            return true;
        }, ct);
        return done ? TypedResults.NoContent()
            : TypedResults.Problem("There is no such user; the account may have been deleted.", statusCode: StatusCodes.Status404NotFound,
                title: "User not found", type: ProblemTypes.NotFound);
    }

    private static (DateTime CreatedAt, Guid Id)? Cursor(string? cursor) =>
        cursor?.Split('_') is [var ticks, var id] && long.TryParse(ticks, out var t) && t > 0 && t < DateTime.MaxValue.Ticks && Guid.TryParse(id, out var g)
            ? (new DateTime(t, DateTimeKind.Utc), g) : null;

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
