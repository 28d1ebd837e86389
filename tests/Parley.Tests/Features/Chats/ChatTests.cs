using System.Net;
using System.Net.Http.Json;
using Parley.Features.Chats;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Chats;

/// <summary>Chat CRUD and paging, run against each database.</summary>
public abstract class ChatTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    [Fact]
    public async Task CreatingAChatWithoutATitleGivesTheDefault()
    {
        var user = await factory.RegisterAsync();

        var chat = await user.CreateChatAsync();

        Assert.Equal(Chat.DefaultTitle, chat.Title);
    }

    [Fact]
    public async Task TheFirstMessageTitlesTheChat()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();

        var sent = await (await user.SendAsync(chat.Id, "How do I bake a sourdough loaf at home with only a cast iron pot?")).ReadAsync<SendMessageResponse>();

        Assert.Equal("How do I bake a sourdough loaf at home with only…", sent.Chat.Title);
    }

    [Fact]
    public async Task RenamingAChatChangesItsTitle()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();

        var response = await user.Client.PatchAsJsonAsync($"/api/chats/{chat.Id}", new { title = "  Trip to Lisbon  " });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fetched = await user.Client.GetFromJsonAsync<ChatResponse>($"/api/chats/{chat.Id}", ApiJson.Options);
        Assert.Equal("Trip to Lisbon", fetched!.Title);
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("")]
    public async Task RenamingToAnEmptyTitleIsRejected(string title)
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();

        var response = await user.Client.PatchAsJsonAsync($"/api/chats/{chat.Id}", new { title });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task RenamingToAnOverlongTitleIsRejected()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();

        var response = await user.Client.PatchAsJsonAsync($"/api/chats/{chat.Id}", new { title = new string('t', Chat.MaxTitleLength + 1) });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task DeletingAChatRemovesItAndItsMessages()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        await user.SendAsync(chat.Id, "hello");

        var deleted = await user.Client.DeleteAsync($"/api/chats/{chat.Id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await user.Client.GetAsync($"/api/chats/{chat.Id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await user.Client.GetAsync($"/api/chats/{chat.Id}/messages")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnotherUsersChatIsNotFound()
    {
        var owner = await factory.RegisterAsync();
        var other = await factory.RegisterAsync();
        var chat = await owner.CreateChatAsync("private");
        await owner.SendAsync(chat.Id, "my secret");

        var get = await other.Client.GetAsync($"/api/chats/{chat.Id}");
        var messages = await other.Client.GetAsync($"/api/chats/{chat.Id}/messages");
        var send = await other.SendAsync(chat.Id, "hi");
        var rename = await other.Client.PatchAsJsonAsync($"/api/chats/{chat.Id}", new { title = "mine now" });
        var delete = await other.Client.DeleteAsync($"/api/chats/{chat.Id}");

        foreach (var response in new[] { get, messages, send, rename, delete })
        {
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal(ProblemTypes.NotFound, problem.Type);
        }

        var stillThere = await owner.Client.GetFromJsonAsync<ChatResponse>($"/api/chats/{chat.Id}", ApiJson.Options);
        Assert.Equal("private", stillThere!.Title);
    }

    [Fact]
    public async Task TheChatListPagesNewestFirstWithoutGapsOrRepeats()
    {
        var user = await factory.RegisterAsync();
        var created = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await user.CreateChatAsync($"chat {i}")).Id);
        }

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await user.Client.GetFromJsonAsync<ChatPage>($"/api/chats?limit=3&cursor={cursor}", ApiJson.Options);
            Assert.True(page!.Items.Count <= 3);
            seen.AddRange(page.Items.Select(c => c.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(created), seen);
    }

    [Fact]
    public async Task SendingMovesAChatToTheTopOfTheList()
    {
        var user = await factory.RegisterAsync();
        var older = await user.CreateChatAsync("older");
        await user.CreateChatAsync("newer");

        await user.SendAsync(older.Id, "bump");
        var page = await user.Client.GetFromJsonAsync<ChatPage>("/api/chats", ApiJson.Options);

        Assert.Equal(older.Id, page!.Items[0].Id);
    }

    [Fact]
    public async Task AGarbledCursorIsABadRequest()
    {
        var user = await factory.RegisterAsync();

        var response = await user.Client.GetAsync("/api/chats?cursor=%%%not-a-cursor");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task HistoryPagesBackwardsFromTheNewestMessage()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        for (var i = 1; i <= 5; i++)
        {
            await user.SendAsync(chat.Id, $"what is {i} + 0");
        }

        var newest = await user.Client.GetFromJsonAsync<MessagePage>($"/api/chats/{chat.Id}/messages?limit=4", ApiJson.Options);
        var older = await user.Client.GetFromJsonAsync<MessagePage>($"/api/chats/{chat.Id}/messages?limit=4&before={newest!.NextCursor}", ApiJson.Options);
        var oldest = await user.Client.GetFromJsonAsync<MessagePage>($"/api/chats/{chat.Id}/messages?limit=4&before={older!.NextCursor}", ApiJson.Options);

        Assert.Equal(["what is 4 + 0", "**4 + 0 = 4**", "what is 5 + 0", "**5 + 0 = 5**"], newest.Items.Select(m => m.Content));
        Assert.Equal(4, older.Items.Count);
        Assert.Equal(2, oldest!.Items.Count);
        Assert.Null(oldest.NextCursor);
        var all = oldest.Items.Concat(older.Items).Concat(newest.Items).Select(m => m.Id).ToList();
        Assert.Equal(all.Order(), all);
        Assert.Equal(10, all.Distinct().Count());
    }
}

public sealed class SqliteChatTests(SqliteFactory factory) : ChatTests<SqliteFactory>(factory), IClassFixture<SqliteFactory>;

public sealed class PostgresChatTests(PostgresFactory factory) : ChatTests<PostgresFactory>(factory), IClassFixture<PostgresFactory>;
