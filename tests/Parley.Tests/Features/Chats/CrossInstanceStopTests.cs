using System.Net;
using System.Net.Http.Json;
using Parley.Features.Chats;
using Parley.Features.Usage;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Chats;

/// <summary>
/// Behind a round-robin balancer, Stop often lands on an instance that is not generating the reply: it must still end
/// the model call where it runs (PostgreSQL NOTIFY), and the reply is stored as stopped with its text.
/// </summary>
public sealed class CrossInstanceStopTests(CrossInstanceStopTests.Factory factory, Xunit.Abstractions.ITestOutputHelper output)
    : IClassFixture<CrossInstanceStopTests.Factory>
{
    public sealed class Factory : PostgresFakeModelFactory
    {
        public Factory() => Settings["Bot:Timeout"] = "00:00:20";
    }

    private static readonly string LongAnswer = string.Join(' ', Enumerable.Range(1, 300).Select(i => $"word{i}"));

    [Fact]
    public async Task StopSentToTheOtherInstanceEndsTheModelCallWhereItRuns()
    {
        var other = new SecondInstanceFactory(factory);
        try
        {
            var user = await factory.RegisterAsync();
            var chat = await user.CreateChatAsync();
            var otherClient = other.CreateClient();
            otherClient.DefaultRequestHeaders.Authorization = user.Client.DefaultRequestHeaders.Authorization;
            factory.Model.Behaviour = _ => FakeAnswer.Text(LongAnswer) with { ChunkDelay = TimeSpan.FromMilliseconds(50) };
            var abortedBefore = factory.Model.Aborted.Count;

            var response = await user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/stream", new { content = "count" });
            var events = new List<SseEvent>();
            DateTimeOffset? stoppedAt = null;
            await foreach (var e in response.ReadEventsAsync())
            {
                events.Add(e);
                if (e.Type == "delta" && stoppedAt is null && events.Count(x => x.Type == "delta") == 3)
                {
                    var replyId = events[0].Data.GetProperty("reply").GetProperty("id").GetInt64();
                    stoppedAt = DateTimeOffset.UtcNow;
                    var stop = await otherClient.PostAsync($"/api/chats/{chat.Id}/messages/{replyId}/stop", null);
                    Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
                }
            }

            var reply = events.StoredReply();
            Assert.Equal(("done", "Stopped"), (events[^1].Type, reply.GetProperty("status").GetString()));
            Assert.True(reply.GetProperty("content").GetString()!.Length < LongAnswer.Length / 2);
            for (var i = 0; i < 40 && factory.Model.Aborted.Count <= abortedBefore; i++)
            {
                await Task.Delay(50);
            }

            Assert.True(factory.Model.Aborted.Count > abortedBefore, "the model call went on after the stop");
            output.WriteLine($"stop through the other instance reached the model {(factory.Model.Aborted.Last() - stoppedAt!.Value).TotalMilliseconds:0} ms after it was sent");
            var usage = await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);
            Assert.Equal(1, usage!.Used);
        }
        finally
        {
            await ((IAsyncLifetime)other).DisposeAsync();
        }
    }

    [Fact]
    public async Task StoppingAReplyThatAlreadyEndedIsAConflictOnEveryInstance()
    {
        var other = new SecondInstanceFactory(factory);
        try
        {
            var user = await factory.RegisterAsync();
            var chat = await user.CreateChatAsync();
            factory.Model.Behaviour = _ => FakeAnswer.Text("done already");
            var sent = await (await user.SendAsync(chat.Id, "hi")).Content.ReadFromJsonAsync<SendMessageResponse>(ApiJson.Options);
            var otherClient = other.CreateClient();
            otherClient.DefaultRequestHeaders.Authorization = user.Client.DefaultRequestHeaders.Authorization;

            var here = await user.Client.PostAsync($"/api/chats/{chat.Id}/messages/{sent!.Reply.Id}/stop", null);
            var there = await otherClient.PostAsync($"/api/chats/{chat.Id}/messages/{sent.Reply.Id}/stop", null);

            Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (here.StatusCode, there.StatusCode));
        }
        finally
        {
            await ((IAsyncLifetime)other).DisposeAsync();
        }
    }
}
