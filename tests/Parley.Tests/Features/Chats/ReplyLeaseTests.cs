using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Features.Chats;
using Parley.Features.Usage;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Chats;

/// <summary>
/// Nothing stays streaming: a reply whose instance died (what <c>kill -9</c> leaves in the database: the reply
/// streaming, the quota taken, a lease nobody renews) is closed as interrupted by a live instance, with its text,
/// and followers are told. The lease of a reply that is being generated is renewed and never expires.
/// </summary>
public abstract class ReplyLeaseTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(6); // ChatOptions.ReplyLease

    /// <summary>A chat with one answered question, then a regeneration a dead instance had started.</summary>
    private async Task<(TestUser User, long ChatId, long ReplyId)> OrphanAsync(string textSoFar)
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var sent = await (await user.SendAsync(chat.Id, "hello")).Content.ReadFromJsonAsync<SendMessageResponse>(ApiJson.Options);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = factory.Time.GetUtcNow().UtcDateTime;
        var reply = new Message
        {
            ChatId = chat.Id,
            ParentId = sent!.UserMessage.Id,
            Role = MessageRole.Assistant,
            Content = textSoFar,
            Status = MessageStatus.Streaming,
            CreatedAt = now,
            LeaseOwner = "host-that-was-killed/4242/0",
            LeaseExpiresAt = now + Lease,
        };
        // The dead instance had taken the message from the quota, as a send does.
        var quota = scope.ServiceProvider.GetRequiredService<QuotaService>();
        var taken = await db.RetryingAsync(async ct =>
        {
            await using var tx = await quota.BeginAsync(user.Session.User.Id, ct);
            var (entry, _) = await quota.TryTakeAsync(user.Session.User.Id, sent.UserMessage.Id, ct);
            db.Messages.Add(reply);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return entry;
        }, CancellationToken.None);
        Assert.NotNull(taken);

        await db.Chats.Where(c => c.Id == chat.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.ActiveLeafId, reply.Id));
        return (user, chat.Id, reply.Id);
    }

    private async Task<Message> StoredAsync(long id)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Messages.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    /// <summary>Polls the database (a state, not a timer) until <paramref name="done"/> holds.</summary>
    private async Task<Message> WaitForAsync(long id, Func<Message, bool> done)
    {
        for (var i = 0; i < 200; i++)
        {
            var message = await StoredAsync(id);
            if (done(message))
            {
                return message;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Message {id} never got there: {await StoredAsync(id) is var m && m is not null}");
    }

    [Fact]
    public async Task AReplyWhoseInstanceDiedIsClosedAsInterruptedWithItsTextWithinTenSeconds()
    {
        var (user, _, replyId) = await OrphanAsync("Half of an ans");
        var leases = factory.Services.GetRequiredService<ReplyLeases>();

        factory.Time.Advance(TimeSpan.FromSeconds(3));
        await leases.SweepAsync(CancellationToken.None);
        Assert.Equal(MessageStatus.Streaming, (await StoredAsync(replyId)).Status); // the lease still runs

        factory.Time.Advance(TimeSpan.FromSeconds(7)); // 10 s after the last renewal: the sweep on its timer closes it
        var closed = await WaitForAsync(replyId, m => m.Status != MessageStatus.Streaming);

        Assert.Equal((MessageStatus.Interrupted, "Half of an ans", (DateTime?)null), (closed.Status, closed.Content, closed.LeaseExpiresAt));
        var usage = await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);
        Assert.Equal(2, usage!.Used); // there was text: the message counts
    }

    [Fact]
    public async Task AnInterruptedReplyWithoutTextGivesTheMessageBack()
    {
        var (user, _, replyId) = await OrphanAsync("");

        factory.Time.Advance(TimeSpan.FromSeconds(10));
        await factory.Services.GetRequiredService<ReplyLeases>().SweepAsync(CancellationToken.None);

        Assert.Equal(MessageStatus.Interrupted, (await WaitForAsync(replyId, m => m.Status != MessageStatus.Streaming)).Status);
        var usage = await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options);
        Assert.Equal(1, usage!.Used);
    }

    [Fact]
    public async Task AFollowerIsToldTheReplyWasInterruptedAndGetsItsText()
    {
        var (user, chatId, replyId) = await OrphanAsync("Half of an ans");
        var response = await user.Client.OpenStreamAsync(HttpMethod.Get, $"/api/chats/{chatId}/messages/{replyId}/stream");
        var events = new List<SseEvent>();
        await foreach (var e in response.ReadEventsAsync())
        {
            events.Add(e);
            if (e.Type == "delta")
            {
                factory.Time.Advance(TimeSpan.FromSeconds(10)); // the owner is gone: a sweep closes it
                await factory.Services.GetRequiredService<ReplyLeases>().SweepAsync(CancellationToken.None);
            }
        }

        Assert.Equal(["delta", "usage", "error"], events.Select(e => e.Type)); // as from the generating instance
        var error = events[^1].Data;
        Assert.Equal(ProblemTypes.ReplyInterrupted, error.GetProperty("type").GetString());
        Assert.Equal("Interrupted", error.GetProperty("reply").GetProperty("status").GetString());
        Assert.Equal("Half of an ans", error.GetProperty("reply").GetProperty("content").GetString());
    }

    [Fact]
    public async Task HistoryShowsTheInterruptedReplyAndItCanBeRegenerated()
    {
        var (user, chatId, replyId) = await OrphanAsync("Half of an ans");
        factory.Time.Advance(TimeSpan.FromSeconds(10));
        await factory.Services.GetRequiredService<ReplyLeases>().SweepAsync(CancellationToken.None);

        var history = await user.Client.GetFromJsonAsync<MessagePage>($"/api/chats/{chatId}/messages", ApiJson.Options);
        var regenerate = await user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chatId}/messages/{replyId}/regenerate");
        var events = await regenerate.ReadEventsAsync().ToListAsync();

        Assert.Equal(MessageStatus.Interrupted, history!.Items[^1].Status);
        Assert.Equal("done", events[^1].Type);
    }

    [Fact]
    public async Task TheLeaseOfAReplyBeingGeneratedIsRenewed()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var generations = factory.Services.GetRequiredService<ReplyGenerations>();
        var response = await user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/stream", new { content = "Write me a long one" });
        await using var events = response.ReadEventsAsync().GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        var replyId = events.Current.Data.GetProperty("reply").GetProperty("id").GetInt64();
        var first = (await StoredAsync(replyId)).LeaseExpiresAt!.Value;

        factory.Time.Advance(TimeSpan.FromSeconds(20)); // far past the first lease: the tick renews before it sweeps
        var renewed = await WaitForAsync(replyId, m => m.Status != MessageStatus.Streaming || m.LeaseExpiresAt > first + TimeSpan.FromSeconds(10));

        Assert.True(generations.RunningIds.Contains(replyId) || renewed.Status == MessageStatus.Complete,
            "the reply finished before the test could see its lease renewed");
        Assert.NotEqual(MessageStatus.Interrupted, renewed.Status);
    }
}

public sealed class SqliteReplyLeaseTests(SqliteReplyLeaseTests.Factory factory)
    : ReplyLeaseTests<SqliteReplyLeaseTests.Factory>(factory), IClassFixture<SqliteReplyLeaseTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory() => Settings["Bot:BuiltInWordDelay"] = "00:00:00.050"; // a reply that lasts a few seconds
    }
}

public sealed class PostgresReplyLeaseTests(PostgresReplyLeaseTests.Factory factory)
    : ReplyLeaseTests<PostgresReplyLeaseTests.Factory>(factory), IClassFixture<PostgresReplyLeaseTests.Factory>
{
    public sealed class Factory : PostgresFactory
    {
        public Factory() => Settings["Bot:BuiltInWordDelay"] = "00:00:00.050";
    }
}
