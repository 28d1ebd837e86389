using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;

namespace Parley.Features.Auth;

/// <summary>Opaque refresh tokens: 256 random bits, stored as SHA-256, rotated on every use.</summary>
public sealed class RefreshTokens(AppDbContext db, IOptions<AuthOptions> options, TimeProvider time)
{
    public sealed record Issued(string Token, DateTimeOffset ExpiresAt);

    public async Task<Issued> IssueAsync(Guid userId, Guid? familyId, CancellationToken ct)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var expires = now + options.Value.RefreshTokenLifetime;
        db.RefreshTokens.Add(new RefreshToken
        {
            UserId = userId,
            FamilyId = familyId ?? Guid.CreateVersion7(),
            TokenHash = Hash(token),
            CreatedAt = now.UtcDateTime,
            ExpiresAt = expires.UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        return new(token, expires);
    }

    /// <summary>
    /// Spends <paramref name="token"/> and returns its user and a fresh token of the same family, or null when the
    /// token is unknown, expired, revoked or already spent. Spending is a conditional update, so two concurrent
    /// refreshes with one token cannot both win; a spent token coming back revokes its whole family.
    /// </summary>
    public async Task<(User User, Issued Next)?> RotateAsync(string? token, CancellationToken ct)
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

        return (user, await IssueAsync(user.Id, stored.FamilyId, ct));
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

    private Task<int> RevokeFamilyAsync(Guid familyId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
