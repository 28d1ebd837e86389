using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Features.Admin;
using Parley.Features.Analytics;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Analytics;

public sealed class SqliteAnalyticsFaultTests(SqliteAnalyticsFaultTests.Factory factory)
    : AnalyticsFaultTests<SqliteAnalyticsFaultTests.Factory>(factory), IClassFixture<SqliteAnalyticsFaultTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory() => AnalyticsFaultSettings.Apply(Settings);
    }
}

public sealed class PostgresAnalyticsFaultTests(PostgresAnalyticsFaultTests.Factory factory)
    : AnalyticsFaultTests<PostgresAnalyticsFaultTests.Factory>(factory), IClassFixture<PostgresAnalyticsFaultTests.Factory>
{
    public sealed class Factory : PostgresFactory
    {
        public Factory() => AnalyticsFaultSettings.Apply(Settings);
    }
}

public static class AnalyticsFaultSettings
{
    public const string Admin = "analytics-admin@example.com";

    public static void Apply(Dictionary<string, string?> settings)
    {
        settings["Admin:Emails"] = Admin;
        settings["Usage:FreeMessageLimit"] = "1";
    }
}

/// <summary>
/// The analytics off the happy path: instances racing to roll up the same days, parallel refused sends racing to
/// open the same user's funnel, a dialog reported in a loop, and ranges that can't be read.
/// </summary>
public abstract class AnalyticsFaultTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    private const string Admin = AnalyticsFaultSettings.Admin;

    private async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    [Fact]
    public async Task InstancesRacingToRollUpTheSameDaysWriteEachDayOnceAndAgreeWithTheLiveCount()
    {
        // Replies of a user over the five days before today, written as the app writes them.
        var user = await factory.RegisterAsync();
        var now = factory.Time.GetUtcNow().UtcDateTime;
        await WithDbAsync(async db =>
        {
            db.AnalyticsEvents.AddRange(Enumerable.Range(1, 50).Select(i => new AnalyticsEvent
            {
                Kind = AnalyticsKind.Reply, UserId = user.Session.User.Id, OccurredAt = now.AddDays(-2 - (i % 5)).AddMinutes(-i), Premium = i % 3 == 0,
                Model = "built-in", Outcome = i % 10 == 0 ? ReplyOutcomes.Failed : ReplyOutcomes.Complete, FirstTokenMs = 40 * i, InputTokens = i, OutputTokens = 2 * i,
            }));
            return await db.SaveChangesAsync();
        });
        var admin = await factory.RegisterAsync($"race-{Guid.NewGuid():N}@example.com");
        Assert.True(await AdminCommandsRun(admin.Email));
        var live = await (await admin.Client.GetAsync("/api/admin/dashboard?days=10")).ReadAsync<DashboardResponse>();

        // Four instances' roll-up jobs at once (each with its own database connections).
        var instances = Enumerable.Range(0, 4).Select(_ => new AnalyticsRollups(factory.Services.GetRequiredService<IServiceScopeFactory>(),
            factory.Services.GetRequiredService<IOptions<AdminOptions>>(), factory.Time, NullLogger<AnalyticsRollups>.Instance)).ToList();
        await Task.WhenAll(instances.Select(r => r.RunOnceAsync(CancellationToken.None)));

        var (markers, days) = await WithDbAsync(async db => (
            await db.AnalyticsRolledUpDays.GroupBy(d => d.Day).Select(g => g.Count()).ToListAsync(),
            await db.AnalyticsDays.Where(d => d.Metric == Metrics.FreeMessages || d.Metric == Metrics.PremiumMessages).SumAsync(d => d.Value)));
        Assert.NotEmpty(markers);
        Assert.All(markers, count => Assert.Equal(1, count));
        Assert.Equal(50, days); // each reply counted once, whoever rolled its day up
        var rolled = await (await admin.Client.GetAsync("/api/admin/dashboard?days=10")).ReadAsync<DashboardResponse>();
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(live), System.Text.Json.JsonSerializer.Serialize(rolled));
        var before = rolled.Days.Where(d => d.Day <= rolled.To.AddDays(-2)).ToList(); // today has other tests' messages
        Assert.Equal(50, before.Sum(d => d.FreeMessages + d.PremiumMessages));
        Assert.Equal(5, before.Sum(d => d.RepliesFailed));
    }

    [Fact]
    public async Task ParallelRefusedSendsAreEachAHitButOpenTheUsersFunnelOnce()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        Assert.Equal(HttpStatusCode.OK, (await user.SendAsync(chat.Id, "the only one")).StatusCode);

        var refused = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => user.SendAsync(chat.Id, $"more {i}")));

        Assert.All(refused, r => Assert.Equal(HttpStatusCode.PaymentRequired, r.StatusCode));
        var id = user.Session.User.Id;
        var (hits, funnels) = await WithDbAsync(async db => (
            await db.AnalyticsEvents.CountAsync(e => e.UserId == id && e.Kind == AnalyticsKind.LimitReached),
            await db.AnalyticsFunnels.CountAsync(f => f.UserId == id)));
        Assert.Equal((8, 1), (hits, funnels));
    }

    [Fact]
    public async Task TheDialogReportedInALoopCountsOnceAndNonsenseIsRefused()
    {
        var user = await factory.RegisterAsync();
        foreach (var _ in Enumerable.Range(0, 5))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PostAsJsonAsync("/api/analytics/upgrade-dialog", new { @event = "Shown" })).StatusCode);
        }

        await (await user.Client.PostAsJsonAsync("/api/analytics/upgrade-dialog", new { @event = "Clicked" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Client.PostAsync("/api/analytics/upgrade-dialog", new StringContent("{", System.Text.Encoding.UTF8, "application/json")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().PostAsJsonAsync("/api/analytics/upgrade-dialog", new { @event = "Shown" })).StatusCode);
        var id = user.Session.User.Id;
        Assert.Equal(1, await WithDbAsync(db => db.AnalyticsEvents.CountAsync(e => e.UserId == id && e.Kind == AnalyticsKind.UpgradeShown)));
    }

    [Theory]
    [InlineData("from=2026-13-01", "from", "yyyy-mm-dd")]
    [InlineData("to=yesterday", "to", "yyyy-mm-dd")]
    [InlineData("from=2026-03-02&to=2026-03-01", "from", "swap them")]
    [InlineData("from=2024-01-01&to=2026-01-01", "from", "at most 366 days")]
    [InlineData("days=0", "days", "1 to 366")]
    [InlineData("days=100000", "days", "1 to 366")]
    public async Task ARangeThatCantBeReadIsAClearProblem(string query, string field, string says)
    {
        var admin = await factory.RegisterAsync(Admin.Replace("analytics-admin", $"analytics-admin+{Guid.NewGuid():N}", StringComparison.Ordinal)) is var other
            && await AdminCommandsRun(other.Email) ? other : throw new InvalidOperationException();

        var problem = await (await admin.Client.GetAsync($"/api/admin/dashboard?{query}")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation, says);

        Assert.True(problem.Raw.GetProperty("errors").TryGetProperty(field, out _), problem.Raw.ToString());
    }

    private async Task<bool> AdminCommandsRun(string email) => await Parley.Hosting.AdminCommands.RunAsync(factory.Services, ["set-role", email, "admin"]) == 0;
}
