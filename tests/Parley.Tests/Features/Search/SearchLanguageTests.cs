using System.Net;
using Parley.Features.Search;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Search;

/// <summary>On PostgreSQL, Search__Language picks the dictionaries; changing it indexes everything again at start.</summary>
public sealed class SearchLanguageTests
{
    private sealed class EnglishInstance : PostgresFactory
    {
        public EnglishInstance(PostgresFactory first)
            : base(first.Database, ownsDatabase: false) => Settings["Search:Language"] = "english";
    }

    private static async Task<SearchResponse> SearchAsync(TestUser user, string query)
    {
        var response = await user.Client.GetAsync($"/api/search?q={Uri.EscapeDataString(query)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<SearchResponse>();
    }

    /// <summary>An instance on the default language with one user who asked about runners in a café, then <paramref name="test"/>.</summary>
    private static async Task OnASimpleInstanceAsync(Func<PostgresFactory, TestUser, Task> test)
    {
        var simple = new PostgresFactory();
        await simple.InitializeAsync();
        try
        {
            var user = await simple.RegisterAsync();
            var chat = await user.CreateChatAsync();
            (await user.SendAsync(chat.Id, "The runners were running in the café")).EnsureSuccessStatusCode();
            await test(simple, user);
        }
        finally
        {
            await ((IAsyncLifetime)simple).DisposeAsync();
        }
    }

    [Fact]
    public Task SwitchingToEnglishMatchesWordFormsInWhatWasAlreadyWritten() => OnASimpleInstanceAsync(async (simple, user) =>
    {
        Assert.Empty((await SearchAsync(user, "runs ")).Messages); // simple: words as written

        await using var english = new EnglishInstance(simple);
        english.CreateClient(); // starts it: the index is written again with English stems
        await user.SignInAgainAsync(english);

        var runs = await SearchAsync(user, "runs ");
        var cafe = await SearchAsync(user, "cafe ");
        Assert.NotEmpty(runs.Messages);
        Assert.Contains(runs.Messages[0].Snippet, p => p.Match && p.Text == "running");
        Assert.NotEmpty(cafe.Messages); // still without diacritics
    });

    [Fact]
    public Task TwoInstancesStartingTogetherOnANewLanguageIndexOnceAndBothServeIt() => OnASimpleInstanceAsync(async (simple, user) =>
    {
        // Behind a load balancer, both restarted with the new setting at once: one rebuilds, the other waits.
        await using var first = new EnglishInstance(simple);
        await using var second = new EnglishInstance(simple);
        await Task.WhenAll(Task.Run(() => first.CreateClient()), Task.Run(() => second.CreateClient()));

        var rebuilds = new[] { first, second }.Sum(f => f.Logs.Entries.Count(e => e.Message.Contains("search language changes", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(1, rebuilds);
        foreach (var instance in new PostgresFactory[] { first, second })
        {
            await user.SignInAgainAsync(instance);
            Assert.Contains((await SearchAsync(user, "runs ")).Messages[0].Snippet, p => p.Match && p.Text == "running");
        }
    });
}
