using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Features.Admin;
using Parley.Features.Billing;

namespace Parley.Features.Analytics;

/// <summary>One day of the dashboard's range.</summary>
public sealed record DashboardDay(
    DateOnly Day, long ActiveUsers, long SignUps, long FreeMessages, long PremiumMessages, long RepliesFailed, long RepliesStopped,
    long RepliesInterrupted, long UsersAtLimit, long LimitHits, long UpgradeShown, long CheckoutStarted, long NewSubscriptions, long Cancelled,
    long PastDue);

/// <summary>
/// Users who reached the limit in the range, and of them those who then saw the upgrade dialog, started a checkout and
/// paid (each step counts only users counted at the step before). <c>MedianSecondsToPaid</c>: from reaching the limit.
/// </summary>
public sealed record DashboardFunnel(long LimitReached, long DialogShown, long CheckoutStarted, long Paid, long? MedianSecondsToPaid);

/// <summary>Subscriptions now (active, past due, MRR from their stored prices) and those started and ended in the range.</summary>
public sealed record DashboardSubscriptions(long Active, long PastDue, long MonthlyRecurringRevenueCents, string Currency, long New, long Cancelled);

/// <summary>
/// One model's replies in the range. <c>EstimatedCost</c>: from <c>MODEL_PRICES</c>, null without a price.
/// First-token times are the upper bound of the bucket the percentile falls in.
/// </summary>
public sealed record DashboardModel(
    string Model, long Replies, long Failed, long Stopped, long Interrupted, long InputTokens, long OutputTokens, decimal? EstimatedCost,
    int? FirstTokenP50Ms, int? FirstTokenP95Ms, long FeedbackUp, long FeedbackDown);

public sealed record DashboardResponse(
    DateOnly From, DateOnly To, string TimeZone, long WeeklyActiveUsers, long MonthlyActiveUsers, IReadOnlyList<DashboardDay> Days,
    DashboardFunnel Funnel, DashboardSubscriptions Subscriptions, IReadOnlyList<DashboardModel> Models);

/// <summary>
/// The admin dashboard for a range of days in the operator's time zone: closed days from their roll-ups, the days not
/// rolled up yet (today) counted live from the events, the funnel from the events of the range, and subscriptions as
/// they are now.
/// </summary>
public sealed class AdminDashboard(AppDbContext db, AnalyticsRollups rollups, IOptions<AdminOptions> options, BillingRuntime billing, TimeProvider time)
{
    public const int MaxDays = 366;

    public DateOnly Today => rollups.Days.DayOf(time.GetUtcNow().UtcDateTime);

    public async Task<DashboardResponse> BuildAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var zone = rollups.Days.ZoneId;
        var today = Today;
        var end = to < today ? to : today; // the last day there can be figures for
        var first = new[] { from, end.AddDays(-29) }.Min();
        var rolled = (await db.AnalyticsRolledUpDays.AsNoTracking().Where(d => d.TimeZone == zone && d.Day >= first && d.Day <= end)
            .Select(d => d.Day).ToListAsync(ct)).ToHashSet();

        var live = new Dictionary<DateOnly, DayFigures>();
        for (var day = first; day <= end; day = day.AddDays(1))
        {
            if (!rolled.Contains(day))
            {
                var (start, stop) = rollups.Days.Bounds(day);
                live[day] = await DayFigures.ComputeAsync(db, day, start, stop, ct);
            }
        }

        var stored = await db.AnalyticsDays.AsNoTracking().Where(d => d.TimeZone == zone && d.Day >= from && d.Day <= to)
            .Select(d => new { d.Day, d.Metric, d.Dimension, d.Value }).ToListAsync(ct);
        var figures = stored.Select(d => (d.Day, Figure: new Figure(d.Metric, d.Dimension, d.Value)))
            .Concat(live.Values.Where(l => l.Day >= from && l.Day <= to).SelectMany(l => l.Figures.Select(f => (l.Day, Figure: f))))
            .ToList();

        var days = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(from.AddDays).Select(day =>
        {
            var of = figures.Where(f => f.Day == day).Select(f => f.Figure).ToList();
            long Sum(string metric) => of.Where(f => f.Metric == metric).Sum(f => f.Value);
            return new DashboardDay(day, Sum(Metrics.Active), Sum(Metrics.SignUps), Sum(Metrics.FreeMessages), Sum(Metrics.PremiumMessages),
                Sum(Metrics.RepliesPrefix + "failed"), Sum(Metrics.RepliesPrefix + "stopped"), Sum(Metrics.RepliesPrefix + "interrupted"),
                Sum(Metrics.UsersAtLimit), Sum(Metrics.LimitHits), Sum(Metrics.UpgradeShown), Sum(Metrics.CheckoutStarted),
                Sum(Metrics.NewSubscriptions), Sum(Metrics.Cancelled), Sum(Metrics.PastDue));
        }).ToList();

        var (rangeStart, _) = rollups.Days.Bounds(from);
        var (_, rangeEnd) = rollups.Days.Bounds(to);
        return new DashboardResponse(from, to, zone,
            await DistinctActiveAsync(end.AddDays(-6), end, live, ct), await DistinctActiveAsync(end.AddDays(-29), end, live, ct),
            days, await FunnelAsync(rangeStart, rangeEnd, ct),
            await SubscriptionsAsync(days.Sum(d => d.NewSubscriptions), days.Sum(d => d.Cancelled), ct),
            Models(figures.Select(f => f.Figure)));
    }

    /// <summary>Users active on any day from <paramref name="from"/> to <paramref name="to"/>: rolled-up days in the database, the rest live.</summary>
    private async Task<long> DistinctActiveAsync(DateOnly from, DateOnly to, Dictionary<DateOnly, DayFigures> live, CancellationToken ct)
    {
        var zone = rollups.Days.ZoneId;
        var inRollups = db.AnalyticsActiveDays.AsNoTracking().Where(a => a.TimeZone == zone && a.Day >= from && a.Day <= to);
        var count = await inRollups.Select(a => a.UserId).Distinct().LongCountAsync(ct);
        var liveUsers = live.Where(l => l.Key >= from && l.Key <= to).SelectMany(l => l.Value.ActiveUsers).ToHashSet();
        if (liveUsers.Count > 0)
        {
            var ids = liveUsers.ToList();
            var seen = await inRollups.Where(a => ids.Contains(a.UserId)).Select(a => a.UserId).Distinct().ToListAsync(ct);
            count += liveUsers.Count - seen.Count;
        }

        return count;
    }

    private async Task<DashboardFunnel> FunnelAsync(DateTime start, DateTime end, CancellationToken ct)
    {
        var inRange = db.AnalyticsEvents.AsNoTracking().Where(e => e.OccurredAt >= start && e.OccurredAt < end && e.UserId != null);
        var reached = await inRange.Where(e => e.Kind == AnalyticsKind.LimitReached).GroupBy(e => e.UserId!.Value)
            .Select(g => new { User = g.Key, At = g.Min(e => e.OccurredAt) }).ToDictionaryAsync(r => r.User, r => r.At, ct);
        if (reached.Count == 0)
        {
            return new DashboardFunnel(0, 0, 0, 0, null);
        }

        AnalyticsKind[] steps = [AnalyticsKind.UpgradeShown, AnalyticsKind.CheckoutStarted, AnalyticsKind.SubscriptionActive];
        var later = await inRange.Where(e => steps.Contains(e.Kind)).GroupBy(e => new { User = e.UserId!.Value, e.Kind })
            .Select(g => new { g.Key.User, g.Key.Kind, First = g.Min(e => e.OccurredAt), Last = g.Max(e => e.OccurredAt) }).ToListAsync(ct);
        var after = later.Where(l => reached.TryGetValue(l.User, out var at) && l.Last >= at)
            .ToDictionary(l => (l.User, l.Kind), l => l.First >= reached[l.User] ? l.First : l.Last);

        var counted = reached.Keys.ToList();
        var counts = new List<long> { counted.Count };
        foreach (var step in steps)
        {
            counted = [.. counted.Where(u => after.ContainsKey((u, step)))];
            counts.Add(counted.Count);
        }

        var toPaid = counted.Select(u => (after[(u, AnalyticsKind.SubscriptionActive)] - reached[u]).TotalSeconds).Order().ToList();
        long? median = toPaid.Count == 0 ? null
            : (long)Math.Round(toPaid.Count % 2 == 1 ? toPaid[toPaid.Count / 2] : (toPaid[(toPaid.Count / 2) - 1] + toPaid[toPaid.Count / 2]) / 2);
        return new DashboardFunnel(counts[0], counts[1], counts[2], counts[3], median);
    }

    private async Task<DashboardSubscriptions> SubscriptionsAsync(long started, long ended, CancellationToken ct)
    {
        var account = billing.Account;
        var now = await db.Subscriptions.AsNoTracking().Where(s => s.Account == null || s.Account == account)
            .GroupBy(s => new { s.Status, s.Currency })
            .Select(g => new { g.Key.Status, g.Key.Currency, Count = g.LongCount(), Monthly = g.Sum(s => s.MonthlyAmount ?? 0) })
            .ToListAsync(ct);
        var active = now.Where(s => s.Status is "active" or "trialing").ToList();
        var currency = active.Select(s => s.Currency).FirstOrDefault(c => c is not null) ?? now.Select(s => s.Currency).FirstOrDefault(c => c is not null) ?? "usd";
        return new DashboardSubscriptions(active.Sum(s => s.Count), now.Where(s => s.Status == "past_due").Sum(s => s.Count),
            now.Where(s => s.Status == "active").Sum(s => s.Monthly), currency, started, ended);
    }

    private List<DashboardModel> Models(IEnumerable<Figure> figures)
    {
        var prices = options.Value.Prices();
        return [.. figures.Where(f => f.Dimension.Length > 0).GroupBy(f => f.Dimension).Select(model =>
        {
            long Sum(string metric) => model.Where(f => f.Metric == metric).Sum(f => f.Value);
            var replies = model.Where(f => f.Metric.StartsWith(Metrics.RepliesPrefix, StringComparison.Ordinal)).Sum(f => f.Value);
            var (input, output) = (Sum(Metrics.TokensIn), Sum(Metrics.TokensOut));
            decimal? cost = prices.TryGetValue(model.Key, out var price)
                ? Math.Round(((input * price.Input) + (output * price.Output)) / 1_000_000m, 4) : null;
            var histogram = Metrics.FirstTokenBounds.Select(b => (Bound: b, Count: Sum(Metrics.FirstTokenPrefix + b))).ToList();
            return new DashboardModel(model.Key, replies, Sum(Metrics.RepliesPrefix + "failed"), Sum(Metrics.RepliesPrefix + "stopped"),
                Sum(Metrics.RepliesPrefix + "interrupted"), input, output, cost, Percentile(histogram, 0.50), Percentile(histogram, 0.95),
                Sum(Metrics.FeedbackUp), Sum(Metrics.FeedbackDown));
        }).OrderByDescending(m => m.Replies).ThenBy(m => m.Model, StringComparer.Ordinal)];
    }

    /// <summary>The upper bound of the bucket the <paramref name="quantile"/>'s rank falls in (nearest rank).</summary>
    public static int? Percentile(IReadOnlyList<(int Bound, long Count)> histogram, double quantile)
    {
        var total = histogram.Sum(b => b.Count);
        if (total == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        var seen = 0L;
        foreach (var (bound, count) in histogram)
        {
            seen += count;
            if (seen >= rank)
            {
                return bound;
            }
        }

        return histogram[^1].Bound;
    }
}
