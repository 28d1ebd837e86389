using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Parley.Features.Chats;
using Parley.Features.Search;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Search;

public sealed class SqliteSearchTests(SqliteSearchTests.Factory factory) : SearchTests<SqliteSearchTests.Factory>(factory), IClassFixture<SqliteSearchTests.Factory>
{
    public sealed class Factory : FakeModelFactory
    {
        public Factory() => Settings["Usage:FreeMessageLimit"] = "1000";

        protected override void ConfigureServices(IServiceCollection services) => CountingSearch.Wrap(services);
    }
}

public sealed class PostgresSearchTests(PostgresSearchTests.Factory factory) : SearchTests<PostgresSearchTests.Factory>(factory), IClassFixture<PostgresSearchTests.Factory>
{
    public sealed class Factory : PostgresFakeModelFactory
    {
        public Factory() => Settings["Usage:FreeMessageLimit"] = "1000";

        protected override void ConfigureServices(IServiceCollection services) => CountingSearch.Wrap(services);
    }
}

/// <summary>Search over the user's own chats: questions and replies of every branch, titles, as the user types.</summary>
public abstract class SearchTests<TFactory>(TFactory factory) where TFactory : ParleyFactory, IFakeModelFactory
{
    private static Task<SearchResponse> SearchAsync(TestUser user, string query, string extra = "") => SearchCalls.SearchAsync(user, query, extra);

    private static string Marked(IReadOnlyList<SnippetPart> parts) => string.Concat(parts.Select(p => p.Match ? $"[{p.Text}]" : p.Text));

    private static Task<long> SendAsync(TestUser user, long chatId, string text) => SearchCalls.SendAsync(user, chatId, text);

    [Fact]
    public async Task QuestionsAndRepliesAreFoundWithTheMatchedWordsMarked()
    {
        var user = await factory.RegisterAsync();
        var plants = await user.CreateChatAsync();
        var other = await user.CreateChatAsync();
        var asked = await SendAsync(user, plants.Id, "How does photosynthesis work in green plants?");
        await SendAsync(user, other.Id, "What is the capital of Portugal?");

        var result = await SearchAsync(user, "photosynthesis");

        // The fake model's reply quotes the question: both are hits, in the same chat.
        Assert.Equal(2, result.Messages.Count);
        Assert.All(result.Messages, h => Assert.Equal(plants.Id, h.ChatId));
        Assert.Equal([MessageRole.Assistant, MessageRole.User], result.Messages.OrderByDescending(h => h.MessageId).Select(h => h.Role));
        var question = result.Messages.Single(h => h.MessageId == asked);
        Assert.Contains("[photosynthesis]", Marked(question.Snippet), StringComparison.Ordinal);
        Assert.Equal("How does photosynthesis work in green plants?", string.Concat(question.Snippet.Select(p => p.Text)));
        Assert.Null(result.NextCursor);
    }

    [Fact]
    public async Task TheLastWordMatchesAsAPrefixWhileItIsTyped()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        await SendAsync(user, chat.Id, "Explain photosynthesis briefly");

        Assert.NotEmpty((await SearchAsync(user, "photo")).Messages);
        Assert.NotEmpty((await SearchAsync(user, "explain photos")).Messages);
        Assert.Empty((await SearchAsync(user, "photo ")).Messages); // a finished word is a whole word
        Assert.Empty((await SearchAsync(user, "hoto")).Messages);
    }

    [Fact]
    public async Task QuotesMakeAPhraseAndEveryWordMustMatch()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var together = await SendAsync(user, chat.Id, "the green plants grow");
        await SendAsync(user, chat.Id, "plants are green here");

        var phrase = await SearchAsync(user, "\"green plants\"");
        var words = await SearchAsync(user, "green plants ");
        var missing = await SearchAsync(user, "green zebra ");

        Assert.Contains(phrase.Messages, h => h.MessageId == together);
        Assert.All(phrase.Messages, h => Assert.Contains("green plants", string.Concat(h.Snippet.Select(p => p.Text)), StringComparison.Ordinal));
        Assert.Equal(4, words.Messages.Count);
        Assert.Empty(missing.Messages);
    }

    [Fact]
    public async Task DiacriticsAreIgnoredAndTheTextKeepsThem()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var asked = await SendAsync(user, chat.Id, "Une crème brûlée au café, s'il vous plaît");

        var plain = await SearchAsync(user, "creme brulee cafe ");
        var accented = await SearchAsync(user, "Crème");

        var hit = Assert.Single(plain.Messages, h => h.MessageId == asked);
        Assert.Contains("[crème] [brûlée] au [café]", Marked(hit.Snippet), StringComparison.Ordinal);
        Assert.Contains(accented.Messages, h => h.MessageId == asked);
    }

    [Fact]
    public async Task NoOtherUsersTextEverAppears()
    {
        var alice = await factory.RegisterAsync();
        var bob = await factory.RegisterAsync();
        var aliceChat = await alice.CreateChatAsync("Zanzibar trip");
        var bobChat = await bob.CreateChatAsync("Zanzibar notes");
        await SendAsync(alice, aliceChat.Id, "zanzibar spice farms");
        await SendAsync(bob, bobChat.Id, "zanzibar stone town");

        var forAlice = await SearchAsync(alice, "zanzibar");
        var forBob = await SearchAsync(bob, "zanzib");
        var bobInAlicesChat = await SearchAsync(bob, "spice", $"&chatId={aliceChat.Id}");

        Assert.All(forAlice.Messages, h => Assert.Equal(aliceChat.Id, h.ChatId));
        Assert.Equal([aliceChat.Id], forAlice.Chats.Select(c => c.ChatId));
        Assert.All(forBob.Messages, h => Assert.Equal(bobChat.Id, h.ChatId));
        Assert.Equal([bobChat.Id], forBob.Chats.Select(c => c.ChatId));
        Assert.Empty(bobInAlicesChat.Messages);
        Assert.Empty(bobInAlicesChat.Chats);
    }

    [Fact]
    public async Task RenamingEditingAndDeletingShowInResultsAtOnce()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync("Kayak route");
        var first = await SendAsync(user, chat.Id, "paddling the fjords in june");

        (await user.Client.PatchAsJsonAsync($"/api/chats/{chat.Id}", new { title = "Canoe plans" })).EnsureSuccessStatusCode();
        Assert.Empty((await SearchAsync(user, "kayak")).Chats);
        Assert.Equal("[Canoe] plans", Marked(Assert.Single((await SearchAsync(user, "canoe")).Chats).Title));

        // An edit is a new branch: both the old and the new text can be found.
        var edit = await user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/{first}/edit", new { content = "paddling the glaciers in july" });
        await edit.ReadEventsAsync().ToListAsync();
        Assert.Contains((await SearchAsync(user, "fjords")).Messages, h => h.MessageId == first);
        Assert.Equal(2, (await SearchAsync(user, "glaciers")).Messages.Count);

        (await user.Client.DeleteAsync($"/api/chats/{chat.Id}")).EnsureSuccessStatusCode();
        var after = await SearchAsync(user, "paddling");
        Assert.Empty(after.Messages);
        Assert.Empty((await SearchAsync(user, "canoe")).Chats);
    }

    [Fact]
    public async Task AStoppedReplyIsFoundWithTheTextItKept()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = _ => FakeAnswer.Text("quokka " + string.Join(' ', Enumerable.Repeat("wombat", 200))) with { ChunkDelay = TimeSpan.FromMilliseconds(20) };
        try
        {
            var response = await user.Client.OpenStreamAsync(HttpMethod.Post, $"/api/chats/{chat.Id}/messages/stream", new { content = "marsupials" });
            long? reply = null;
            await foreach (var e in response.ReadEventsAsync())
            {
                if (e.Type == "start")
                {
                    reply = e.Data.GetProperty("reply").GetProperty("id").GetInt64();
                }
                else if (e.Type == "delta")
                {
                    (await user.Client.PostAsync($"/api/chats/{chat.Id}/messages/{reply}/stop", null)).EnsureSuccessStatusCode();
                    break;
                }
            }

            // The stop is stored by the generation; the hit appears when it is.
            SearchResponse found = new([], [], null);
            for (var i = 0; i < 100 && found.Messages.Count == 0; i++)
            {
                await Task.Delay(50);
                found = await SearchAsync(user, "quokka");
            }

            Assert.Equal(reply, Assert.Single(found.Messages).MessageId);
        }
        finally
        {
            factory.Model.Behaviour = request => FakeAnswer.Text($"Fake model reply to: {FakeOpenAIServer.LastUserMessage(request)}");
        }
    }

    [Fact]
    public async Task BetterMatchesComeFirstThenNewerOnesAndPagesDoNotRepeat()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var weak = await SendAsync(user, chat.Id, "a long sentence that mentions lighthouse only once among many other words here");
        var strong = await SendAsync(user, chat.Id, "lighthouse lighthouse lighthouse");
        List<long> same = [];
        for (var i = 0; i < 12; i++)
        {
            same.Add(await SendAsync(user, chat.Id, "harbour"));
        }

        var ranked = await SearchAsync(user, "lighthouse ");
        Assert.Equal(strong, ranked.Messages.Where(h => h.Role == MessageRole.User).Select(h => h.MessageId).First());
        Assert.Equal(weak, ranked.Messages.Where(h => h.Role == MessageRole.User).Select(h => h.MessageId).Last());

        // 24 hits (12 equal questions, 12 equal replies quoting them): newest first among equals, in pages, each once.
        var seen = new List<MessageHit>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await SearchAsync(user, "harbour ", "&limit=10" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.Messages);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(24, seen.Select(h => h.MessageId).Distinct().Count());
        foreach (var role in new[] { MessageRole.User, MessageRole.Assistant })
        {
            var ids = seen.Where(h => h.Role == role).Select(h => h.MessageId).ToList();
            Assert.Equal(ids.OrderByDescending(id => id), ids);
        }
    }

    [Fact]
    public async Task ABroadWordRanksItsNewestThousandMatchesAndARareOneIsFoundAtAnyAge()
    {
        // 11,000 messages, more than PostgreSQL's walk of the newest 10,000: the oldest holds a rare word; old ones
        // repeat the broad word (they would rank first); the newest 2,000 hold it once. Another user's, newer still.
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        var other = await factory.RegisterAsync();
        var theirs = await other.CreateChatAsync();
        const int count = 11_000;
        await SearchCalls.InsertMessagesAsync(factory, chat.Id, count, $"""
            CASE WHEN i = 1 THEN 'zygote in the archive' WHEN i <= 50 THEN 'broadword broadword broadword of old'
                 WHEN i > {count - 2000} THEN 'broadword item ' || i ELSE 'filler item ' || i END
            """);
        await SearchCalls.InsertMessagesAsync(factory, theirs.Id, 1500, "'broadword of another user ' || i");
        await SendAsync(user, chat.Id, "broadword fresh"); // a question and a streamed reply, indexed as they end
        var sent = await SearchCalls.MessageIdsAsync(factory, chat.Id, "%broadword fresh%", 2);
        var newest = sent.Concat(await SearchCalls.MessageIdsAsync(factory, chat.Id, "broadword item %", 998)).ToList();

        var seen = new List<MessageHit>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await SearchAsync(user, "broadword ", "&limit=50" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.Messages);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 30);

        Assert.Equal(20, pages);
        Assert.Equal(newest.Order(), seen.Select(h => h.MessageId).Order());
        Assert.All(seen, h => Assert.Equal(chat.Id, h.ChatId));
        var rare = await SearchAsync(user, "zygote");
        Assert.Equal("zygote in the archive", string.Concat(Assert.Single(rare.Messages).Snippet.Select(p => p.Text)));
        Assert.NotEmpty((await SearchAsync(user, "broadword of ol")).Messages); // the old ones, by a phrase of their own
    }

    [Fact]
    public async Task OneChatAndADateRangeNarrowTheSearch()
    {
        var user = await factory.RegisterAsync();
        var first = await user.CreateChatAsync();
        var second = await user.CreateChatAsync();
        var early = await SendAsync(user, first.Id, "tangerine early");
        factory.Time.Advance(TimeSpan.FromDays(3));
        await user.SignInAgainAsync(factory);
        var late = await SendAsync(user, second.Id, "tangerine late");
        var middle = factory.Time.GetUtcNow() - TimeSpan.FromDays(1);

        var inSecond = await SearchAsync(user, "tangerine", $"&chatId={second.Id}");
        var before = await SearchAsync(user, "tangerine", $"&to={Uri.EscapeDataString(middle.ToString("O"))}");
        var since = await SearchAsync(user, "tangerine", $"&from={Uri.EscapeDataString(middle.ToString("O"))}");

        Assert.All(inSecond.Messages, h => Assert.Equal(second.Id, h.ChatId));
        Assert.Empty(inSecond.Chats); // within one chat, titles are not searched
        Assert.Contains(before.Messages, h => h.MessageId == early);
        Assert.DoesNotContain(before.Messages, h => h.MessageId == late);
        Assert.Contains(since.Messages, h => h.MessageId == late);
        Assert.DoesNotContain(since.Messages, h => h.MessageId == early);
    }
}
