using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Features.Auth;

namespace Parley.Features.Account;

/// <summary>
/// A user's signed-in sessions: each is a refresh-token family whose newest token is neither spent nor revoked nor
/// expired. Ending one revokes its family, which also stops its access token at once (Auth/AuthSetup).
/// </summary>
public sealed class Sessions(AppDbContext db, RefreshTokens refresh, TimeProvider time)
{
    public async Task<IReadOnlyList<DeviceSessionResponse>> ListAsync(Guid userId, Guid? current, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var heads = await db.RefreshTokens.AsNoTracking()
            .Where(t => t.UserId == userId && t.UsedAt == null && t.RevokedAt == null && t.ExpiresAt > now)
            .Select(t => new { t.FamilyId, t.UserAgent, t.IpAddress, t.CreatedAt })
            .ToListAsync(ct);
        var ids = heads.Select(h => h.FamilyId).ToList();
        var started = await db.RefreshTokens.AsNoTracking().Where(t => ids.Contains(t.FamilyId))
            .GroupBy(t => t.FamilyId).Select(g => new { g.Key, First = g.Min(t => t.CreatedAt) })
            .ToDictionaryAsync(g => g.Key, g => g.First, ct);
        return
        [
            .. heads
                .Select(h => new DeviceSessionResponse(h.FamilyId, DeviceNames.Describe(h.UserAgent), h.IpAddress,
                    Utc(started.GetValueOrDefault(h.FamilyId, h.CreatedAt)), Utc(h.CreatedAt), h.FamilyId == current))
                .OrderByDescending(s => s.Current).ThenByDescending(s => s.LastActiveAt),
        ];
    }

    /// <summary>Ends one of the user's sessions; false when they have no such session (someone else's is not told apart).</summary>
    public async Task<bool> EndAsync(Guid userId, Guid sessionId, CancellationToken ct) =>
        await db.RefreshTokens.AnyAsync(t => t.FamilyId == sessionId && t.UserId == userId && t.RevokedAt == null, ct)
        && await refresh.RevokeFamilyAsync(sessionId, ct) > 0;

    /// <summary>Ends every session of the user but <paramref name="current"/>; how many ended.</summary>
    public async Task<int> EndOthersAsync(Guid userId, Guid? current, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var live = await db.RefreshTokens
            .Where(t => t.UserId == userId && t.FamilyId != current && t.UsedAt == null && t.RevokedAt == null && t.ExpiresAt > now)
            .CountAsync(ct);
        await refresh.RevokeAllAsync(userId, current, ct);
        return live;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
