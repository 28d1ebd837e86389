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
/// Users who first reached the limit in the range, and of them those who then saw the upgrade dialog, started a checkout
/// and paid before its end (each step counts only users counted at the step before). <c>MedianSecondsToPaid</c>: from
/// reaching the limit.
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
/// rolled up yet (today) counted live from the events, the funnel from its table, and subscriptions as
/// they are now.
/// </summary>
public sealed class AdminDashboard(AppDbContext db, AnalyticsRollups rollups, IOptions<AdminOptions> options, BillingRuntime billing, TimeProvider time)
{
    public const int MaxDays = 366;

    public DateOnly Today => rollups.Days.DayOf(time.GetUtcNow().UtcDateTime);

    public async Task<DashboardResponse> BuildAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var zone = rollups.Days.ZoneId;
        var now = Today;
        var end = to < now ? to : now; // the last day there can be figures for
        var first = new[] { from, end.AddDays(-29) }.Min(); // the monthly actives look back 30 days
        var rolled = (await db.AnalyticsRolledUpDays.AsNoTracking().Where(d => d.TimeZone == zone && d.Day >= first && d.Day <= end)
            .Select(d => d.Day).ToListAsync(ct)).ToHashSet();
        // Days before the first one rolled up (or, before any roll-up, before the first event) have nothing to count.
        var firstData = await db.AnalyticsRolledUpDays.AsNoTracking().Where(d => d.TimeZone == zone).MinAsync(d => (DateOnly?)d.Day, ct)
                        ?? (await db.AnalyticsEvents.MinAsync(e => (DateTime?)e.OccurredAt, ct) is { } earliest ? rollups.Days.DayOf(earliest) : now.AddDays(1));
        var live = new Dictionary<DateOnly, DayFigures>();
        await CountLiveAsync(from < firstData ? firstData : from, end, rolled, live, ct);

        // Summed in the database: the daily figures per day (per-model outcomes added up), the per-model ones over the
        // range; then today's live figures on top.
        var inRange = db.AnalyticsDays.AsNoTracking().Where(d => d.TimeZone == zone && d.Day >= from && d.Day <= to);
        var perDay = await inRange.Where(d => d.Dimension == "" || d.Metric.StartsWith(Metrics.RepliesPrefix))
            .GroupBy(d => new { d.Day, d.Metric }).Select(g => new { g.Key.Day, g.Key.Metric, Value = g.Sum(d => d.Value) }).ToListAsync(ct);
        var perModel = await inRange.Where(d => d.Dimension != "")
            .GroupBy(d => new { d.Metric, d.Dimension }).Select(g => new { g.Key.Metric, g.Key.Dimension, Value = g.Sum(d => d.Value) }).ToListAsync(ct);
        var counted = live.Values.Where(l => l.Day >= from && l.Day <= to).ToList();
        var byDay = perDay.Select(d => (d.Day, d.Metric, d.Value))
            .Concat(counted.SelectMany(l => l.Figures.Where(f => f.Dimension.Length == 0 || f.Metric.StartsWith(Metrics.RepliesPrefix, StringComparison.Ordinal))
                .Select(f => (l.Day, f.Metric, f.Value))))
            .GroupBy(f => f.Day).ToDictionary(g => g.Key, g => g.GroupBy(f => f.Metric).ToDictionary(m => m.Key, m => m.Sum(f => f.Value)));

        var days = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(from.AddDays).Select(day =>
        {
            var of = byDay.GetValueOrDefault(day);
            long Sum(string metric) => of?.GetValueOrDefault(metric) ?? 0;
            return new DashboardDay(day, Sum(Metrics.Active), Sum(Metrics.SignUps), Sum(Metrics.FreeMessages), Sum(Metrics.PremiumMessages),
                Sum(Metrics.RepliesPrefix + ReplyOutcomes.Failed), Sum(Metrics.RepliesPrefix + ReplyOutcomes.Stopped), Sum(Metrics.RepliesPrefix + ReplyOutcomes.Interrupted),
                Sum(Metrics.UsersAtLimit), Sum(Metrics.LimitHits), Sum(Metrics.UpgradeShown), Sum(Metrics.CheckoutStarted),
                Sum(Metrics.NewSubscriptions), Sum(Metrics.Cancelled), Sum(Metrics.PastDue));
        }).ToList();
        var models = perModel.Select(m => new Figure(m.Metric, m.Dimension, m.Value))
            .Concat(counted.SelectMany(l => l.Figures.Where(f => f.Dimension.Length > 0)));

        var (rangeStart, _) = rollups.Days.Bounds(from);
        var (_, rangeEnd) = rollups.Days.Bounds(to);
        var (weekly, monthly) = await ActivesAsync(end, now, rolled, live, firstData, ct);
        return new DashboardResponse(from, to, zone, weekly, monthly, days, await FunnelAsync(rangeStart, rangeEnd, ct),
            await SubscriptionsAsync(days.Sum(d => d.NewSubscriptions), days.Sum(d => d.Cancelled), ct),
            Models(models));
    }

    /// <summary>
    /// Users active in the 7 and 30 days to <paramref name="end"/>: up to today, a count over the users' last message;
    /// to a rolled-up day, as kept with it; otherwise (a day closed minutes ago) counted from the days' users.
    /// </summary>
    private async Task<(long Weekly, long Monthly)> ActivesAsync(
        DateOnly end, DateOnly today, HashSet<DateOnly> rolled, Dictionary<DateOnly, DayFigures> live, DateOnly firstData, CancellationToken ct)
    {
        if (end == today)
        {
            var (week, month) = (rollups.Days.Bounds(end.AddDays(-6)).Start, rollups.Days.Bounds(end.AddDays(-29)).Start);
            var counts = await db.Users.AsNoTracking().Where(u => u.LastMessageAt >= month)
                .GroupBy(_ => 1).Select(g => new { Weekly = g.LongCount(u => u.LastMessageAt >= week), Monthly = g.LongCount() }).SingleOrDefaultAsync(ct);
            return (counts?.Weekly ?? 0, counts?.Monthly ?? 0);
        }

        var zone = rollups.Days.ZoneId;
        if (rolled.Contains(end))
        {
            var kept = await db.AnalyticsDays.AsNoTracking()
                .Where(d => d.TimeZone == zone && d.Day == end && (d.Metric == Metrics.WeeklyActive || d.Metric == Metrics.MonthlyActive))
                .ToDictionaryAsync(d => d.Metric, d => d.Value, ct);
            return (kept.GetValueOrDefault(Metrics.WeeklyActive), kept.GetValueOrDefault(Metrics.MonthlyActive));
        }

        await CountLiveAsync(end.AddDays(-29) < firstData ? firstData : end.AddDays(-29), end, rolled, live, ct);
        IReadOnlyCollection<Guid> LiveFrom(DateOnly first) => [.. live.Where(l => l.Key >= first && l.Key <= end).SelectMany(l => l.Value.ActiveUsers)];
        return (await AnalyticsRollups.DistinctActiveAsync(db, zone, end.AddDays(-6), end, LiveFrom(end.AddDays(-6)), ct),
            await AnalyticsRollups.DistinctActiveAsync(db, zone, end.AddDays(-29), end, LiveFrom(end.AddDays(-29)), ct));
    }

    /// <summary>Counts the days from <paramref name="from"/> to <paramref name="to"/> that have no roll-up (today) from their events.</summary>
    private async Task CountLiveAsync(DateOnly from, DateOnly to, HashSet<DateOnly> rolled, Dictionary<DateOnly, DayFigures> live, CancellationToken ct)
    {
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (!rolled.Contains(day) && !live.ContainsKey(day))
            {
                var (start, stop) = rollups.Days.Bounds(day);
                live[day] = await DayFigures.ComputeAsync(db, day, start, stop, ct);
            }
        }
    }

    /// <summary>The users who first reached the limit in the range, and how far each got before its end.</summary>
    private async Task<DashboardFunnel> FunnelAsync(DateTime start, DateTime end, CancellationToken ct)
    {
        var cohort = await db.AnalyticsFunnels.AsNoTracking().Where(f => f.ReachedAt >= start && f.ReachedAt < end)
            .Select(f => new { f.ReachedAt, f.ShownAt, f.CheckoutAt, f.PaidAt }).ToListAsync(ct);
        var shown = cohort.Where(f => f.ShownAt < end).ToList();
        var checkout = shown.Where(f => f.CheckoutAt < end).ToList();
        var paid = checkout.Where(f => f.PaidAt < end).ToList();
        var toPaid = paid.Select(f => (f.PaidAt!.Value - f.ReachedAt).TotalSeconds).Order().ToList();
        long? median = toPaid.Count == 0 ? null
            : (long)Math.Round(toPaid.Count % 2 == 1 ? toPaid[toPaid.Count / 2] : (toPaid[(toPaid.Count / 2) - 1] + toPaid[toPaid.Count / 2]) / 2);
        return new DashboardFunnel(cohort.Count, shown.Count, checkout.Count, paid.Count, median);
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
