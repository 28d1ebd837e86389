using System.Net;
using System.Net.Http.Json;
using Parley.Features.Chats;
using Parley.Features.Usage;
using Parley.Hosting;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Bot;

public sealed class ContextBudgetTests(ContextBudgetTests.Factory factory) : IClassFixture<ContextBudgetTests.Factory>
{
    public sealed class Factory : ProviderTests.Factory
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Settings["Bot:HistoryTokenBudget"] = "300";
            Settings["Bot:SystemPrompt"] = "You are terse.";
        }
    }

    [Fact]
    public async Task OldTurnsAreDroppedToFitTheBudgetAndTheSystemPromptStays()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        factory.Model.Behaviour = r => r["stream"]?.GetValue<bool>() == true ? FakeAnswer.Text("ok") : FakeAnswer.Text("Title");
        for (var i = 1; i <= 6; i++)
        {
            await user.SendAsync(chat.Id, $"turn {i} " + new string('x', 300)); // ≈ 80 tokens each
        }

        var last = factory.Model.Requests.Last(r => r["stream"]?.GetValue<bool>() == true);
        var messages = last["messages"]!.AsArray();
        var texts = messages.Select(m => m!["content"] is System.Text.Json.Nodes.JsonValue v ? v.GetValue<string>() : string.Concat(m["content"]!.AsArray().Select(p => p!["text"]?.GetValue<string>()))).ToList();

        Assert.Equal("system", messages[0]!["role"]!.GetValue<string>());
        Assert.Equal("You are terse.", texts[0]);
        Assert.StartsWith("turn 6", texts[^1]);
        Assert.DoesNotContain(texts, t => t.StartsWith("turn 1", StringComparison.Ordinal));
        Assert.True(texts.Sum(t => ChatBotEstimate(t)) <= 300 + ChatBotEstimate(texts[^1]));
    }

    private static int ChatBotEstimate(string text) => Parley.Features.Bot.ChatBot.EstimateTokens(text);
}
