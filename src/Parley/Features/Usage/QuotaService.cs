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
public sealed class QuotaService(
    AppDbContext db, Entitlements entitlements, IOptions<UsageOptions> options, TimeProvider time, UsageHints hints)
{
    private int? LimitFor(bool isPremium) =>
        isPremium ? options.Value.PremiumMessageLimit : options.Value.FreeMessageLimit;

    public async Task<UsageResponse> GetAsync(Guid userId, CancellationToken ct)
    {
        var isPremium = (await entitlements.ForAsync(userId, ct)).IsPremium;
        var usage = (await ComputeAsync(userId, isPremium, ct)).Usage;
        hints.Remember(userId, usage);
        return usage;
    }

    /// <summary>
    /// Opens a transaction that writes the user's usage: the one quota is taken in, and the ones that record a reply's
    /// tokens or refund it. Its first statement updates the user's row, which locks it (a row
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
        var (before, window) = await ComputeAsync(userId, isPremium, ct);
        if (before.Remaining <= 0)
        {
            hints.Remember(userId, before);
            return (null, before);
        }

        var entry = new UsageEntry
        {
            UserId = userId,
            Kind = UsageKind.Message,
            // As stored, so the usage derived from it equals the usage read back.
            OccurredAt = time.UtcNowAsStored(),
            MessageId = messageId,
        };
        db.UsageEntries.Add(entry);
        await db.SaveChangesAsync(ct);
        // Under the lock: the counter moves up to the window's start, with this entry in it.
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.UsageCountedFrom, window.Since)
            .SetProperty(u => u.LastMessageAt, entry.OccurredAt)
            .SetProperty(u => u.UsageMessages, window.Messages + 1)
            .SetProperty(u => u.UsageTokens, window.Tokens), ct);
        // Under the lock nothing else changed: the usage after is the usage before plus this entry.
        var after = before with
        {
            Used = before.Used + 1,
            Remaining = before.Remaining - 1,
            NextFreeAt = before.NextFreeAt ?? new DateTimeOffset(entry.OccurredAt, TimeSpan.Zero) + options.Value.Window,
        };
        hints.Remember(userId, after);
        return (entry, after);
    }

    /// <summary>
    /// The usage after <paramref name="tokens"/> more were recorded for a reply, derived from the usage its send
    /// returned instead of read again: the send's count stands until the reply ends, moments later.
    /// </summary>
    public static UsageResponse AfterTokens(UsageResponse before, long tokens)
    {
        var total = before.TokensUsed + tokens;
        return before with { TokensUsed = total, Remaining = Remaining(before.Limit, before.TokenLimit, before.Used, total) };
    }

    /// <summary>Records the tokens a finished reply used (a separate ledger entry: entries are never updated).</summary>
    public async Task RecordTokensAsync(Guid userId, long messageId, int tokens, CancellationToken ct)
    {
        if (tokens <= 0)
        {
            return;
        }

        var entry = new UsageEntry
        {
            UserId = userId,
            Kind = UsageKind.Tokens,
            OccurredAt = time.GetUtcNow().UtcDateTime,
            MessageId = messageId,
            Tokens = tokens,
        };
        db.UsageEntries.Add(entry);
        await db.SaveChangesAsync(ct);
        await CountAsync(entry, 0, tokens, ct);
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
        await CountAsync(entry, -1, 0, ct);
    }

    /// <summary>
    /// An admin's reset: every message of the user's current window is given back (a refund entry each) and its tokens
    /// offset (one negative token entry), so the ledger still shows what happened. Inside the caller's transaction;
    /// locks the user's row first, like every usage write, and has the counter recounted at the next read.
    /// </summary>
    public async Task<int> ResetWindowAsync(Guid userId, CancellationToken ct)
    {
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.UsageRevision, u => u.UsageRevision + 1), ct);
        var now = time.GetUtcNow().UtcDateTime;
        var since = now - options.Value.Window;
        // Messages and token entries alike are refunded one by one: each leaves the window with what it refunds.
        var open = await db.UsageEntries.AsNoTracking()
            .Where(e => e.UserId == userId && e.OccurredAt > since && (e.Kind == UsageKind.Message || e.Kind == UsageKind.Tokens) &&
                        !db.UsageEntries.Any(r => r.RefundsEntryId == e.Id))
            .Select(e => new { e.Id, e.MessageId, e.Kind }).ToListAsync(ct);
        db.UsageEntries.AddRange(open.Select(e => new UsageEntry
        {
            UserId = userId, Kind = UsageKind.Refund, OccurredAt = now, RefundsEntryId = e.Id, MessageId = e.MessageId,
        }));
        await db.SaveChangesAsync(ct);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.UsageCountedFrom, (DateTime?)null)
            .SetProperty(u => u.UsageMessages, 0)
            .SetProperty(u => u.UsageTokens, 0L), ct);
        return open.Count(e => e.Kind == UsageKind.Message);
    }

    /// <summary>
    /// Adds to the user's counter, in the caller's transaction, for an entry it counts (one after
    /// <see cref="User.UsageCountedFrom"/>). Relative and unconditional on a counter not yet made, so on PostgreSQL it
    /// waits for a take holding the row and applies on top of what that take wrote; a take waiting for it then sees
    /// this transaction's entries (ADR 0012).
    /// </summary>
    private Task CountAsync(UsageEntry entry, int messages, long tokens, CancellationToken ct) =>
        db.Users.Where(u => u.Id == entry.UserId && (u.UsageCountedFrom == null || u.UsageCountedFrom < entry.OccurredAt))
            .ExecuteUpdateAsync(s => s
                .SetProperty(u => u.UsageMessages, u => u.UsageMessages + messages)
                .SetProperty(u => u.UsageTokens, u => u.UsageTokens + tokens), ct);

    /// <summary>The user's window of the ledger: since when, and the messages (not refunded) and tokens in it.</summary>
    private sealed record Window(DateTime Since, int Messages, long Tokens);

    private async Task<(UsageResponse Usage, Window Window)> ComputeAsync(Guid userId, bool isPremium, CancellationToken ct)
    {
        var since = time.GetUtcNow().UtcDateTime - options.Value.Window;
        // One statement, so one snapshot: the counter, what left the window since it was moved, and the oldest
        // message still in the window (for when the next one frees up), each a short index range.
        var counted = await db.Users.Where(u => u.Id == userId).Select(u => new
        {
            u.UsageCountedFrom,
            u.UsageMessages,
            u.UsageTokens,
            LeftMessages = db.UsageEntries.Count(e => e.UserId == userId && e.OccurredAt > u.UsageCountedFrom && e.OccurredAt <= since &&
                                                      e.Kind == UsageKind.Message && !db.UsageEntries.Any(r => r.RefundsEntryId == e.Id)),
            LeftTokens = db.UsageEntries.Where(e => e.UserId == userId && e.OccurredAt > u.UsageCountedFrom && e.OccurredAt <= since &&
                                                    e.Kind == UsageKind.Tokens && !db.UsageEntries.Any(r => r.RefundsEntryId == e.Id)).Sum(e => (long)e.Tokens),
            Oldest = db.UsageEntries
                .Where(e => e.UserId == userId && e.OccurredAt > since && e.Kind == UsageKind.Message && !db.UsageEntries.Any(r => r.RefundsEntryId == e.Id))
                .OrderBy(e => e.OccurredAt).Select(e => (DateTime?)e.OccurredAt).FirstOrDefault(),
        }).SingleAsync(ct);
        var window = counted.UsageCountedFrom is { } from && from <= since
            ? new Window(since, counted.UsageMessages - counted.LeftMessages, counted.UsageTokens - counted.LeftTokens)
            // Never counted, or the window grew (TIME_FRAME raised, the clock set back): the whole window is read once.
            : await RecountAsync(userId, since, ct);
        return (Usage(isPremium, window, counted.Oldest), window);
    }

    private async Task<Window> RecountAsync(Guid userId, DateTime since, CancellationToken ct)
    {
        var ledger = await db.UsageEntries
            .Where(e => e.UserId == userId && e.OccurredAt > since &&
                        (e.Kind == UsageKind.Message || e.Kind == UsageKind.Tokens) && !db.UsageEntries.Any(r => r.RefundsEntryId == e.Id))
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Used = g.Count(e => e.Kind == UsageKind.Message),
                Tokens = g.Sum(e => e.Kind == UsageKind.Tokens ? (long)e.Tokens : 0L),
            })
            .SingleOrDefaultAsync(ct);
        return new Window(since, ledger?.Used ?? 0, ledger?.Tokens ?? 0);
    }

    private UsageResponse Usage(bool isPremium, Window window, DateTime? oldest)
    {
        var (used, tokens) = (window.Messages, window.Tokens);
        var tokenLimit = isPremium ? options.Value.PremiumTokenLimit : options.Value.FreeTokenLimit;
        var limit = LimitFor(isPremium);
        DateTimeOffset? nextFree = oldest is null ? null : new DateTimeOffset(oldest.Value, TimeSpan.Zero) + options.Value.Window;
        return new UsageResponse(
            isPremium ? Plan.Premium : Plan.Free,
            used,
            limit,
            Remaining(limit, tokenLimit, used, tokens),
            (int)options.Value.Window.TotalSeconds,
            nextFree,
            tokens,
            tokenLimit);
    }

    // Out of tokens means out of messages too: no reply could be written.
    private static int? Remaining(int? limit, int? tokenLimit, int used, long tokens) =>
        limit is null && tokenLimit is null ? null
            : tokenLimit is { } t && tokens >= t ? 0
            : limit is null ? null : Math.Max(0, limit.Value - used);
}
