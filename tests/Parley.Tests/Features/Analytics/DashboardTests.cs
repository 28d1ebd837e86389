using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Data;
using Parley.Features.Analytics;
using Parley.Features.Chats;
using Parley.Tests.Features.Billing;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Analytics;

public sealed class SqliteDashboardTests(SqliteDashboardTests.Factory factory)
    : DashboardTests<SqliteDashboardTests.Factory>(factory), IClassFixture<SqliteDashboardTests.Factory>
{
    public sealed class Factory : BillingFactory
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            DashboardSettings.Apply(Settings); // after the billing set-up's own limit
        }

        public override FakeTimeProvider Time { get; } = DashboardSettings.Clock();
    }
}

public sealed class PostgresDashboardTests(PostgresDashboardTests.Factory factory)
    : DashboardTests<PostgresDashboardTests.Factory>(factory), IClassFixture<PostgresDashboardTests.Factory>
{
    public sealed class Factory : PostgresBillingFactory
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            DashboardSettings.Apply(Settings); // after the billing set-up's own limit
        }

        public override FakeTimeProvider Time { get; } = DashboardSettings.Clock();
    }
}

public static class DashboardSettings
{
    public const string Admin = "ops@example.com";

    /// <summary>Friday 7 March 2031, just before 10:00 in New York; the clocks there go forward on Sunday the 9th.</summary>
    public static readonly DateTimeOffset Start = new(2031, 3, 7, 14, 59, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    public static void Apply(Dictionary<string, string?> settings)
    {
        settings["Admin:Emails"] = Admin;
        settings["Admin:TimeZone"] = "America/New_York";
        settings["Admin:ModelPrices"] = "built-in=1/2, another-model=3/4";
        settings["Usage:FreeMessageLimit"] = "3";
        settings["Usage:Window"] = "30.00:00:00";
    }
}

/// <summary>
/// A known history, driven through the API with a fake clock (sign-ups, sends, limit hits, the upgrade dialog,
/// checkouts through the fake Stripe, a cancellation, a failed renewal, ratings), and every number of the dashboard
/// checked against it: counted live from the events, then from the daily roll-ups, which must agree.
/// </summary>
public abstract class DashboardTests<TFactory>(TFactory factory) where TFactory : ParleyFactory, IStripeFactory
{
    private static readonly DateOnly Friday = new(2031, 3, 7);

    private readonly List<TestUser> _users = [];

    /// <summary>Moves the clock to a time in New York, and signs everyone in again (their access tokens ran out).</summary>
    private async Task At(int day, int hour, int minute = 0)
    {
        // New York is five hours behind UTC until 2:00 on Sunday the 9th, then four.
        var local = new DateTime(2031, 3, 7 + day, hour, minute, 0);
        var offset = local >= new DateTime(2031, 3, 9, 2, 0, 0) ? 4 : 5;
        var utc = new DateTimeOffset(local.AddHours(offset), TimeSpan.Zero);
        Assert.True(utc >= factory.Time.GetUtcNow(), "the history only moves forward");
        factory.Time.SetUtcNow(utc);
        foreach (var user in _users)
        {
            await user.SignInAgainAsync(factory);
        }
    }

    private async Task<TestUser> SignUpAsync(string? email = null)
    {
        var user = await factory.RegisterAsync(email);
        _users.Add(user);
        return user;
    }

    private async Task SendAsync(TestUser user, long chatId, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var response = await user.SendAsync(chatId, $"question {i}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
    }

    private static async Task RefusedAsync(TestUser user, long chatId) =>
        Assert.Equal(HttpStatusCode.PaymentRequired, (await user.SendAsync(chatId, "one more")).StatusCode);

    private static Task DialogAsync(TestUser user, string what) =>
        user.Client.PostAsJsonAsync("/api/analytics/upgrade-dialog", new { @event = what });

    private async Task<string> PayAsync(TestUser user)
    {
        var session = await user.StartCheckoutAsync();
        await factory.Stripe.CompleteCheckoutAsync(session);
        return factory.Stripe.Find(session)!["subscription"]!.GetValue<string>();
    }

    private async Task<DashboardResponse> DashboardAsync(TestUser admin, string query)
    {
        var response = await admin.Client.GetAsync($"/api/admin/dashboard?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<DashboardResponse>();
    }

    [Fact]
    public async Task EveryNumberMatchesAKnownHistoryLiveAndRolledUp()
    {
        // Friday: four sign-ups; Alice reaches the limit, sees the dialog, leaves it, comes back and pays.
        await At(0, 10);
        var admin = await SignUpAsync(DashboardSettings.Admin);
        var (alice, bob, carol) = (await SignUpAsync(), await SignUpAsync(), await SignUpAsync());
        var aliceChat = (await alice.CreateChatAsync()).Id;
        var bobChat = (await bob.CreateChatAsync()).Id;
        var carolChat = (await carol.CreateChatAsync()).Id;
        await SendAsync(alice, aliceChat, 3);
        await At(0, 10, 30);
        await RefusedAsync(alice, aliceChat);
        await DialogAsync(alice, "Shown");
        await DialogAsync(alice, "Shown"); // the same dialog reported twice within seconds: once
        await At(0, 10, 35);
        await DialogAsync(alice, "Dismissed");
        await At(0, 10, 50);
        await DialogAsync(alice, "Shown");
        await At(0, 11, 0);
        var aliceSubscription = await PayAsync(alice); // 30 minutes after reaching the limit
        await SendAsync(bob, bobChat, 2);
        await At(0, 23, 30); // Carol late on Friday in New York: Saturday already in UTC
        await SendAsync(carol, carolChat, 1);

        // Saturday: Alice writes on Premium; Bob reaches the limit twice and starts a checkout he never finishes; Dave signs up.
        await At(1, 9);
        await SendAsync(alice, aliceChat, 2);
        await SendAsync(bob, bobChat, 1);
        await At(1, 9, 10);
        await RefusedAsync(bob, bobChat);
        await RefusedAsync(bob, bobChat);
        await DialogAsync(bob, "Shown");
        await bob.StartCheckoutAsync();
        var dave = await SignUpAsync();

        // Sunday (23 hours long): Alice's subscription ends, Carol and Dave pay, Carol's renewal fails; ratings.
        await At(2, 12);        await factory.Stripe.UpdateSubscriptionAsync(aliceSubscription, s => s["status"] = "canceled", "customer.subscription.deleted");
        var carolSubscription = await PayAsync(carol);
        await PayAsync(dave);
        await factory.Stripe.UpdateSubscriptionAsync(carolSubscription, s => s["status"] = "past_due");
        var replies = await RepliesAsync();
        await RateAsync(alice, replies[alice.Session.User.Id][0], "Up");
        await RateAsync(bob, replies[bob.Session.User.Id][0], "Down");
        await RateAsync(bob, replies[bob.Session.User.Id][1], "Up");
        await RateAsync(bob, replies[bob.Session.User.Id][1], "Down"); // changed: counted as its latest only
        await RateAsync(carol, replies[carol.Session.User.Id][0], "Up");
        await RateAsync(carol, replies[carol.Session.User.Id][0], null); // taken back

        // Tuesday: the days are closed; the range is Friday to Monday.
        await At(4, 12);
        var live = await DashboardAsync(admin, "from=2031-03-07&to=2031-03-10");
        var tokens = await TokensAsync();
        Check(live, tokens);

        var rolled = await factory.Services.GetRequiredService<AnalyticsRollups>().RunOnceAsync(CancellationToken.None);
        Assert.True(rolled >= 0);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var days = await db.AnalyticsRolledUpDays.Where(d => d.TimeZone == "America/New_York").Select(d => d.Day).ToListAsync();
            Assert.Equal(Enumerable.Range(0, 4).Select(Friday.AddDays), days.Order()); // Friday to Monday: every closed day
        }

        // Up to today (Tuesday): the weekly and monthly actives are counted from the users' last messages.
        var week = await DashboardAsync(admin, "days=7");
        Assert.Equal((new DateOnly(2031, 3, 5), new DateOnly(2031, 3, 11), 3L, 3L), (week.From, week.To, week.WeeklyActiveUsers, week.MonthlyActiveUsers));

        var fromRollups = await DashboardAsync(admin, "from=2031-03-07&to=2031-03-10");
        Check(fromRollups, tokens);
        Assert.Equal(JsonSerializer.Serialize(live), JsonSerializer.Serialize(fromRollups));

        // The roll-ups may have been written while the clock moved: without them, the same figures are counted live.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.AnalyticsDays.ExecuteDeleteAsync();
            await db.AnalyticsActiveDays.ExecuteDeleteAsync();
            await db.AnalyticsRolledUpDays.ExecuteDeleteAsync();
        }

        Assert.Equal(JsonSerializer.Serialize(fromRollups), JsonSerializer.Serialize(await DashboardAsync(admin, "from=2031-03-07&to=2031-03-10")));
    }

    private static void Check(DashboardResponse d, (long In, long Out) tokens)
    {
        Assert.Equal((new DateOnly(2031, 3, 7), new DateOnly(2031, 3, 10), "America/New_York"), (d.From, d.To, d.TimeZone));
        Assert.Equal(
        [
            // Day, active, sign-ups, free, premium, failed, stopped, interrupted, users at limit, hits, dialog, checkout, new, cancelled, past due
            new DashboardDay(new DateOnly(2031, 3, 7), 3, 4, 6, 0, 0, 0, 0, 1, 1, 2, 1, 1, 0, 0),
            new DashboardDay(new DateOnly(2031, 3, 8), 2, 1, 1, 2, 0, 0, 0, 1, 2, 1, 1, 0, 0, 0),
            new DashboardDay(new DateOnly(2031, 3, 9), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 1, 1),
            new DashboardDay(new DateOnly(2031, 3, 10), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        ], d.Days);
        Assert.Equal((3, 3), (d.WeeklyActiveUsers, d.MonthlyActiveUsers));

        // Alice and Bob reached the limit; both saw the dialog and started a checkout; Alice paid, 30 minutes on.
        Assert.Equal((2, 2, 2, 1), (d.Funnel.LimitReached, d.Funnel.DialogShown, d.Funnel.CheckoutStarted, d.Funnel.Paid));
        Assert.InRange(d.Funnel.MedianSecondsToPaid!.Value, 30 * 60, (30 * 60) + 5);

        // Now: Dave active, Carol past due, Alice gone; 10.00 a month from Dave's price. In the range: three new, one ended.
        Assert.Equal(new DashboardSubscriptions(1, 1, 1000, "usd", 3, 1), d.Subscriptions);

        var model = Assert.Single(d.Models);
        Assert.Equal(("built-in", 9L, 0L, 0L, 0L), (model.Model, model.Replies, model.Failed, model.Stopped, model.Interrupted));
        Assert.Equal(tokens, (model.InputTokens, model.OutputTokens));
        Assert.True(tokens.In > 0 && tokens.Out > 0);
        Assert.Equal(Math.Round(((tokens.In * 1m) + (tokens.Out * 2m)) / 1_000_000m, 4), model.EstimatedCost);
        Assert.Contains(model.FirstTokenP50Ms!.Value, Metrics.FirstTokenBounds);
        Assert.True(model.FirstTokenP95Ms >= model.FirstTokenP50Ms);
        Assert.Equal((1L, 2L), (model.FeedbackUp, model.FeedbackDown));
    }

    /// <summary>Each user's replies, oldest first.</summary>
    private async Task<Dictionary<Guid, List<(long Chat, long Id)>>> RepliesAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var replies = await db.Messages.Where(m => m.Role == MessageRole.Assistant).Join(db.Chats, m => m.ChatId, c => c.Id, (m, c) => new { c.UserId, m.ChatId, m.Id })
            .OrderBy(m => m.Id).ToListAsync();
        return replies.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => (r.ChatId, r.Id)).ToList());
    }

    /// <summary>What the replies stored say they used: the dashboard's token counts must be these.</summary>
    private async Task<(long In, long Out)> TokensAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var replies = await db.Messages.Where(m => m.Role == MessageRole.Assistant).Select(m => new { m.InputTokens, m.OutputTokens }).ToListAsync();
        Assert.Equal(9, replies.Count);
        return (replies.Sum(r => (long)r.InputTokens!.Value), replies.Sum(r => (long)r.OutputTokens!.Value));
    }

    private static async Task RateAsync(TestUser user, (long Chat, long Id) reply, string? rating) =>
        Assert.Equal(HttpStatusCode.NoContent,
            (await user.Client.PutAsJsonAsync($"/api/chats/{reply.Chat}/messages/{reply.Id}/feedback", new { rating })).StatusCode);
}
