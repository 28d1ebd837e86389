using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Features.Admin;

namespace Parley.Features.Analytics;

/// <summary>
/// Keeps the daily roll-ups up to date, on every instance: every <see cref="Interval"/> it rolls up each closed day
/// that has none yet (a day is closed <see cref="Settle"/> after its midnight, when replies sent that day have ended).
/// A day's figures and its marker are written in one transaction; two instances rolling up the same day collide on
/// the marker's key and the second one's work is dropped. The dashboard counts days without a roll-up (today) live.
/// </summary>
public sealed class AnalyticsRollups(IServiceScopeFactory scopes, IOptions<AdminOptions> options, TimeProvider time, ILogger<AnalyticsRollups> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan Settle = TimeSpan.FromHours(1);
    private const int DaysPerRun = 60;

    public AnalyticsDays Days { get; } = new(options.Value.Zone, options.Value.TimeZone);

    /// <summary>The last day whose figures can no longer change.</summary>
    public DateOnly LastClosedDay()
    {
        var now = time.GetUtcNow().UtcDateTime;
        var day = Days.DayOf(now).AddDays(-1);
        return Days.Bounds(day).End + Settle <= now ? day : day.AddDays(-1);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    while (await RunOnceAsync(stoppingToken) == DaysPerRun)
                    {
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Rolling up the analytics failed; trying again in {Interval}", Interval);
                }

                await Task.Delay(Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Rolls up closed days that have no roll-up yet, oldest first; returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var zone = Days.ZoneId;
        // From the first day rolled up (its key's index); only the first run looks for the first event.
        var rolledFrom = await db.AnalyticsRolledUpDays.Where(d => d.TimeZone == zone).MinAsync(d => (DateOnly?)d.Day, ct);
        var first = rolledFrom ?? (await db.AnalyticsEvents.MinAsync(e => (DateTime?)e.OccurredAt, ct) is { } at ? Days.DayOf(at) : null);
        if (first is null)
        {
            return 0;
        }

        var (from, to) = (first.Value, LastClosedDay());
        if (from > to)
        {
            return 0;
        }

        var done = (await db.AnalyticsRolledUpDays.Where(d => d.TimeZone == zone && d.Day >= from && d.Day <= to).Select(d => d.Day)
            .ToListAsync(ct)).ToHashSet();
        var missing = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(from.AddDays).Where(d => !done.Contains(d)).Take(DaysPerRun).ToList();
        foreach (var day in missing)
        {
            await RollUpAsync(db, day, ct);
        }

        return missing.Count;
    }

    private async Task RollUpAsync(AppDbContext db, DateOnly day, CancellationToken ct)
    {
        var (start, end) = Days.Bounds(day);
        var figures = await DayFigures.ComputeAsync(db, day, start, end, ct);
        var zone = Days.ZoneId;
        try
        {
            await db.RetryingAsync(async token =>
            {
                db.ChangeTracker.Clear();
                await using var tx = await db.BeginWriteAsync(token);
                if (await db.AnalyticsRolledUpDays.AnyAsync(d => d.TimeZone == zone && d.Day == day, token))
                {
                    return; // another instance was first
                }

                // Weekly and monthly actives to this day, kept with it: the days before are rolled up (oldest first).
                var weekly = await DistinctActiveAsync(db, zone, day.AddDays(-6), day.AddDays(-1), figures.ActiveUsers, token);
                var monthly = await DistinctActiveAsync(db, zone, day.AddDays(-29), day.AddDays(-1), figures.ActiveUsers, token);
                db.AnalyticsDays.AddRange(figures.Figures.Append(new Figure(Metrics.WeeklyActive, "", weekly)).Append(new Figure(Metrics.MonthlyActive, "", monthly))
                    .Select(f => new AnalyticsDay { TimeZone = zone, Day = day, Metric = f.Metric, Dimension = f.Dimension, Value = f.Value }));
                db.AnalyticsActiveDays.AddRange(figures.ActiveUsers.Select(u => new AnalyticsActiveDay { TimeZone = zone, Day = day, UserId = u }));
                db.AnalyticsRolledUpDays.Add(new AnalyticsRolledUpDay { TimeZone = zone, Day = day, RolledUpAt = time.GetUtcNow().UtcDateTime });
                await db.SaveChangesAsync(token);
                await tx.CommitAsync(token);
            }, ct);
        }
        catch (DbUpdateException ex)
        {
            logger.LogInformation(ex, "Day {Day} was rolled up by another instance at the same time", day);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Users active on any rolled-up day from <paramref name="from"/> to <paramref name="to"/>, and those of
    /// <paramref name="more"/> (days counted live) not among them.
    /// </summary>
    public static async Task<long> DistinctActiveAsync(
        AppDbContext db, string zone, DateOnly from, DateOnly to, IReadOnlyCollection<Guid> more, CancellationToken ct)
    {
        var rolled = db.AnalyticsActiveDays.AsNoTracking().Where(a => a.TimeZone == zone && a.Day >= from && a.Day <= to);
        var count = await rolled.Select(a => a.UserId).Distinct().LongCountAsync(ct);
        if (more.Count > 0)
        {
            var ids = more.Distinct().ToList();
            var seen = await rolled.Where(a => ids.Contains(a.UserId)).Select(a => a.UserId).Distinct().CountAsync(ct);
            count += ids.Count - seen;
        }

        return count;
    }
}
