using System.Net;
using System.Net.Http.Json;
using Parley.Features.Chats;
using Parley.Features.Usage;
using Parley.Hosting;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Bot;

/// <summary>Token counts from the provider are stored and reported.</summary>
public sealed class TokenUsageTests(ProviderTests.Factory factory) : IClassFixture<ProviderTests.Factory>
{
    [Fact]
    public async Task TheProvidersTokenCountsAreStoredAndReported()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = _ => FakeAnswer.Text("counted");

        var sent = await (await user.SendAsync(chat.Id, "count my tokens")).ReadAsync<SendMessageResponse>();
        var usage = await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);

        Assert.Equal((12, 7), (sent.Reply.InputTokens, sent.Reply.OutputTokens)); // the fake's usage chunk
        Assert.Equal(19, usage!.TokensUsed);
        var request = factory.Model.Requests.Last(r => ProviderTests.Question(r) == "count my tokens");
        Assert.True(request["stream_options"]!["include_usage"]!.GetValue<bool>());
    }
}

public sealed class TokenLimitTests(TokenLimitTests.Factory factory) : IClassFixture<TokenLimitTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory()
        {
            Settings["Usage:FreeMessageLimit"] = "100";
            Settings["Usage:FreeTokenLimit"] = "60";
        }
    }

    [Fact]
    public async Task APlanTokenLimitStopsSendsOnceSpent()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10 && !statuses.Contains(HttpStatusCode.PaymentRequired); i++)
        {
            statuses.Add((await user.SendAsync(chat.Id, "how do I connect a model?")).StatusCode); // a long built-in answer
        }

        var usage = await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);
        Assert.Equal(HttpStatusCode.PaymentRequired, statuses[^1]);
        Assert.True(usage!.TokensUsed >= 60);
        Assert.Equal((60, 0), (usage.TokenLimit, usage.Remaining));
        var problem = await (await user.SendAsync(chat.Id, "again")).ShouldBeProblemAsync(HttpStatusCode.PaymentRequired);
        Assert.Contains("60 tokens", problem.Detail, StringComparison.Ordinal);
    }
}
