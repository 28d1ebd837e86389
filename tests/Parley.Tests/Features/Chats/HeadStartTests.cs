using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Parley.Data;
using Parley.Features.Chats;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Chats;

/// <summary>
/// A send asks the model while its quota is taken (docs/decisions/0013-head-start.md). The model is asked before the
/// transaction gets the user's lock; a send refused after all cancels that call and keeps nothing; a call that asked
/// for a branch that changed in the meantime is dropped and the model asked again with the branch as committed.
/// </summary>
public sealed class HeadStartTests(HeadStartTests.Factory factory) : IClassFixture<HeadStartTests.Factory>
{
    public sealed class Factory : PostgresFakeModelFactory
    {
        public Factory() => Settings["Usage:FreeMessageLimit"] = "3";
    }

    private int _answers;

    private FakeAnswer Numbered(TimeSpan chunkDelay = default) =>
        FakeAnswer.Text($"answer {Interlocked.Increment(ref _answers)}") with { ChunkDelay = chunkDelay };

    [Fact]
    public async Task TheModelIsAskedWhileTheSendWaitsForTheUsersLock()
    {
        factory.Model.Behaviour = _ => Numbered();
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        (await user.SendAsync(chat.Id, "first")).EnsureSuccessStatusCode(); // this instance now knows 2 are left
        var asked = factory.Model.Requests.Count;

        await using (var locked = await LockUserAsync(user))
        {
            var sending = user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/stream", new { content = "second" });
            for (var i = 0; i < 100 && factory.Model.Requests.Count == asked; i++)
            {
                await Task.Delay(50);
            }

            Assert.Equal(asked + 1, factory.Model.Requests.Count); // asked while the quota could not be taken yet
            Assert.Equal("second", FakeOpenAIServer.LastUserMessage(factory.Model.Requests.Last()));
            Assert.False(sending.IsCompleted);
            await locked.RollbackAsync();

            var events = await (await sending).ReadEventsAsync().ToListAsync();
            Assert.Equal("done", events[^1].Type);
            Assert.StartsWith("answer", events.StoredReply().GetProperty("content").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(asked + 1, factory.Model.Requests.Count); // that call was the reply: the model was not asked again
        var messages = await MessagesAsync(chat.Id);
        Assert.Equal(["first", "answer", "second", "answer"], messages.Select(m => m.Content.Split(' ')[0]));
        Assert.All(messages, m => Assert.Equal(MessageStatus.Complete, m.Status));
    }

    [Fact]
    public async Task ASendRefusedAfterAHeadStartCancelsTheModelCallAndKeepsNothing()
    {
        factory.Model.Behaviour = _ => Numbered();
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        (await user.SendAsync(chat.Id, "one")).EnsureSuccessStatusCode(); // this instance saw 2 left
        var other = new SecondInstanceFactory(factory);
        try
        {
            // The other instance takes the last two: this one still thinks two are left.
            var otherClient = other.CreateClient();
            otherClient.DefaultRequestHeaders.Authorization = user.Client.DefaultRequestHeaders.Authorization;
            for (var i = 0; i < 2; i++)
            {
                (await otherClient.PostAsJsonAsync($"/api/chats/{chat.Id}/messages", new { content = $"elsewhere {i}" })).EnsureSuccessStatusCode();
            }

            var (asked, aborted) = (factory.Model.Requests.Count, factory.Model.Aborted.Count);
            factory.Model.Behaviour = _ => Numbered(TimeSpan.FromSeconds(5)); // a slow reply, still open when cancelled
            HttpResponseMessage refused;
            await using (var locked = await LockUserAsync(user))
            {
                // Held until the head start's call has reached the model: refused at once, the send would often
                // cancel the call before it is made, and there would be nothing to see cancelled.
                var sending = user.SendAsync(chat.Id, "over the limit");
                for (var i = 0; i < 100 && factory.Model.Requests.Count == asked; i++)
                {
                    await Task.Delay(50);
                }

                Assert.Equal(asked + 1, factory.Model.Requests.Count); // the head start asked
                await locked.RollbackAsync();
                refused = await sending;
            }

            Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
            for (var i = 0; i < 100 && factory.Model.Aborted.Count == aborted; i++)
            {
                await Task.Delay(50);
            }

            Assert.Equal(aborted + 1, factory.Model.Aborted.Count); // and was cancelled

            // Refused once, this instance knows: the next send over the limit does not call the model at all.
            Assert.Equal(HttpStatusCode.PaymentRequired, (await user.SendAsync(chat.Id, "again")).StatusCode);
            Assert.Equal(asked + 1, factory.Model.Requests.Count);

            var messages = await MessagesAsync(chat.Id);
            Assert.Equal(6, messages.Count);
            Assert.DoesNotContain(messages, m => m.Content is "over the limit" or "again");
            await using var scope = factory.Services.CreateAsyncScope();
            var usage = await scope.ServiceProvider.GetRequiredService<Parley.Features.Usage.QuotaService>()
                .GetAsync(await UserIdAsync(user), CancellationToken.None);
            Assert.Equal((3, 0), (usage.Used, usage.Remaining));
        }
        finally
        {
            await other.DisposeAsync();
        }
    }

    [Fact]
    public async Task AHeadStartForABranchThatChangedIsDroppedAndTheModelAskedWithTheCommittedOne()
    {
        factory.Model.Behaviour = _ => Numbered();
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var first = await (await user.SendAsync(chat.Id, "question")).ReadAsync<SendMessageResponse>();
        var regenerated = await (await user.Client.OpenStreamAsync(HttpMethod.Post,
            $"/api/chats/{chat.Id}/messages/{first.Reply.Id}/regenerate")).ReadEventsAsync().ToListAsync();
        var second = regenerated.StoredReply().GetProperty("content").GetString()!;
        Assert.NotEqual(first.Reply.Content, second); // the chat shows the second reply: the head start reads that branch

        var asked = factory.Model.Requests.Count;
        var aborted = factory.Model.Aborted.Count;
        // The call for the branch that is about to change streams slowly, so it is still open when it is dropped
        // however long the steps below take on a busy machine; the call for the committed branch answers at once.
        factory.Model.Behaviour = request => request.ToJsonString().Contains(second, StringComparison.Ordinal)
            ? Numbered(TimeSpan.FromSeconds(5))
            : Numbered();
        Task<HttpResponseMessage> sending;
        await using (var locked = await LockUserAsync(user))
        {
            sending = user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/stream", new { content = "follow-up" });
            for (var i = 0; i < 100 && factory.Model.Requests.Count == asked; i++)
            {
                await Task.Delay(50);
            }

            Assert.Contains(second, factory.Model.Requests.Last().ToJsonString(), StringComparison.Ordinal);
            // Meanwhile (another tab) the first reply's branch is shown again; it needs no quota, so no lock.
            Assert.Equal(HttpStatusCode.NoContent,
                (await user.Client.PutAsJsonAsync($"/api/chats/{chat.Id}/branch", new { messageId = first.Reply.Id })).StatusCode);
            await locked.RollbackAsync();
        }

        var events = await (await sending).ReadEventsAsync().ToListAsync();
        Assert.Equal("done", events[^1].Type);
        Assert.Equal(asked + 2, factory.Model.Requests.Count); // the head start, then the reply
        var asking = factory.Model.Requests.Last().ToJsonString();
        Assert.Contains(first.Reply.Content, asking, StringComparison.Ordinal);
        Assert.DoesNotContain(second, asking, StringComparison.Ordinal);
        for (var i = 0; i < 100 && factory.Model.Aborted.Count == aborted; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(aborted + 1, factory.Model.Aborted.Count); // the head start's call was cancelled
        var question = (await MessagesAsync(chat.Id)).Single(m => m.Content == "follow-up");
        Assert.Equal(first.Reply.Id, question.ParentId);
    }

    /// <summary>Holds the user's row lock, as a send on another instance would, until rolled back.</summary>
    private async Task<UserLock> LockUserAsync(TestUser user)
    {
        var id = await UserIdAsync(user);
        var connection = new NpgsqlConnection(PostgresServer.ConnectionString(factory.Database));
        await connection.OpenAsync();
        var tx = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("""SELECT 1 FROM "Users" WHERE "Id" = @id FOR UPDATE""", connection, tx);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteScalarAsync();
        return new UserLock(connection, tx);
    }

    private sealed class UserLock(NpgsqlConnection connection, NpgsqlTransaction tx) : IAsyncDisposable
    {
        public Task RollbackAsync() => tx.RollbackAsync();

        public async ValueTask DisposeAsync()
        {
            await tx.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private async Task<Guid> UserIdAsync(TestUser user)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Users.Where(u => u.Email == user.Email).Select(u => u.Id).SingleAsync();
    }

    private async Task<List<Message>> MessagesAsync(long chatId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Messages.AsNoTracking().Where(m => m.ChatId == chatId).OrderBy(m => m.Id).ToListAsync();
    }
}
