using Parley.Features.Search;

namespace Parley.Tests.Features.Search;

public sealed class SearchQueryTests
{
    [Theory]
    [InlineData("photo", new string[0], new string[0], "photo")]
    [InlineData("photo ", new[] { "photo" }, new string[0], null)]
    [InlineData("green \"leafy plants\" gro", new[] { "green" }, new[] { "leafy plants" }, "gro")]
    [InlineData("a", new[] { "a" }, new string[0], null)] // one letter is a word, not a prefix
    [InlineData("c++ and-b", new[] { "c++", "and-b" }, new string[0], null)]
    [InlineData("\"unclosed phr", new string[0], new[] { "unclosed phr" }, null)]
    [InlineData("x:y*", new[] { "x:y*" }, new string[0], null)]
    [InlineData("foo:bar", new[] { "foo:" }, new string[0], "bar")]
    public void WordsPhrasesAndTheLastWordAsAPrefix(string text, string[] words, string[] phrases, string? prefix)
    {
        var query = SearchQuery.Parse(text);

        Assert.Equal(words, query.Words);
        Assert.Equal(phrases, query.Phrases);
        Assert.Equal(prefix, query.Prefix);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"\" ***")]
    [InlineData("-- !!")]
    public void NothingSearchableIsEmpty(string text) => Assert.True(SearchQuery.Parse(text).IsEmpty);

    [Fact]
    public void TheFts5QueryQuotesEveryPart()
    {
        var fts = SearchQuery.Parse("say \"hi\" or NEAR(x) pre").ToFts5("Content");

        Assert.Equal("Content : (\"say\" AND \"or\" AND \"NEAR(x)\" AND \"hi\" AND \"pre\"*)", fts);
    }
}
