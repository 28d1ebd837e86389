using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Hosting;

/// <summary>
/// Shutdown (SIGTERM, a rollout): replies running here get the drain window, then are closed as interrupted with
/// their text, and their followers are told; nothing new starts. Each test has its own app, since it stops it.
/// </summary>
public sealed class ShutdownTests
{
    private sealed class Factory : FakeModelFactory
    {
        public Factory() => Settings["Bot:DrainTimeout"] = "00:00:01";
    }

    private static readonly string LongAnswer = string.Join(' ', Enumerable.Range(1, 300).Select(i => $"word{i}"));

    private static async Task WithAppAsync(Func<Factory, Task> test)
    {
        var factory = new Factory();
        await factory.InitializeAsync();
        try
        {
            await test(factory);
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }
    }

    [Fact]
    public Task AReplyStillRunningAfterTheDrainWindowIsClosedAsInterruptedAndItsFollowerIsTold() => WithAppAsync(async factory =>
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = _ => FakeAnswer.Text(LongAnswer) with { ChunkDelay = TimeSpan.FromMilliseconds(50) };
        var lifetime = factory.Services.GetRequiredService<IHostApplicationLifetime>();

        var response = await user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/stream", new { content = "count" });
        var events = new List<SseEvent>();
        HttpResponseMessage? duringDrain = null;
        await foreach (var e in response.ReadEventsAsync())
        {
            events.Add(e);
            if (e.Type == "delta" && duringDrain is null)
            {
                lifetime.StopApplication();
                duringDrain = await user.SendAsync(chat.Id, "one more");
            }
        }

        Assert.Equal("error", events[^1].Type);
        var error = events[^1].Data;
        Assert.Equal(ProblemTypes.ReplyInterrupted, error.GetProperty("type").GetString());
        var reply = error.GetProperty("reply"); // as stored
        Assert.Equal("Interrupted", reply.GetProperty("status").GetString());
        Assert.StartsWith("word1 word2", reply.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.True(reply.GetProperty("content").GetString()!.Length < LongAnswer.Length);
        Assert.Equal(1, error.GetProperty("usage").GetProperty("used").GetInt32()); // it had text: it counts

        var refused = await duringDrain!.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(ProblemTypes.ShuttingDown, refused.Type);
    });

    [Fact]
    public Task AReplyThatEndsWithinTheDrainWindowFinishesNormally() => WithAppAsync(async factory =>
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = _ => FakeAnswer.Text("a short and complete answer") with { ChunkDelay = TimeSpan.FromMilliseconds(50) };
        var lifetime = factory.Services.GetRequiredService<IHostApplicationLifetime>();

        var response = await user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/stream", new { content = "hi" });
        var events = new List<SseEvent>();
        await foreach (var e in response.ReadEventsAsync())
        {
            events.Add(e);
            if (e.Type == "start")
            {
                lifetime.StopApplication();
            }
        }

        Assert.Equal("done", events[^1].Type);
        Assert.Equal("Complete", events[^1].Data.GetProperty("reply").GetProperty("status").GetString());
    });
}
