using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Features.Chats;
using Parley.Features.Usage;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Chats;

/// <summary>
/// The database goes away while a reply is being written. A short outage: the reply's final write is tried again
/// and the reply is stored whole. An outage longer than the reply's lease: the user is told the reply was interrupted
/// with the text that reached the database, and that is exactly what is stored once the lease sweep closes it.
/// </summary>
public sealed class ReplyOutageTests(ReplyOutageTests.Factory factory) : IClassFixture<ReplyOutageTests.Factory>
{
    /// <summary>The app reaches PostgreSQL through a link the tests can cut; leases are short so the test is too.</summary>
    public sealed class Factory : PostgresFakeModelFactory
    {
        public Factory() => Settings["Chats:ReplyLease"] = "00:00:03";

        public TcpProxy DatabaseLink { get; } = TcpProxy.ToPostgres();

        protected override string DatabaseUrl => DatabaseLink.Route(base.DatabaseUrl);

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await DatabaseLink.DisposeAsync();
        }
    }

    [Fact]
    public async Task AReplyFinishingDuringAShortOutageIsStoredWholeOnceTheDatabaseIsBack()
    {
        var (gates, user, _, events) = await StartHeldReplyAsync();
        var replyId = (await events.NextAsync("start")).GetProperty("reply").GetProperty("id").GetInt64();
        Assert.Equal("alpha ", (await events.NextAsync("delta")).GetProperty("text").GetString());

        factory.DatabaseLink.Cut();
        gates[1].SetResult();
        gates[2].SetResult();
        Assert.Equal("beta gamma", await events.TextUntilAsync("beta gamma")); // the model goes on meanwhile
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the outage lasts; the final write waits for the database
        factory.DatabaseLink.Restore();

        await events.NextAsync("usage");
        var done = await events.NextAsync("done");
        Assert.Equal(("alpha beta gamma".Length, "Complete"), (done.GetProperty("reply").GetProperty("length").GetInt32(), done.GetProperty("reply").GetProperty("status").GetString()));
        var stored = await StoredAsync(replyId);
        Assert.Equal(("alpha beta gamma", MessageStatus.Complete), (stored.Content, stored.Status));
        Assert.Contains(factory.Logs.Entries, e => e.Message.Contains($"Storing reply {replyId} failed; trying again", StringComparison.Ordinal));
        Assert.Equal(1, (await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options))!.Used);
    }

    [Fact]
    public async Task AnOutageLongerThanTheLeaseTellsTheUserWhatWillBeStoredAndThatIsWhatIsStored()
    {
        var (gates, user, _, events) = await StartHeldReplyAsync();
        var replyId = (await events.NextAsync("start")).GetProperty("reply").GetProperty("id").GetInt64();
        Assert.Equal("alpha ", (await events.NextAsync("delta")).GetProperty("text").GetString());
        factory.Time.Advance(TimeSpan.FromSeconds(1)); // the next word is written to the row
        gates[1].SetResult();
        Assert.Equal("beta ", (await events.NextAsync("delta")).GetProperty("text").GetString());
        for (var i = 0; i < 100 && (await StoredAsync(replyId)).Content != "alpha beta "; i++)
        {
            await Task.Delay(50);
        }

        factory.DatabaseLink.Cut();
        ReplyNoticeEvent told;
        try
        {
            gates[2].SetResult();
            Assert.Equal("gamma", (await events.NextAsync("delta")).GetProperty("text").GetString());
            var error = await events.NextAsync("error"); // after trying for as long as the lease lasts
            told = new(error.GetProperty("type").GetString()!, error.GetProperty("reply").GetProperty("content").GetString()!,
                error.GetProperty("reply").GetProperty("status").GetString()!);
        }
        finally
        {
            factory.DatabaseLink.Restore();
        }

        Assert.Equal(new ReplyNoticeEvent(ProblemTypes.ReplyInterrupted, "alpha beta ", "Interrupted"), told);
        Assert.Equal(MessageStatus.Streaming, (await StoredAsync(replyId)).Status); // not stored yet: its lease runs out first
        factory.Time.Advance(TimeSpan.FromSeconds(10));
        await factory.Services.GetRequiredService<ReplyLeases>().SweepAsync(CancellationToken.None);
        var stored = await StoredAsync(replyId);
        Assert.Equal(("alpha beta ", MessageStatus.Interrupted), (stored.Content, stored.Status));
        Assert.Equal(1, (await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options))!.Used); // it had text: it counts
    }

    private sealed record ReplyNoticeEvent(string Type, string Content, string Status);

    /// <summary>A reply of three words whose second and third the model writes only when the test opens their gate.</summary>
    private async Task<(TaskCompletionSource[] Gates, TestUser User, long ChatId, IAsyncEnumerator<SseEvent> Events)> StartHeldReplyAsync()
    {
        var gates = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        gates[0].SetResult();
        factory.Model.Behaviour = _ => FakeAnswer.Text("alpha beta gamma") with { BeforeChunk = i => gates[i].Task };
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var response = await user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/stream", new { content = "three words" });
        return (gates, user, chat.Id, response.ReadEventsAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token).GetAsyncEnumerator());
    }

    private static async Task<string> TextUntilAsync(IAsyncEnumerator<SseEvent> events, string expected)
    {
        var text = "";
        while (text.Length < expected.Length)
        {
            text += (await events.NextAsync("delta")).GetProperty("text").GetString();
        }

        return text;
    }

    private async Task<Message> StoredAsync(long id)
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Messages.AsNoTracking().SingleAsync(m => m.Id == id);
    }
}
