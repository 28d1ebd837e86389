using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;

namespace Parley.Features.Auth;

/// <summary>Opaque refresh tokens: 256 random bits, stored as SHA-256, rotated on every use.</summary>
public sealed class RefreshTokens(AppDbContext db, IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>A token and its session: <see cref="FamilyId"/> is the session's id (the access token's <c>sid</c>).</summary>
    public sealed record Issued(string Token, DateTimeOffset ExpiresAt, Guid FamilyId);

    /// <summary>Who is asking for a token: shown in the sessions list as device and address.</summary>
    public sealed record Client(string? UserAgent, string? IpAddress)
    {
        public static Client From(HttpContext http) => new(
            http.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua[..Math.Min(ua.Length, RefreshToken.MaxUserAgentLength)] : null,
            http.Connection.RemoteIpAddress?.ToString());
    }

    public async Task<Issued> IssueAsync(Guid userId, Guid? familyId, Client client, CancellationToken ct)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var expires = now + options.Value.RefreshTokenLifetime;
        var family = familyId ?? Guid.CreateVersion7();
        db.RefreshTokens.Add(new RefreshToken
        {
            UserId = userId,
            FamilyId = family,
            TokenHash = Hash(token),
            CreatedAt = now.UtcDateTime,
            ExpiresAt = expires.UtcDateTime,
            UserAgent = client.UserAgent,
            IpAddress = client.IpAddress,
        });
        await db.SaveChangesAsync(ct);
        return new(token, expires, family);
    }

    /// <summary>
    /// Spends <paramref name="token"/> and returns its user and a fresh token of the same family, or null when the
    /// token is unknown, expired, revoked or already spent. Spending is a conditional update, so two concurrent
    /// refreshes with one token cannot both win; a spent token coming back revokes its whole family.
    /// </summary>
    public async Task<(User User, Issued Next)?> RotateAsync(string? token, Client client, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return null;
        }

        var hash = Hash(token);
        var stored = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (stored is null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (stored.RevokedAt is not null || stored.ExpiresAt <= now)
        {
            return null;
        }

        var spent = await db.RefreshTokens
            .Where(t => t.Id == stored.Id && t.UsedAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), ct);
        if (spent != 1)
        {
            await RevokeFamilyAsync(stored.FamilyId, ct);
            return null;
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == stored.UserId, ct);
        if (user is null)
        {
            return null;
        }

        return (user, await IssueAsync(user.Id, stored.FamilyId, client, ct));
    }

    /// <summary>Ends the session the token belongs to (sign-out); unknown tokens are ignored.</summary>
    public async Task RevokeAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return;
        }

        var hash = Hash(token);
        var family = await db.RefreshTokens.Where(t => t.TokenHash == hash).Select(t => (Guid?)t.FamilyId)
            .SingleOrDefaultAsync(ct);
        if (family is not null)
        {
            await RevokeFamilyAsync(family.Value, ct);
        }
    }

    public Task<int> RevokeFamilyAsync(Guid familyId, CancellationToken ct) =>
        RevokeAsync(db.RefreshTokens.Where(t => t.FamilyId == familyId), ct);

    /// <summary>Ends every session of the user but <paramref name="keep"/> (a password change: the other devices sign in again).</summary>
    public Task<int> RevokeAllAsync(Guid userId, Guid? keep, CancellationToken ct) =>
        RevokeAsync(db.RefreshTokens.Where(t => t.UserId == userId && t.FamilyId != keep), ct);

    private Task<int> RevokeAsync(IQueryable<RefreshToken> tokens, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return tokens.Where(t => t.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
