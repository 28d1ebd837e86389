using System.Net;
using System.Net.Http.Json;
using Parley.Features.Chats;
using Parley.Features.Usage;
using Parley.Hosting;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Bot;

/// <summary>Provider settings reach the wire, and failures are retried once, only before any text.</summary>
public sealed class ProviderTests(ProviderTests.Factory factory) : IClassFixture<ProviderTests.Factory>
{
    public class Factory : FakeModelFactory
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Settings["Bot:OpenAI:ApiKey"] = "sk-provider";
            Settings["Bot:OpenAI:Model"] = "free-model";
            Settings["Bot:OpenAI:PremiumModel"] = "premium-model";
            Settings["Bot:OpenAI:Headers:X-Gateway-Key"] = "gateway-123";
            Settings["Bot:OpenAI:SendMaxTokens"] = "true";
            Settings["Bot:Temperature"] = "0.3";
            Settings["Bot:MaxOutputTokens"] = "256";
            Settings["Bot:FirstTokenTimeout"] = "00:00:00.500";
            Settings["Bot:Timeout"] = "00:00:10";
        }
    }

    private static string Question(System.Text.Json.Nodes.JsonObject r) => FakeOpenAIServer.LastUserMessage(r);

    /// <summary>Replies stream; the title request after a first exchange does not.</summary>
    private static bool IsStream(System.Text.Json.Nodes.JsonObject r) => r["stream"]?.GetValue<bool>() == true;

    [Fact]
    public async Task EachPlanUsesItsModelAndTheSettingsReachTheRequest()
    {
        var free = await factory.RegisterAsync();
        var premium = await factory.RegisterAsync();
        await AdminCommands.RunAsync(factory.Services, ["set-plan", premium.Email, "premium"]);
        factory.Model.Behaviour = _ => FakeAnswer.Text("ok");
        var tag = Guid.NewGuid().ToString("N");

        await free.SendAsync((await free.CreateChatAsync()).Id, $"free {tag}");
        await premium.SendAsync((await premium.CreateChatAsync()).Id, $"premium {tag}");

        var freeRequest = factory.Model.Requests.Single(r => Question(r) == $"free {tag}");
        var premiumRequest = factory.Model.Requests.Single(r => Question(r) == $"premium {tag}");
        Assert.Equal("free-model", freeRequest["model"]!.GetValue<string>());
        Assert.Equal("premium-model", premiumRequest["model"]!.GetValue<string>());
        Assert.Equal(0.3, freeRequest["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(256, freeRequest["max_tokens"]!.GetValue<int>()); // the old name, as configured
        Assert.Null(freeRequest["max_completion_tokens"]);
        Assert.True(freeRequest["stream"]!.GetValue<bool>());
        Assert.Contains(factory.Model.Calls, c => c.Path == "/v1/chat/completions" && c.Headers.GetValueOrDefault("X-Gateway-Key") == "gateway-123");
    }

    [Fact]
    public async Task StartUpChecksTheModelsList()
    {
        _ = factory.CreateClient();

        for (var i = 0; i < 50 && !factory.Model.Calls.Any(c => c.Path == "/v1/models"); i++)
        {
            await Task.Delay(100);
        }

        var call = Assert.Single(factory.Model.Calls, c => c.Path == "/v1/models");
        Assert.Equal("Bearer sk-provider", call.Headers["Authorization"]);
    }

    [Fact]
    public async Task AFailureBeforeAnyTextIsRetriedOnce()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var calls = 0;
        factory.Model.Behaviour = r => !IsStream(r) ? FakeAnswer.Text("A title") : Interlocked.Increment(ref calls) == 1 ? FakeAnswer.Error(503) : FakeAnswer.Text("second time lucky");

        var sent = await (await user.SendAsync(chat.Id, "retry me")).ReadAsync<SendMessageResponse>();

        Assert.Equal(("second time lucky", 2), (sent.Reply.Content, calls));
    }

    [Fact]
    public async Task TwoFailuresGiveUpAndRefund()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var calls = 0;
        factory.Model.Behaviour = _ => { Interlocked.Increment(ref calls); return FakeAnswer.Error(500); };

        var response = await user.SendAsync(chat.Id, "never");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
        Assert.Equal(2, calls);
        Assert.Equal(0, (await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", Json.Options))!.Used);
    }

    [Fact]
    public async Task NoFirstTokenInTimeIsRetriedThenFails()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var calls = 0;
        factory.Model.Behaviour = _ => { Interlocked.Increment(ref calls); return FakeAnswer.Hang(TimeSpan.FromSeconds(30)); };

        var response = await user.SendAsync(chat.Id, "slow");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task AFailureAfterTextIsNotRetried()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var calls = 0;
        factory.Model.Behaviour = _ => { Interlocked.Increment(ref calls); return FakeAnswer.Text("partial words") with { OmitFinish = true }; };

        var response = await user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/stream", new { content = "cut" });
        var events = await response.ReadEventsAsync().ToListAsync();

        Assert.Equal(1, calls);
        Assert.Equal("Failed", events[^1].Data.GetProperty("reply").GetProperty("status").GetString());
        Assert.Equal(1, (await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", Json.Options))!.Used); // text was produced
    }

    [Fact]
    public async Task TheModelTitlesTheChatAfterTheFirstExchangeWithoutTakingQuota()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = r => r["stream"]?.GetValue<bool>() == true ? FakeAnswer.Text("Use a cast iron pot.") : FakeAnswer.Text("\"Baking Sourdough at Home.\"");

        await user.SendAsync(chat.Id, "how do I bake sourdough bread at home with a pot?");

        ChatResponse? titled = null;
        for (var i = 0; i < 50 && titled?.Title != "Baking Sourdough at Home"; i++)
        {
            await Task.Delay(100);
            titled = await user.Client.GetFromJsonAsync<ChatResponse>($"/api/chats/{chat.Id}", Json.Options);
        }

        Assert.Equal("Baking Sourdough at Home", titled!.Title);
        Assert.Equal(1, (await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", Json.Options))!.Used);
        var titleRequest = factory.Model.Requests.Last(r => r["stream"] is null || !r["stream"]!.GetValue<bool>());
        Assert.Equal("free-model", titleRequest["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task OnlyTheFirstExchangeIsTitled()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = r => r["stream"]?.GetValue<bool>() == true ? FakeAnswer.Text("ok") : FakeAnswer.Text("First Title");
        await user.SendAsync(chat.Id, "first question");
        for (var i = 0; i < 50 && (await user.Client.GetFromJsonAsync<ChatResponse>($"/api/chats/{chat.Id}", Json.Options))!.Title != "First Title"; i++)
        {
            await Task.Delay(100);
        }

        factory.Model.Behaviour = r => r["stream"]?.GetValue<bool>() == true ? FakeAnswer.Text("ok") : FakeAnswer.Text("Second Title");
        await user.SendAsync(chat.Id, "second question");
        await Task.Delay(300);

        Assert.Equal("First Title", (await user.Client.GetFromJsonAsync<ChatResponse>($"/api/chats/{chat.Id}", Json.Options))!.Title);
    }

    [Fact]
    public async Task TheProvidersTokenCountsAreStoredAndReported()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = _ => FakeAnswer.Text("counted");

        var sent = await (await user.SendAsync(chat.Id, "count my tokens")).ReadAsync<SendMessageResponse>();
        var usage = await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", Json.Options);

        Assert.Equal((12, 7), (sent.Reply.InputTokens, sent.Reply.OutputTokens)); // the fake's usage chunk
        Assert.Equal(19, usage!.TokensUsed);
        var request = factory.Model.Requests.Last(r => Question(r) == "count my tokens");
        Assert.True(request["stream_options"]!["include_usage"]!.GetValue<bool>());
    }
}

public sealed class ModelSeesTheActiveBranchTests(ProviderTests.Factory factory) : IClassFixture<ProviderTests.Factory>
{
    private static IEnumerable<string> Sent(System.Text.Json.Nodes.JsonObject request) =>
        request["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() != "system")
            .Select(m => m!["content"] is System.Text.Json.Nodes.JsonValue v ? v.GetValue<string>() : string.Concat(m["content"]!.AsArray().Select(p => p!["text"]?.GetValue<string>())));

    [Fact]
    public async Task SwitchingBranchChangesWhatTheModelIsSent()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var tag = Guid.NewGuid().ToString("N")[..6];
        factory.Model.Behaviour = r => r["stream"]?.GetValue<bool>() == true ? FakeAnswer.Text($"re: {FakeOpenAIServer.LastUserMessage(r)}") : FakeAnswer.Text("Title");
        var first = await (await user.SendAsync(chat.Id, $"first {tag}")).ReadAsync<SendMessageResponse>();
        await user.SendAsync(chat.Id, $"second {tag}");

        await Parley.Tests.Features.Chats.BranchHelpers.StreamAsync(user, $"/api/chats/{chat.Id}/messages/{first.UserMessage.Id}/edit", new { content = $"edited {tag}" });
        var editRequest = factory.Model.Requests.Last(r => FakeOpenAIServer.LastUserMessage(r) == $"edited {tag}");

        await user.Client.PutAsJsonAsync($"/api/chats/{chat.Id}/branch", new { messageId = first.UserMessage.Id });
        await user.SendAsync(chat.Id, $"third {tag}");
        var thirdRequest = factory.Model.Requests.Last(r => FakeOpenAIServer.LastUserMessage(r) == $"third {tag}");

        Assert.Equal([$"edited {tag}"], Sent(editRequest));
        Assert.Equal([$"first {tag}", $"re: first {tag}", $"second {tag}", $"re: second {tag}", $"third {tag}"], Sent(thirdRequest));
    }
}

public sealed class ContextBudgetTests(ContextBudgetTests.Factory factory) : IClassFixture<ContextBudgetTests.Factory>
{
    public sealed class Factory : ProviderTests.Factory
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Settings["Bot:HistoryTokenBudget"] = "300";
            Settings["Bot:SystemPrompt"] = "You are terse.";
        }
    }

    [Fact]
    public async Task OldTurnsAreDroppedToFitTheBudgetAndTheSystemPromptStays()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = r => r["stream"]?.GetValue<bool>() == true ? FakeAnswer.Text("ok") : FakeAnswer.Text("Title");
        for (var i = 1; i <= 6; i++)
        {
            await user.SendAsync(chat.Id, $"turn {i} " + new string('x', 300)); // ≈ 80 tokens each
        }

        var last = factory.Model.Requests.Last(r => r["stream"]?.GetValue<bool>() == true);
        var messages = last["messages"]!.AsArray();
        var texts = messages.Select(m => m!["content"] is System.Text.Json.Nodes.JsonValue v ? v.GetValue<string>() : string.Concat(m["content"]!.AsArray().Select(p => p!["text"]?.GetValue<string>()))).ToList();

        Assert.Equal("system", messages[0]!["role"]!.GetValue<string>());
        Assert.Equal("You are terse.", texts[0]);
        Assert.StartsWith("turn 6", texts[^1]);
        Assert.DoesNotContain(texts, t => t.StartsWith("turn 1", StringComparison.Ordinal));
        Assert.True(texts.Sum(t => ChatBotEstimate(t)) <= 300 + ChatBotEstimate(texts[^1]));
    }

    private static int ChatBotEstimate(string text) => Parley.Features.Bot.ChatBot.EstimateTokens(text);
}

public sealed class UnreachableModelTests(UnreachableModelTests.Factory factory) : IClassFixture<UnreachableModelTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory()
        {
            Settings["Bot:OpenAI:Endpoint"] = "http://127.0.0.1:1/v1"; // nothing listens there
            Settings["Bot:OpenAI:ApiKey"] = "sk-nowhere";
        }
    }

    [Fact]
    public async Task AnUnreachableModelServerIsAClearWarningAtStartUp()
    {
        _ = factory.CreateClient(); // the app starts anyway

        for (var i = 0; i < 100 && !factory.Logs.Entries.Any(e => e.Message.Contains("cannot be reached", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(100);
        }

        var warning = Assert.Single(factory.Logs.Entries, e => e.Message.Contains("cannot be reached", StringComparison.Ordinal));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Contains("http://127.0.0.1:1/v1", warning.Message, StringComparison.Ordinal);
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

        var usage = await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", Json.Options);
        Assert.Equal(HttpStatusCode.PaymentRequired, statuses[^1]);
        Assert.True(usage!.TokensUsed >= 60);
        Assert.Equal((60, 0), (usage.TokenLimit, usage.Remaining));
        var problem = await (await user.SendAsync(chat.Id, "again")).ShouldBeProblemAsync(HttpStatusCode.PaymentRequired);
        Assert.Contains("60 tokens", problem.Detail, StringComparison.Ordinal);
    }
}
