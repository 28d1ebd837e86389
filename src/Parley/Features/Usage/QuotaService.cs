using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Features.Auth;
using Parley.Features.Billing;

namespace Parley.Features.Usage;

/// <summary>
/// Reads and takes from the usage ledger. A sliding window: a message counts until <see cref="UsageOptions.Window"/>
/// after it was sent. See docs/decisions/0003-usage-ledger.md for why this is a ledger and how taking is atomic.
/// </summary>
public sealed class QuotaService(AppDbContext db, Entitlements entitlements, IOptions<UsageOptions> options, TimeProvider time)
{
    private int? LimitFor(bool isPremium) =>
        isPremium ? options.Value.PremiumMessageLimit : options.Value.FreeMessageLimit;

    public async Task<UsageResponse> GetAsync(Guid userId, CancellationToken ct)
    {
        var isPremium = (await entitlements.ForAsync(userId, ct)).IsPremium;
        return await ComputeAsync(userId, isPremium, ct);
    }

    /// <summary>
    /// Opens the transaction quota is taken in. Its first statement updates the user's row, which locks it (a row
    /// lock on PostgreSQL, the write lock on SQLite) until the transaction ends, so the count in
    /// <see cref="TryTakeAsync"/> sees every entry a concurrent send of the same user committed: K parallel sends with
    /// R remaining admit exactly R. Locking before anything else is written also gives every such transaction the
    /// same lock order (user, then chat), so two of them can never deadlock.
    /// </summary>
    public async Task<IDbContextTransaction> BeginAsync(Guid userId, CancellationToken ct)
    {
        var tx = await db.BeginWriteAsync(ct);
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.UsageRevision, u => u.UsageRevision + 1), ct);
        return tx;
    }

    /// <summary>
    /// Takes one message from the quota, inside a transaction from <see cref="BeginAsync"/>. Returns the new entry
    /// and the usage after it, or null with the current usage when the limit is reached.
    /// </summary>
    public async Task<(UsageEntry? Entry, UsageResponse Usage)> TryTakeAsync(Guid userId, long messageId, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Taking quota must happen inside a transaction from QuotaService.BeginAsync.");
        }

        var isPremium = (await entitlements.ForAsync(userId, ct)).IsPremium;
        var before = await ComputeAsync(userId, isPremium, ct);
        if (before.Remaining <= 0)
        {
            return (null, before);
        }

        var entry = new UsageEntry
        {
            UserId = userId,
            Kind = UsageKind.Message,
            OccurredAt = time.GetUtcNow().UtcDateTime,
            MessageId = messageId,
        };
        db.UsageEntries.Add(entry);
        await db.SaveChangesAsync(ct);
        // Under the lock nothing else changed: the usage after is the usage before plus this entry.
        return (entry, before with
        {
            Used = before.Used + 1,
            Remaining = before.Remaining - 1,
            NextFreeAt = before.NextFreeAt ?? new DateTimeOffset(entry.OccurredAt, TimeSpan.Zero) + options.Value.Window,
        });
    }

    /// <summary>Records the tokens a finished reply used (a separate ledger entry: entries are never updated).</summary>
    public async Task RecordTokensAsync(Guid userId, long messageId, int tokens, CancellationToken ct)
    {
        if (tokens <= 0)
        {
            return;
        }

        db.UsageEntries.Add(new UsageEntry
        {
            UserId = userId,
            Kind = UsageKind.Tokens,
            OccurredAt = time.GetUtcNow().UtcDateTime,
            MessageId = messageId,
            Tokens = tokens,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Gives a taken message back (the bot failed), by appending a refund entry.</summary>
    public async Task RefundAsync(UsageEntry entry, CancellationToken ct)
    {
        db.UsageEntries.Add(new UsageEntry
        {
            UserId = entry.UserId,
            Kind = UsageKind.Refund,
            OccurredAt = time.GetUtcNow().UtcDateTime,
            RefundsEntryId = entry.Id,
            MessageId = entry.MessageId,
        });
        await db.SaveChangesAsync(ct);
    }

    private async Task<UsageResponse> ComputeAsync(Guid userId, bool isPremium, CancellationToken ct)
    {
        var window = options.Value.Window;
        var since = time.GetUtcNow().UtcDateTime - window;
        // One pass over the user's window of the ledger: messages not refunded (how many, the oldest) and tokens.
        var ledger = await db.UsageEntries
            .Where(e => e.UserId == userId && e.OccurredAt > since &&
                        ((e.Kind == UsageKind.Message && !db.UsageEntries.Any(r => r.RefundsEntryId == e.Id)) || e.Kind == UsageKind.Tokens))
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Used = g.Count(e => e.Kind == UsageKind.Message),
                Oldest = g.Where(e => e.Kind == UsageKind.Message).Min(e => (DateTime?)e.OccurredAt),
                Tokens = g.Sum(e => e.Kind == UsageKind.Tokens ? (long)e.Tokens : 0L),
            })
            .SingleOrDefaultAsync(ct);
        var (used, oldest, tokens) = (ledger?.Used ?? 0, ledger?.Oldest, ledger?.Tokens ?? 0);
        var tokenLimit = isPremium ? options.Value.PremiumTokenLimit : options.Value.FreeTokenLimit;
        var limit = LimitFor(isPremium);
        DateTimeOffset? nextFree = oldest is null ? null : new DateTimeOffset(oldest.Value, TimeSpan.Zero) + window;
        return new UsageResponse(
            isPremium ? Plan.Premium : Plan.Free,
            used,
            limit,
            // Out of tokens means out of messages too: no reply could be written.
            limit is null && tokenLimit is null ? null
                : tokenLimit is { } t && tokens >= t ? 0
                : limit is null ? null : Math.Max(0, limit.Value - used),
            (int)window.TotalSeconds,
            nextFree,
            tokens,
            tokenLimit);
    }
}
