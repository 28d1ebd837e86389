using System.Net;
using System.Net.Http.Json;
using Parley.Features.Chats;
using Parley.Features.Usage;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Bot;

/// <summary>With an endpoint configured, replies come from an OpenAI-compatible server: here a fake one over HTTP.</summary>
public sealed class OpenAIProviderTests(OpenAIProviderTests.Factory factory) : IClassFixture<OpenAIProviderTests.Factory>
{
    public sealed class Factory : FakeModelFactory
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Settings["Bot:OpenAI:ApiKey"] = "sk-test-key";
            Settings["Bot:OpenAI:Model"] = "test-model-1";
            Settings["Bot:Timeout"] = "00:00:02";
            Settings["Bot:SystemPrompt"] = "You are a test assistant.";
        }
    }

    [Fact]
    public async Task RepliesComeFromTheConfiguredModelWithTheWholeConversation()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = r => FakeAnswer.Text($"echo: {FakeOpenAIServer.LastUserMessage(r)}");

        await user.SendAsync(chat.Id, "first question");
        var sent = await (await user.SendAsync(chat.Id, "second question")).ReadAsync<SendMessageResponse>();

        Assert.Equal("echo: second question", sent.Reply.Content);
        var request = factory.Model.Requests.Last(r => FakeOpenAIServer.LastUserMessage(r) == "second question");
        Assert.Equal("test-model-1", request["model"]!.GetValue<string>());
        var messages = request["messages"]!.AsArray().Select(m => (Role: m!["role"]!.GetValue<string>(), Text: Text(m["content"]))).ToList();
        Assert.Equal(
            [("system", "You are a test assistant."), ("user", "first question"), ("assistant", "echo: first question"), ("user", "second question")],
            messages);
        Assert.Contains("Bearer sk-test-key", factory.Model.Authorizations);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(429)]
    [InlineData(503)]
    public async Task AProviderErrorKeepsTheMessageMarksItFailedAndRefundsTheQuota(int status)
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = _ => FakeAnswer.Error(status);

        var response = await user.SendAsync(chat.Id, "will this work?");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
        Assert.Equal(ProblemTypes.BotUnavailable, problem.Type);
        var history = await user.Client.GetFromJsonAsync<MessagePage>($"/api/chats/{chat.Id}/messages", ApiJson.Options);
        var message = Assert.Single(history!.Items);
        Assert.Equal(("will this work?", MessageStatus.ReplyFailed), (message.Content, message.Status));
        var usage = await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);
        Assert.Equal(0, usage!.Used);
    }

    [Fact]
    public async Task ATimeoutCountsAsAFailure()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = _ => FakeAnswer.Hang(TimeSpan.FromSeconds(30));

        var response = await user.SendAsync(chat.Id, "hello?");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
        var usage = await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);
        Assert.Equal(0, usage!.Used);
    }

    [Fact]
    public async Task RetryingAFailedReplyAnswersTheSameMessage()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = _ => FakeAnswer.Error(500);
        var failed = await (await user.SendAsync(chat.Id, "try me")).ShouldBeProblemAsync(HttpStatusCode.BadGateway);
        var messageId = failed.Raw.GetProperty("messageId").GetInt64();

        factory.Model.Behaviour = r => FakeAnswer.Text($"now: {FakeOpenAIServer.LastUserMessage(r)}");
        var retried = await user.Client.PostAsync($"/api/chats/{chat.Id}/messages/{messageId}/retry", null);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var sent = await retried.ReadAsync<SendMessageResponse>();
        Assert.Equal(("now: try me", MessageStatus.Complete, 1), (sent.Reply.Content, sent.UserMessage.Status, sent.Usage.Used));
        var history = await user.Client.GetFromJsonAsync<MessagePage>($"/api/chats/{chat.Id}/messages", ApiJson.Options);
        Assert.Equal(["try me", "now: try me"], history!.Items.Select(m => m.Content));
    }

    [Fact]
    public async Task OnlyAFailedLastMessageCanBeRetried()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = _ => FakeAnswer.Text("fine");
        var sent = await (await user.SendAsync(chat.Id, "all good")).ReadAsync<SendMessageResponse>();

        var response = await user.Client.PostAsync($"/api/chats/{chat.Id}/messages/{sent.UserMessage.Id}/retry", null);

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task FailedMessagesAreLeftOutOfLaterConversations()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = _ => FakeAnswer.Error(500);
        await user.SendAsync(chat.Id, "lost question");

        factory.Model.Behaviour = _ => FakeAnswer.Text("ok");
        await user.SendAsync(chat.Id, "new question");

        var request = factory.Model.Requests.Last(r => FakeOpenAIServer.LastUserMessage(r) == "new question");
        Assert.DoesNotContain(request["messages"]!.AsArray(), m => Text(m!["content"]) == "lost question");
    }

    private static string Text(System.Text.Json.Nodes.JsonNode? content) => content switch
    {
        System.Text.Json.Nodes.JsonValue v => v.GetValue<string>(),
        System.Text.Json.Nodes.JsonArray parts => string.Concat(parts.Select(p => p!["text"]?.GetValue<string>())),
        _ => "",
    };
}
