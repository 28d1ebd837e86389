using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;

namespace Parley.Features.Auth;

/// <summary>Per-account lockout after repeated failures (the per-IP limit is the "auth" rate-limiter policy).</summary>
public sealed class LoginGuard(AppDbContext db, IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>How long the email stays locked, or null when a login may be tried.</summary>
    public async Task<TimeSpan?> LockedForAsync(string normalizedEmail, CancellationToken ct)
    {
        var lockedUntil = await db.LoginThrottles.AsNoTracking()
            .Where(t => t.NormalizedEmail == normalizedEmail)
            .Select(t => t.LockedUntil)
            .SingleOrDefaultAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        return lockedUntil > now ? lockedUntil - now : null;
    }

    public async Task RecordFailureAsync(string normalizedEmail, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var throttle = await db.LoginThrottles.SingleOrDefaultAsync(t => t.NormalizedEmail == normalizedEmail, ct);
        if (throttle is null)
        {
            throttle = new LoginThrottle { NormalizedEmail = normalizedEmail };
            db.LoginThrottles.Add(throttle);
        }
        else if (now - throttle.LastFailureAt > o.LockoutDuration)
        {
            throttle.Failures = 0; // Old failures are forgiven once a lockout period has passed quietly.
        }

        throttle.Failures++;
        throttle.LastFailureAt = now;
        if (throttle.Failures >= o.MaxFailedLogins)
        {
            throttle.LockedUntil = now + o.LockoutDuration;
            throttle.Failures = 0;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two first failures for one email raced on the insert; the other one counted. Good enough for a throttle.
            db.ChangeTracker.Clear();
        }
    }

    public Task RecordSuccessAsync(string normalizedEmail, CancellationToken ct) =>
        db.LoginThrottles.Where(t => t.NormalizedEmail == normalizedEmail).ExecuteDeleteAsync(ct);
}
