using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Search;

public sealed class SqliteSearchInputTests(SqliteSearchTests.Factory factory)
    : SearchInputTests<SqliteSearchTests.Factory>(factory), IClassFixture<SqliteSearchTests.Factory>;

public sealed class PostgresSearchInputTests(PostgresSearchTests.Factory factory)
    : SearchInputTests<PostgresSearchTests.Factory>(factory), IClassFixture<PostgresSearchTests.Factory>;

/// <summary>What users type that is not a search: nothing, too much, or the engines' own syntax.</summary>
public abstract class SearchInputTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    [Fact]
    public async Task EmptyQueriesAnswerNothingWithoutAskingTheDatabase()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        await SearchCalls.SendAsync(user, chat.Id, "anything at all");
        var counter = factory.Services.GetRequiredService<SearchCounter>();
        var calls = counter.Calls;

        foreach (var q in new[] { "", "   ", "\t\n", "\"\"", "***", "\" \"", "-", "!!! ???" })
        {
            var result = await SearchCalls.SearchAsync(user, q);
            Assert.Empty(result.Messages);
            Assert.Empty(result.Chats);
        }

        Assert.Equal(calls, counter.Calls);
        await SearchCalls.SearchAsync(user, "anything");
        Assert.True(counter.Calls > calls, "the counter saw no search at all");
    }

    [Fact]
    public async Task TooLongQueriesAndBadCursorsAreRefusedWithAProblem()
    {
        var user = await factory.RegisterAsync();

        var tooLong = await user.Client.GetAsync($"/api/search?q={new string('a', 201)}");
        var badCursor = await user.Client.GetAsync("/api/search?q=hello&cursor=not-a-cursor");
        var backwards = await user.Client.GetAsync("/api/search?q=hello&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z");
        var anonymous = await factory.CreateClient().GetAsync("/api/search?q=hello");

        Assert.Contains("at most 200 characters", (await tooLong.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);
        await badCursor.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await backwards.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await anonymous.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync($"/api/search?q={new string('a', 200)}")).StatusCode);
    }

    [Fact]
    public async Task SearchSyntaxInWhatUsersTypeNeverBreaksTheQuery()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        await SearchCalls.SendAsync(user, chat.Id, "C++ and C# (or F#): a \"quick\" NEAR comparison, 50% off -- isn't it? x:y ^start");
        string[] fixedCases =
        [
            "\"", "\"\"\"", "NEAR(", "a NEAR b", "AND", "OR NOT", "-x", "a:b", "Content:foo", "Owner:u", "^start", "c++",
            "c#", "(or", "50%", "isn't", "x*", "* *", "'", "\\", "a & b | !c", "a <-> b", "foo:*", "{Owner}:x", "\u0000x",
            "NOT", "\"unclosed phrase", "quick\"", "))))", "a:*:*", "!!(", "<script>", "--", "😀 emoji", "é", "١٢٣",
        ];
        var random = new Random(11);
        const string alphabet = "\"*():^-+'\\&|!<>{}[]~@#$%,.;/ aOrNEARandNOT éü1";
        var fuzz = Enumerable.Range(0, 150).Select(_ => new string([.. Enumerable.Range(0, random.Next(1, 24)).Select(_ => alphabet[random.Next(alphabet.Length)])]));

        foreach (var q in fixedCases.Concat(fuzz))
        {
            var response = await user.Client.GetAsync($"/api/search?q={Uri.EscapeDataString(q)}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"'{q}' answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        Assert.NotEmpty((await SearchCalls.SearchAsync(user, "C++ comparison")).Messages);
        Assert.NotEmpty((await SearchCalls.SearchAsync(user, "\"quick\" near")).Messages);
    }
}
