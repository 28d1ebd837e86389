using System.Net.Http.Json;
using Parley.Features.Chats;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Chats;

/// <summary>The prompts offered on an empty chat: the operator's, or ones the assistant in use can answer.</summary>
public sealed class SuggestionTests
{
    public sealed class Configured : SqliteFactory
    {
        public Configured()
        {
            for (var i = 0; i < 6; i++)
            {
                Settings[$"Chats:Suggestions:{i}"] = i == 1 ? "   " : $"Prompt {i}";
            }
        }
    }

    [Fact]
    public async Task WithoutSettingsTheBuiltInAssistantsTopicsAreOffered()
    {
        await using var factory = new SqliteFactory();
        var user = await factory.RegisterAsync();

        var response = await user.Client.GetFromJsonAsync<SuggestionsResponse>("/api/chats/suggestions", ApiJson.Options);

        Assert.Contains("How many messages do I have left?", response!.Suggestions);
        Assert.Equal(4, response.Suggestions.Count);
    }

    [Fact]
    public async Task TheOperatorsPromptsAreOfferedBlankOnesLeftOutAtMostFour()
    {
        await using var factory = new Configured();
        var user = await factory.RegisterAsync();

        var response = await user.Client.GetFromJsonAsync<SuggestionsResponse>("/api/chats/suggestions", ApiJson.Options);

        Assert.Equal(["Prompt 0", "Prompt 2", "Prompt 3", "Prompt 4"], response!.Suggestions);
    }

    [Fact]
    public async Task SuggestionsNeedASignedInUser()
    {
        await using var factory = new SqliteFactory();

        var response = await factory.CreateClient().GetAsync("/api/chats/suggestions");

        await response.ShouldBeProblemAsync(System.Net.HttpStatusCode.Unauthorized);
    }
}
