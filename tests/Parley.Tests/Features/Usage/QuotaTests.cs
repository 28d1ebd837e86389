using System.Net;
using System.Net.Http.Json;
using Parley.Features.Auth;
using Parley.Features.Chats;
using Parley.Features.Usage;
using Parley.Hosting;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Usage;

public sealed class QuotaTests(QuotaTests.Factory factory) : IClassFixture<QuotaTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory()
        {
            Settings["Usage:FreeMessageLimit"] = "3";
            Settings["Usage:Window"] = "01:00:00";
            Settings["Auth:AccessTokenLifetime"] = "1.00:00:00"; // outlives the window the tests move through
        }
    }

    [Fact]
    public async Task UsageStartsFullAndCountsDown()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();

        var before = await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);
        var sent = await (await user.SendAsync(chat.Id, "hello")).ReadAsync<SendMessageResponse>();
        var after = await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);

        Assert.Equal((Plan.Free, 0, 3, 3, 3600), (before!.Plan, before.Used, before.Limit, before.Remaining, before.WindowSeconds));
        Assert.Null(before.NextFreeAt);
        Assert.Equal((1, 2), (sent.Usage.Used, sent.Usage.Remaining));
        Assert.Equal(sent.Usage, after);
        Assert.Equal(sent.UserMessage.CreatedAt.AddHours(1), after!.NextFreeAt!.Value, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task SendingAtTheLimitReturnsQuotaExceededAndStoresNothing()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await user.SendAsync(chat.Id, $"message {i}")).StatusCode);
        }

        var response = await user.SendAsync(chat.Id, "one too many");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.PaymentRequired);
        Assert.Equal(ProblemTypes.QuotaExceeded, problem.Type);
        Assert.Equal(0, problem.Raw.GetProperty("remaining").GetInt32());
        Assert.Equal(3, problem.Raw.GetProperty("limit").GetInt32());
        Assert.Equal(UsageProblems.UpgradePath, problem.Raw.GetProperty("upgradeUrl").GetString());
        Assert.True(problem.Raw.GetProperty("nextFreeAt").GetDateTimeOffset() > factory.Time.GetUtcNow());
        var history = await user.Client.GetFromJsonAsync<MessagePage>($"/api/chats/{chat.Id}/messages", ApiJson.Options);
        Assert.DoesNotContain(history!.Items, m => m.Content == "one too many");
        Assert.Equal(6, history.Items.Count);
    }

    [Fact]
    public async Task DeletingChatsNeverGivesQuotaBack()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        await user.SendAsync(chat.Id, "one");
        await user.SendAsync(chat.Id, "two");

        await user.Client.DeleteAsync($"/api/chats/{chat.Id}");
        var usage = await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);

        Assert.Equal(2, usage!.Used);
        Assert.Equal(1, usage.Remaining);
    }

    [Fact]
    public async Task MessagesFreeUpOnceTheyLeaveTheWindow()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        for (var i = 0; i < 3; i++)
        {
            await user.SendAsync(chat.Id, $"message {i}");
        }

        factory.Time.Advance(TimeSpan.FromMinutes(61));
        var usage = await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);
        var response = await user.SendAsync(chat.Id, "back again");

        Assert.Equal(3, usage!.Remaining);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PremiumUsersAreNotLimitedByDefault()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();

        var exit = await AdminCommands.RunAsync(factory.Services, ["set-plan", user.Email, "premium"]);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await user.SendAsync(chat.Id, $"message {i}")).StatusCode);
        }

        var usage = await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);
        Assert.Equal(0, exit);
        Assert.Equal((Plan.Premium, 5, (int?)null, (int?)null), (usage!.Plan, usage.Used, usage.Limit, usage.Remaining));
    }

    [Fact]
    public async Task SetPlanForAnUnknownEmailFails()
    {
        Assert.Equal(1, await AdminCommands.RunAsync(factory.Services, ["set-plan", "nobody@example.com", "premium"]));
        Assert.Equal(2, await AdminCommands.RunAsync(factory.Services, ["set-plan", "nobody@example.com", "gold"]));
    }

    [Fact]
    public async Task PlansListTheConfiguredLimits()
    {
        var plans = await factory.CreateClient().GetFromJsonAsync<PlansResponse>("/api/plans", ApiJson.Options);

        Assert.Equal([Plan.Free, Plan.Premium], plans!.Plans.Select(p => p.Plan));
        Assert.Equal(3, plans.Plans[0].MessageLimit);
        Assert.Null(plans.Plans[1].MessageLimit);
    }
}

public sealed class PremiumFairUseTests(PremiumFairUseTests.Factory factory) : IClassFixture<PremiumFairUseTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory()
        {
            Settings["Usage:FreeMessageLimit"] = "1";
            Settings["Usage:PremiumMessageLimit"] = "2";
        }
    }

    [Fact]
    public async Task AConfiguredPremiumLimitApplies()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        await AdminCommands.RunAsync(factory.Services, ["set-plan", user.Email, "premium"]);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await user.SendAsync(chat.Id, $"message {i}")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.PaymentRequired], statuses);
    }
}
