using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Features.Analytics;

/// <summary>The names of the per-day figures, as stored in <see cref="AnalyticsDay.Metric"/>.</summary>
public static class Metrics
{
    public const string SignUps = "signups";
    public const string Active = "active";
    public const string WeeklyActive = "active.7d"; // users active in the 7 days to this one, on rolled-up days
    public const string MonthlyActive = "active.30d";
    public const string FreeMessages = "messages.free";
    public const string PremiumMessages = "messages.premium";
    public const string RepliesPrefix = "replies."; // + outcome, per model
    public const string TokensIn = "tokens.in"; // per model
    public const string TokensOut = "tokens.out"; // per model
    public const string FirstTokenPrefix = "ttft."; // + bucket's upper bound in ms, per model
    public const string FeedbackUp = "feedback.up"; // per model
    public const string FeedbackDown = "feedback.down"; // per model
    public const string LimitHits = "limit.hits";
    public const string UsersAtLimit = "limit.users";
    public const string UpgradeShown = "upgrade.shown";
    public const string UpgradeDismissed = "upgrade.dismissed";
    public const string CheckoutStarted = "checkout.started";
    public const string NewSubscriptions = "subscriptions.new";
    public const string Cancelled = "subscriptions.cancelled";
    public const string PastDue = "subscriptions.pastdue";

    /// <summary>A reply with no known model (closed by the lease sweep after its instance went away).</summary>
    public const string UnknownModel = "unknown";

    /// <summary>
    /// Time-to-first-token buckets, by upper bound in ms: percentiles are read from these, as a histogram's are, so
    /// days add up; p50 and p95 are reported as the bound of the bucket they fall in ("at most").
    /// </summary>
    public static readonly int[] FirstTokenBounds = [100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10_000, 15_000, 20_000, 30_000, 60_000];

    /// <summary>The bucket <paramref name="ms"/> falls in; the last one holds everything from 30 s on.</summary>
    public static int BucketOf(int ms) => FirstTokenBounds.FirstOrDefault(b => ms <= b, FirstTokenBounds[^1]);
}

/// <summary>One figure of a day: <see cref="AnalyticsDay"/> without its key.</summary>
public readonly record struct Figure(string Metric, string Dimension, long Value);

/// <summary>A day's figures and its active users, computed from the events of that day.</summary>
public sealed record DayFigures(DateOnly Day, IReadOnlyList<Figure> Figures, IReadOnlyList<Guid> ActiveUsers)
{
    private static readonly (AnalyticsKind Kind, string Metric)[] Counted =
    [
        (AnalyticsKind.SignedUp, Metrics.SignUps), (AnalyticsKind.LimitReached, Metrics.LimitHits),
        (AnalyticsKind.UpgradeShown, Metrics.UpgradeShown), (AnalyticsKind.UpgradeDismissed, Metrics.UpgradeDismissed),
        (AnalyticsKind.CheckoutStarted, Metrics.CheckoutStarted), (AnalyticsKind.SubscriptionActive, Metrics.NewSubscriptions),
        (AnalyticsKind.SubscriptionCancelled, Metrics.Cancelled), (AnalyticsKind.SubscriptionPastDue, Metrics.PastDue),
    ];

    private static readonly AnalyticsKind[] CountedKinds = [.. Counted.Select(c => c.Kind)];

    /// <summary>Counts the events from <paramref name="start"/> to <paramref name="end"/> (UTC) as <paramref name="day"/>.</summary>
    public static async Task<DayFigures> ComputeAsync(AppDbContext db, DateOnly day, DateTime start, DateTime end, CancellationToken ct)
    {
        var events = db.AnalyticsEvents.AsNoTracking().Where(e => e.OccurredAt >= start && e.OccurredAt < end);
        var figures = new List<Figure>();

        // The kinds named, so each is a range of the (Kind, OccurredAt) index.
        var counts = await events.Where(e => CountedKinds.Contains(e.Kind))
            .GroupBy(e => e.Kind).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
        foreach (var (kind, metric) in Counted)
        {
            Add(figures, metric, "", counts.Where(c => c.Key == kind).Sum(c => c.Count));
        }

        Add(figures, Metrics.UsersAtLimit, "", await events.Where(e => e.Kind == AnalyticsKind.LimitReached && e.UserId != null)
            .Select(e => e.UserId).Distinct().LongCountAsync(ct));

        // Replies in one pass: by plan, model and outcome, and first tokens to 10 ms (a few hundred groups a day).
        var replies = await events.Where(e => e.Kind == AnalyticsKind.Reply)
            .GroupBy(e => new { e.Premium, e.Model, e.Outcome, Ms = e.FirstTokenMs / 10 })
            .Select(g => new { g.Key.Premium, g.Key.Model, g.Key.Outcome, g.Key.Ms, Count = g.LongCount(), In = g.Sum(e => (long)e.InputTokens), Out = g.Sum(e => (long)e.OutputTokens) })
            .ToListAsync(ct);
        Add(figures, Metrics.FreeMessages, "", replies.Where(r => !r.Premium).Sum(r => r.Count));
        Add(figures, Metrics.PremiumMessages, "", replies.Where(r => r.Premium).Sum(r => r.Count));
        foreach (var model in replies.GroupBy(r => r.Model ?? Metrics.UnknownModel))
        {
            foreach (var outcome in model.GroupBy(r => r.Outcome ?? ReplyOutcomes.Complete))
            {
                Add(figures, Metrics.RepliesPrefix + outcome.Key, model.Key, outcome.Sum(r => r.Count));
            }

            Add(figures, Metrics.TokensIn, model.Key, model.Sum(r => r.In));
            Add(figures, Metrics.TokensOut, model.Key, model.Sum(r => r.Out));
            foreach (var bucket in model.Where(r => r.Ms is not null).GroupBy(r => Metrics.BucketOf(r.Ms!.Value * 10)))
            {
                Add(figures, Metrics.FirstTokenPrefix + bucket.Key, model.Key, bucket.Sum(r => r.Count));
            }
        }

        var feedback = await events.Where(e => e.Kind == AnalyticsKind.Feedback).GroupBy(e => new { e.Model, e.Outcome })
            .Select(g => new { g.Key.Model, g.Key.Outcome, Count = g.LongCount() }).ToListAsync(ct);
        foreach (var rating in feedback)
        {
            Add(figures, rating.Outcome == "up" ? Metrics.FeedbackUp : Metrics.FeedbackDown, rating.Model ?? Metrics.UnknownModel, rating.Count);
        }

        var active = await events.Where(e => e.Kind == AnalyticsKind.Reply && e.UserId != null).Select(e => e.UserId!.Value).Distinct().ToListAsync(ct);
        Add(figures, Metrics.Active, "", active.Count);
        return new DayFigures(day, figures, active);
    }

    private static void Add(List<Figure> figures, string metric, string dimension, long value)
    {
        if (value != 0)
        {
            figures.Add(new Figure(metric, dimension, value));
        }
    }
}
