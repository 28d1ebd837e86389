using System.Net;
using System.Net.Http.Json;
using Parley.Features.Chats;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Search;

public sealed class SqliteJumpToMessageTests(SqliteJumpToMessageTests.Factory factory)
    : JumpToMessageTests<SqliteJumpToMessageTests.Factory>(factory), IClassFixture<SqliteJumpToMessageTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory() => Settings["Usage:FreeMessageLimit"] = "1000";
    }
}

public sealed class PostgresJumpToMessageTests(PostgresJumpToMessageTests.Factory factory)
    : JumpToMessageTests<PostgresJumpToMessageTests.Factory>(factory), IClassFixture<PostgresJumpToMessageTests.Factory>
{
    public sealed class Factory : PostgresFactory
    {
        public Factory() => Settings["Usage:FreeMessageLimit"] = "1000";
    }
}

/// <summary>Opening a search hit: the page around the message, then older and newer pages from there.</summary>
public abstract class JumpToMessageTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    private static async Task<MessagePage> PageAsync(TestUser user, long chatId, string query)
    {
        var response = await user.Client.GetAsync($"/api/chats/{chatId}/messages?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<MessagePage>();
    }

    private static async Task<(TestUser User, ChatResponse Chat, List<long> Questions)> LongChatAsync(TFactory factory, int sends)
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        List<long> questions = [];
        for (var i = 0; i < sends; i++)
        {
            var response = await user.SendAsync(chat.Id, $"question {i}");
            response.EnsureSuccessStatusCode();
            questions.Add((await response.ReadAsync<SendMessageResponse>()).UserMessage.Id);
        }

        return (user, chat, questions);
    }

    [Fact]
    public async Task ThePageAroundAMessageHasItInTheMiddleAndLeadsBothWays()
    {
        var (user, chat, questions) = await LongChatAsync(factory, 30); // 60 messages
        var hit = questions[10];

        var around = await PageAsync(user, chat.Id, $"around={hit}&limit=10");

        Assert.True(around.OnActiveBranch);
        Assert.Equal(10, around.Items.Count);
        var index = around.Items.Select(m => m.Id).ToList().IndexOf(hit);
        Assert.InRange(index, 4, 5);
        Assert.Equal(around.Items.Select(m => m.Id).Order(), around.Items.Select(m => m.Id));
        Assert.NotNull(around.NextCursor);
        Assert.NotNull(around.NewerCursor);

        // Newer pages continue exactly where it ended, up to the newest message; older ones back to the first.
        var all = around.Items.Select(m => m.Id).ToList();
        for (var cursor = around.NewerCursor; cursor is not null;)
        {
            var newer = await PageAsync(user, chat.Id, $"after={cursor}&limit=10");
            all.AddRange(newer.Items.Select(m => m.Id));
            cursor = newer.NewerCursor;
        }

        for (var cursor = around.NextCursor; cursor is not null;)
        {
            var older = await PageAsync(user, chat.Id, $"before={cursor}&limit=10");
            all.InsertRange(0, older.Items.Select(m => m.Id));
            cursor = older.NextCursor;
        }

        var latest = await PageAsync(user, chat.Id, "limit=100");
        Assert.Equal(latest.Items.Select(m => m.Id), all);
        Assert.Equal(60, all.Count);
    }

    [Fact]
    public async Task NearTheEndsThePageFillsFromTheOtherSide()
    {
        var (user, chat, questions) = await LongChatAsync(factory, 10); // 20 messages

        var first = await PageAsync(user, chat.Id, $"around={questions[0]}&limit=8");
        var last = await PageAsync(user, chat.Id, $"around={questions[^1]}&limit=8");

        Assert.Equal(questions[0], first.Items[0].Id);
        Assert.Equal(8, first.Items.Count);
        Assert.Null(first.NextCursor);
        Assert.NotNull(first.NewerCursor);
        Assert.Equal(8, last.Items.Count);
        Assert.Equal(questions[^1], last.Items[^2].Id); // its reply is the newest message
        Assert.Null(last.NewerCursor);
        Assert.NotNull(last.NextCursor);
    }

    [Fact]
    public async Task AHitOnAnotherBranchSaysSoAndSwitchingMakesItTheChatsBranch()
    {
        var (user, chat, questions) = await LongChatAsync(factory, 3);
        var edit = await user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/{questions[1]}/edit", new { content = "question 1, edited" });
        await edit.ReadEventsAsync().ToListAsync();

        var off = await PageAsync(user, chat.Id, $"around={questions[2]}");
        Assert.False(off.OnActiveBranch);
        Assert.Equal([questions[0], questions[1], questions[2]], off.Items.Where(m => m.Role == MessageRole.User).Select(m => m.Id));

        (await user.Client.PutAsJsonAsync($"/api/chats/{chat.Id}/branch", new { messageId = questions[2] })).EnsureSuccessStatusCode();
        var on = await PageAsync(user, chat.Id, $"around={questions[2]}");
        var latest = await PageAsync(user, chat.Id, "");
        Assert.True(on.OnActiveBranch);
        Assert.Equal(latest.Items.Select(m => m.Id), on.Items.Select(m => m.Id));
    }

    [Fact]
    public async Task AMessageElsewhereOrOfAnotherUserIsNotFound()
    {
        var (user, chat, questions) = await LongChatAsync(factory, 1);
        var other = await factory.RegisterAsync();
        var otherChat = await other.CreateChatAsync();

        var wrongChat = await user.Client.GetAsync($"/api/chats/{chat.Id}/messages?around=999999999");
        var notYours = await other.Client.GetAsync($"/api/chats/{chat.Id}/messages?around={questions[0]}");
        var crossed = await other.Client.GetAsync($"/api/chats/{otherChat.Id}/messages?around={questions[0]}");
        var both = await user.Client.GetAsync($"/api/chats/{chat.Id}/messages?around={questions[0]}&before={questions[0]}");

        await wrongChat.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await notYours.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await crossed.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await both.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
