using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;

namespace Parley.Features.Billing;

/// <summary>Where a user's Premium comes from, and until when.</summary>
public sealed record Entitlement(bool IsPremium, Subscription? Subscription, DateTimeOffset? GraceEndsAt);

/// <summary>
/// Premium while a subscription is active or trialing (a cancelled one until its period ends), and while past_due
/// for the grace period; free when canceled, unpaid, incomplete or expired. An operator's set-plan grant also counts.
/// Only subscriptions of the Stripe account in use count: none when payments are not configured (so nothing made in
/// an earlier test mode carries over), and a test-mode one never once real keys are set.
/// </summary>
public sealed class Entitlements(AppDbContext db, BillingRuntime runtime, IOptions<BillingOptions> options, TimeProvider time)
{
    public async Task<Entitlement> ForAsync(Guid userId, CancellationToken ct)
    {
        var granted = await db.Users.Where(u => u.Id == userId).Select(u => u.IsPremium).SingleAsync(ct);
        var account = runtime.Account;
        var subscriptions = runtime.Mode == BillingMode.NotConfigured
            ? []
            : await db.Subscriptions.AsNoTracking()
                .Where(s => s.UserId == userId && (s.Account == null || s.Account == account)).ToListAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var grace = options.Value.PastDueGracePeriod;

        var best = subscriptions
            .OrderByDescending(s => Entitles(s, now, grace))
            .ThenByDescending(s => s.UpdatedAt)
            .FirstOrDefault();
        var subscribed = best is not null && Entitles(best, now, grace);
        DateTimeOffset? graceEnds = best is { Status: "past_due", PastDueSince: { } since } ? Utc(since + grace) : null;
        return new Entitlement(granted || subscribed, best, graceEnds);
    }

    public static bool Entitles(Subscription s, DateTime now, TimeSpan grace) => s.Status switch
    {
        "active" or "trialing" => !(s.CancelAtPeriodEnd && s.CurrentPeriodEnd is { } end && end <= now),
        "past_due" => s.PastDueSince is { } since && now < since + grace,
        _ => false,
    };

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
