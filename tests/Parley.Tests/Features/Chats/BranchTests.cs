using System.Net;
using System.Net.Http.Json;
using Parley.Features.Chats;
using Parley.Features.Usage;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Chats;

public static class BranchHelpers
{
    public static async Task<List<SseEvent>> StreamAsync(this TestUser user, string url, object? body = null) =>
        await (await user.Client.OpenStreamAsync(HttpMethod.Post, url, body)).ReadEventsAsync().ToListAsync();

    public static async Task<List<MessageResponse>> BranchAsync(this TestUser user, long chatId) =>
        [.. (await user.Client.GetFromJsonAsync<MessagePage>($"/api/chats/{chatId}/messages?limit=100", ApiJson.Options))!.Items];

    public static long ReplyId(this List<SseEvent> events) => events[^1].Data.GetProperty("reply").GetProperty("id").GetInt64();
}

/// <summary>Regenerate and edit create siblings; the chat shows (and the model sees) one branch at a time.</summary>
public abstract class BranchTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    [Fact]
    public async Task RegenerateAndEditCreateSiblingsAndSwitchingMovesBetweenThem()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var first = await (await user.SendAsync(chat.Id, "what is 1 + 1")).ReadAsync<SendMessageResponse>();

        var regenerated = await user.StreamAsync($"/api/chats/{chat.Id}/messages/{first.Reply.Id}/regenerate");
        var afterRegenerate = await user.BranchAsync(chat.Id);

        Assert.Equal("done", regenerated[^1].Type);
        Assert.Equal([first.UserMessage.Id, regenerated.ReplyId()], afterRegenerate.Select(m => m.Id));
        Assert.Equal([first.Reply.Id, regenerated.ReplyId()], afterRegenerate[1].Siblings);

        var edited = await user.StreamAsync($"/api/chats/{chat.Id}/messages/{first.UserMessage.Id}/edit", new { content = "what is 2 + 2" });
        var afterEdit = await user.BranchAsync(chat.Id);

        Assert.Equal(["what is 2 + 2", "**2 + 2 = 4**"], afterEdit.Select(m => m.Content));
        Assert.Equal(2, afterEdit[0].Siblings.Count);
        Assert.Equal(edited.ReplyId(), afterEdit[1].Id);

        var back = await user.Client.PutAsJsonAsync($"/api/chats/{chat.Id}/branch", new { messageId = first.UserMessage.Id });
        var original = await user.BranchAsync(chat.Id);

        Assert.Equal(HttpStatusCode.NoContent, back.StatusCode);
        Assert.Equal([first.UserMessage.Id, regenerated.ReplyId()], original.Select(m => m.Id)); // its newest reply
        Assert.Equal(3, (await user.Client.GetFromJsonAsync<UsageResponse>("/api/usage", ApiJson.Options))!.Used); // each reply counts
    }

    [Fact]
    public async Task ANewMessageContinuesTheActiveBranch()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var first = await (await user.SendAsync(chat.Id, "what is 3 + 3")).ReadAsync<SendMessageResponse>();
        await user.StreamAsync($"/api/chats/{chat.Id}/messages/{first.UserMessage.Id}/edit", new { content = "what is 4 + 4" });

        await user.SendAsync(chat.Id, "what is 5 + 5");

        Assert.Equal(["what is 4 + 4", "**4 + 4 = 8**", "what is 5 + 5", "**5 + 5 = 10**"], (await user.BranchAsync(chat.Id)).Select(m => m.Content));
    }

    [Fact]
    public async Task OnlyRepliesRegenerateAndOnlyOwnMessagesEdit()
    {
        var user = await factory.RegisterAsync();
        var other = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var sent = await (await user.SendAsync(chat.Id, "hi")).ReadAsync<SendMessageResponse>();

        var regenerateQuestion = await user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/{sent.UserMessage.Id}/regenerate");
        var editReply = await user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/{sent.Reply.Id}/edit", new { content = "x" });
        var othersEdit = await other.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/{sent.UserMessage.Id}/edit", new { content = "x" });
        var othersSwitch = await other.Client.PutAsJsonAsync($"/api/chats/{chat.Id}/branch", new { messageId = sent.UserMessage.Id });

        await regenerateQuestion.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await editReply.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await othersEdit.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await othersSwitch.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ALongBranchPagesBackwardsThroughItsOwnMessagesOnly()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var first = await (await user.SendAsync(chat.Id, "what is 1 + 0")).ReadAsync<SendMessageResponse>();
        await user.StreamAsync($"/api/chats/{chat.Id}/messages/{first.Reply.Id}/regenerate"); // a sibling off the branch
        for (var i = 2; i <= 4; i++)
        {
            await user.SendAsync(chat.Id, $"what is {i} + 0");
        }

        var newest = await user.Client.GetFromJsonAsync<MessagePage>($"/api/chats/{chat.Id}/messages?limit=5", ApiJson.Options);
        var older = await user.Client.GetFromJsonAsync<MessagePage>($"/api/chats/{chat.Id}/messages?limit=5&before={newest!.NextCursor}", ApiJson.Options);

        Assert.Equal(5, newest.Items.Count);
        Assert.Null(older!.NextCursor);
        var all = older.Items.Concat(newest.Items).ToList();
        Assert.Equal(8, all.Count); // 4 questions, 4 replies: the other regeneration is not on this branch
        Assert.Equal("what is 1 + 0", all[0].Content);
    }
}

public sealed class SqliteBranchTests(SqliteFactory factory) : BranchTests<SqliteFactory>(factory), IClassFixture<SqliteFactory>;

public sealed class PostgresBranchTests(PostgresFactory factory) : BranchTests<PostgresFactory>(factory), IClassFixture<PostgresFactory>;
