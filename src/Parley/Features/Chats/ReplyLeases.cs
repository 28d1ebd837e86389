using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Features.Bot;
using Parley.Features.Usage;

namespace Parley.Features.Chats;

/// <summary>
/// Nothing stays streaming for good. Each instance renews the leases of the replies it generates every third of
/// <see cref="ChatOptions.ReplyLease"/>, and closes any streaming reply whose lease ran out: its instance was killed,
/// lost the database, or hung. The reply becomes <see cref="MessageStatus.Interrupted"/> with the text written so far
/// (flushed every half second); the message is given back only if there was no text. Followers on any instance see
/// the change and get an <c>error</c> event. Start-up runs the same sweep, so it closes expired leases only.
/// </summary>
public sealed class ReplyLeases(
    IServiceScopeFactory scopes, ReplyGenerations generations, IOptions<ChatOptions> options, IOptions<BotOptions> bot,
    TimeProvider time, Hosting.ParleyMetrics metrics, ILogger<ReplyLeases> logger) : BackgroundService
{
    /// <summary>This process, as written in <see cref="Message.LeaseOwner"/> (for operators reading the table).</summary>
    public static readonly string Instance = Last64($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}");

    public DateTime LeaseFrom(DateTime now) => now + options.Value.ReplyLease;

    private static string Last64(string id) => id.Length <= 64 ? id : id[^64..];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Ticks by the wall clock; lease times come from the app's clock. (A test's fake clock moves on every reading,
        // which would make a timer on it tick after every couple of thousand reads.)
        using var timer = new PeriodicTimer(options.Value.ReplyLease / 3, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RenewAsync(stoppingToken);
                    await SweepAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database may be away for a while; the next tick tries again (a lease outlives a few misses).
                    logger.LogWarning(ex, "Renewing or sweeping reply leases failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Shutting down: the replies here are drained (finished or interrupted) before the process goes.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await generations.Drained.WaitAsync(cancellationToken);
    }

    public async Task RenewAsync(CancellationToken ct)
    {
        var ids = generations.RunningIds;
        if (ids.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var until = LeaseFrom(time.GetUtcNow().UtcDateTime);
        await db.Messages.Where(m => ids.Contains(m.Id) && m.Status == MessageStatus.Streaming)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseExpiresAt, until).SetProperty(m => m.LeaseOwner, Instance), ct);
    }

    /// <summary>Closes the streaming replies whose lease ran out; returns how many it closed.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var quota = scope.ServiceProvider.GetRequiredService<QuotaService>();
        var entitlements = scope.ServiceProvider.GetRequiredService<Billing.Entitlements>();
        var now = time.GetUtcNow().UtcDateTime;
        // Rows from before leases existed have none: they are abandoned once no generation could still be running.
        var abandoned = now - bot.Value.Timeout - TimeSpan.FromMinutes(1);
        var expired = await Expired(db, now, abandoned).Select(m => m.Id).Take(100).ToListAsync(ct);
        // A reply this instance is still generating is alive whatever its lease says: time can pass between the
        // renewal and the sweep (a pause, a slow database), and the next tick renews it.
        var running = generations.RunningIds;
        var closed = 0;
        foreach (var id in expired.Where(id => !running.Contains(id)))
        {
            closed += await CloseAsync(db, quota, entitlements, id, now, abandoned, ct) ? 1 : 0;
        }

        if (closed > 0)
        {
            metrics.Interrupted("lease", closed);
            logger.LogWarning("Closed {Count} replies as interrupted: the instance generating them stopped renewing their lease", closed);
        }

        return closed;
    }

    internal static IQueryable<Message> Expired(AppDbContext db, DateTime now, DateTime abandoned) =>
        db.Messages.Where(m => m.Status == MessageStatus.Streaming &&
                               (m.LeaseExpiresAt < now || (m.LeaseExpiresAt == null && m.CreatedAt < abandoned)));

    private static Task<bool> CloseAsync(
        AppDbContext db, QuotaService quota, Billing.Entitlements entitlements, long id, DateTime now, DateTime abandoned, CancellationToken ct) =>
        db.RetryingAsync(token => CloseOnceAsync(db, quota, entitlements, id, now, abandoned, token), ct);

    private static async Task<bool> CloseOnceAsync(
        AppDbContext db, QuotaService quota, Billing.Entitlements entitlements, long id, DateTime now, DateTime abandoned, CancellationToken ct)
    {
        var owner = await db.Messages.Where(m => m.Id == id).Join(db.Chats, m => m.ChatId, c => c.Id, (m, c) => (Guid?)c.UserId)
            .SingleOrDefaultAsync(ct);
        if (owner is not { } userId)
        {
            return false; // deleted with its chat
        }

        // The user's row first (a refund writes their usage): the lock order of every such transaction.
        await using var tx = await quota.BeginAsync(userId, ct);
        // Conditional on the lease still being expired: of several instances sweeping, one closes it; and an owner
        // that renewed in the meantime keeps it.
        var changed = await Expired(db, now, abandoned).Where(m => m.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, MessageStatus.Interrupted)
            .SetProperty(m => m.LeaseExpiresAt, (DateTime?)null)
            .SetProperty(m => m.LeaseOwner, (string?)null), ct);
        if (changed == 0)
        {
            return false;
        }

        var reply = await db.Messages.AsNoTracking().Where(m => m.Id == id)
            .Select(m => new { m.ParentId, m.CreatedAt, Empty = m.Content == "" }).SingleAsync(ct);
        // For the dashboard: the instance that knew the model and the tokens went away with them.
        db.AnalyticsEvents.Add(new Analytics.AnalyticsEvent
        {
            Kind = Analytics.AnalyticsKind.Reply, UserId = userId, OccurredAt = reply.CreatedAt, Outcome = Analytics.ReplyOutcomes.Interrupted,
            Premium = (await entitlements.ForAsync(userId, ct)).IsPremium, MessageId = id,
        });
        await db.SaveChangesAsync(ct);
        if (reply.Empty && reply.ParentId is { } question)
        {
            // Nobody got a word: the message is given back, as when the model fails before any text.
            var entry = await db.UsageEntries
                .Where(e => e.Kind == UsageKind.Message && e.MessageId == question && !db.UsageEntries.Any(r => r.RefundsEntryId == e.Id))
                .OrderByDescending(e => e.Id).FirstOrDefaultAsync(ct);
            if (entry is not null)
            {
                await quota.RefundAsync(entry, ct);
            }
        }

        await tx.CommitAsync(ct);
        return true;
    }
}
