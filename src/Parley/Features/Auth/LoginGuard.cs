using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;

namespace Parley.Features.Auth;

/// <summary>
/// Repeated failed sign-ins, following OWASP's device-cookie pattern. A browser that signed in to the account before
/// (a <see cref="TrustedDevice"/>) has its own failure count and is never held back by anyone else's failures. Every
/// other client shares one count per email: after <see cref="AuthOptions.MaxFailedLogins"/> failures the email is
/// locked for unknown clients for <see cref="AuthOptions.LockoutDuration"/>. So a stranger can slow down guessing
/// but cannot lock the owner out of the browser they use. The per-IP limit is the "auth" rate-limiter policy.
/// </summary>
public sealed class LoginGuard(AppDbContext db, IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>The trusted device the cookie names, if it belongs to <paramref name="userId"/> and is not itself locked.</summary>
    public async Task<TrustedDevice?> TrustedDeviceAsync(string? cookie, Guid? userId, CancellationToken ct)
    {
        if (userId is null || string.IsNullOrEmpty(cookie) || cookie.Length > 128)
        {
            return null;
        }

        var hash = Hash(cookie);
        var now = time.GetUtcNow().UtcDateTime;
        return await db.TrustedDevices.SingleOrDefaultAsync(
            d => d.TokenHash == hash && d.UserId == userId && (d.LockedUntil == null || d.LockedUntil <= now), ct);
    }

    /// <summary>How long the email stays locked for unknown clients, or null when a login may be tried.</summary>
    public async Task<TimeSpan?> LockedForAsync(string normalizedEmail, CancellationToken ct)
    {
        var lockedUntil = await db.LoginThrottles.AsNoTracking()
            .Where(t => t.NormalizedEmail == normalizedEmail)
            .Select(t => t.LockedUntil)
            .SingleOrDefaultAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        return lockedUntil > now ? lockedUntil - now : null;
    }

    public async Task RecordFailureAsync(string normalizedEmail, TrustedDevice? device, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        if (device is not null)
        {
            // Guessing from the owner's own browser: that browser loses its trust for a while, nobody else is affected.
            device.Failures++;
            if (device.Failures >= o.MaxFailedLogins)
            {
                device.LockedUntil = now + o.LockoutDuration;
                device.Failures = 0;
            }

            await db.SaveChangesAsync(ct);
            return;
        }

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

    /// <summary>
    /// A successful sign-in: the device's failures are forgiven, or (from an unknown client) the email's, and the
    /// client becomes a trusted device. Returns the device cookie to set, or null to keep the one it has.
    /// </summary>
    public async Task<string?> RecordSuccessAsync(string normalizedEmail, Guid userId, TrustedDevice? device, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (device is not null)
        {
            device.Failures = 0;
            device.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
            return null;
        }

        await db.LoginThrottles.Where(t => t.NormalizedEmail == normalizedEmail).ExecuteDeleteAsync(ct);
        return await TrustAsync(userId, ct);
    }

    /// <summary>Makes the calling browser a trusted device of <paramref name="userId"/>; returns its cookie value.</summary>
    public async Task<string> TrustAsync(Guid userId, CancellationToken ct)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = time.GetUtcNow().UtcDateTime;
        db.TrustedDevices.Add(new TrustedDevice { UserId = userId, TokenHash = Hash(token), CreatedAt = now, LastUsedAt = now });
        await db.SaveChangesAsync(ct);
        return token;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
