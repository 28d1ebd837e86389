using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Parley.Features.Bot;
using Parley.Features.Usage;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Chats;

public sealed class SqliteContinueTests(FakeModelFactory factory) : ContinueTests<FakeModelFactory>(factory), IClassFixture<FakeModelFactory>;

public sealed class PostgresContinueTests(PostgresFakeModelFactory factory)
    : ContinueTests<PostgresFakeModelFactory>(factory), IClassFixture<PostgresFakeModelFactory>;

/// <summary>
/// "Continue" on a stopped or interrupted reply: the model reads the kept text and writes on, in the same message.
/// It is a call to the model, so it takes a message; one that fails before any new text leaves the reply as it was.
/// </summary>
public abstract class ContinueTests<TFactory>(TFactory factory) where TFactory : ParleyFactory, IFakeModelFactory
{
    [Fact]
    public async Task ContinuingAStoppedReplyWritesOnInTheSameMessageFromItsText()
    {
        var (user, chatId, replyId) = await StoppedReplyAsync();
        factory.Model.Behaviour = _ => FakeAnswer.Text("beta gamma");

        var events = await StreamAsync(user, $"/api/chats/{chatId}/messages/{replyId}/continue");

        Assert.Equal("alpha ", events[0].Data.GetProperty("reply").GetProperty("content").GetString());
        Assert.Equal("alpha beta gamma", string.Concat(events.Where(e => e.Type == "delta").Select(e => e.Data.GetProperty("text").GetString())));
        var reply = events.StoredReply();
        Assert.Equal(("done", replyId, "alpha beta gamma", "Complete"),
            (events[^1].Type, reply.GetProperty("id").GetInt64(), reply.GetProperty("content").GetString(), reply.GetProperty("status").GetString()));
        // The model saw the conversation, its own kept text, and the instruction to go on from there.
        var sent = factory.Model.Requests.Last(r => r["stream"]?.GetValue<bool>() == true)["messages"]!.AsArray();
        Assert.Equal(("assistant", "alpha "), (sent[^2]!["role"]!.GetValue<string>(), FakeOpenAIServer.Text(sent[^2]!)));
        Assert.Equal(("user", ChatBot.ContinueInstruction), (sent[^1]!["role"]!.GetValue<string>(), FakeOpenAIServer.Text(sent[^1]!)));
        var history = await user.Client.GetFromJsonAsync<JsonElement>($"/api/chats/{chatId}/messages");
        Assert.Equal(2, history.GetProperty("items").GetArrayLength()); // one question, one reply: nothing new
        Assert.Equal(2, (await UsageAsync(user)).Used); // the model was called twice
    }

    [Fact]
    public async Task AContinuationThatFailsBeforeAnyNewTextLeavesTheReplyAsItWasAndIsNotCounted()
    {
        var (user, chatId, replyId) = await StoppedReplyAsync();
        factory.Model.Behaviour = _ => FakeAnswer.Error(500);

        var events = await StreamAsync(user, $"/api/chats/{chatId}/messages/{replyId}/continue");

        Assert.Equal(["start", "delta", "usage", "error"], events.Select(e => e.Type)); // the kept text, then the failure
        var error = events[^1].Data;
        Assert.Equal(Parley.Web.ProblemTypes.BotUnavailable, error.GetProperty("type").GetString());
        var reply = error.GetProperty("reply");
        Assert.Equal((replyId, "alpha ", "Stopped"), (reply.GetProperty("id").GetInt64(), reply.GetProperty("content").GetString(), reply.GetProperty("status").GetString()));
        Assert.Equal(1, (await UsageAsync(user)).Used);
        Assert.Equal(1, error.GetProperty("usage").GetProperty("used").GetInt32());
    }

    [Fact]
    public async Task OnlyAStoppedOrInterruptedReplyAtTheEndOfItsBranchCanBeContinued()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = _ => FakeAnswer.Text("a whole answer");
        var sent = (await (await user.SendAsync(chat.Id, "hi")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reply").GetProperty("id").GetInt64();

        var complete = await user.Client.PostAsync($"/api/chats/{chat.Id}/messages/{sent}/continue", null);

        Assert.Equal(HttpStatusCode.Conflict, complete.StatusCode);
        Assert.Equal(1, (await UsageAsync(user)).Used);
    }

    [Fact]
    public async Task AnotherUsersReplyCannotBeContinued()
    {
        var (_, chatId, replyId) = await StoppedReplyAsync();
        var stranger = await factory.RegisterAsync();

        var response = await stranger.Client.PostAsync($"/api/chats/{chatId}/messages/{replyId}/continue", null);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>A reply stopped after its first word, "alpha ".</summary>
    private async Task<(TestUser User, long ChatId, long ReplyId)> StoppedReplyAsync()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        factory.Model.Behaviour = _ => FakeAnswer.Text("alpha never") with { BeforeChunk = i => i == 0 ? Task.CompletedTask : held.Task };
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var response = await user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/stream", new { content = "go" });
        long replyId = 0;
        await foreach (var e in response.ReadEventsAsync())
        {
            if (e.Type == "start")
            {
                replyId = e.Data.GetProperty("reply").GetProperty("id").GetInt64();
            }
            else if (e.Type == "delta")
            {
                Assert.Equal(HttpStatusCode.Accepted, (await user.Client.PostAsync($"/api/chats/{chat.Id}/messages/{replyId}/stop", null)).StatusCode);
            }
            else if (e.Type == "done")
            {
                Assert.Equal(("alpha ".Length, "Stopped"), (e.Data.GetProperty("reply").GetProperty("length").GetInt32(), e.Data.GetProperty("reply").GetProperty("status").GetString()));
            }
        }

        return (user, chat.Id, replyId);
    }

    private static async Task<List<SseEvent>> StreamAsync(TestUser user, string url)
    {
        var response = await user.Client.OpenStreamAsync(HttpMethod.Post, url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = new List<SseEvent>();
        await foreach (var e in response.ReadEventsAsync())
        {
            events.Add(e);
        }

        return events;
    }

    private static async Task<UsageResponse> UsageAsync(TestUser user) =>
        (await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options))!;
}
