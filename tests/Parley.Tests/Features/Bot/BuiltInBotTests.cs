using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Parley.Features.Bot;
using Parley.Features.Usage;

namespace Parley.Tests.Features.Bot;

public sealed class BuiltInBotTests
{
    private readonly BuiltInChatClient _bot = new(
        Options.Create(new UsageOptions { FreeMessageLimit = 20, Window = TimeSpan.FromHours(24) }),
        Options.Create(new BotOptions { BuiltInWordDelay = TimeSpan.Zero }));

    [Theory]
    [InlineData("what is 2 + 2?", "**2 + 2 = 4**")]
    [InlineData("(12 + 30) * 2", "**(12 + 30) * 2 = 84**")]
    [InlineData("calculate 2^10", "**2^10 = 1,024**")]
    [InlineData("what's 7 / 2", "**7 / 2 = 3.5**")]
    [InlineData("-3 * -3", "**-3 * -3 = 9**")]
    public void DoesArithmetic(string question, string answer) => Assert.Equal(answer, _bot.Answer(question));

    [Fact]
    public async Task ContinuingWritesTheRestOfTheAnswerAfterTheKeptText()
    {
        var whole = _bot.Answer("Write me a sonnet about the sea");
        var kept = whole[..(whole.IndexOf("**Arithmetic**", StringComparison.Ordinal))];

        var rest = await _bot.GetResponseAsync([
            new(ChatRole.User, "Write me a sonnet about the sea"), new(ChatRole.Assistant, kept), new(ChatRole.User, ChatBot.ContinueInstruction)]);

        Assert.Equal(whole, kept + rest.Text);
    }

    [Fact]
    public void RefusesDivisionByZeroPolitely() => Assert.Contains("zero", _bot.Answer("what is 5 / 0"), StringComparison.Ordinal);

    [Fact]
    public void KnowsTheConfiguredLimit()
    {
        var answer = _bot.Answer("How many messages do I have left?");

        Assert.Contains("20 messages per 24 hours", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void ExplainsHowToConnectAModelWithACodeBlock()
    {
        var answer = _bot.Answer("How do I connect a model like Ollama?");

        Assert.Contains("```bash", answer, StringComparison.Ordinal);
        Assert.Contains("OPENAI_API_KEY", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void SaysPlainlyThatNoModelIsConnected()
    {
        Assert.Contains("No AI model is connected", _bot.Answer("hello"), StringComparison.Ordinal);
        Assert.Contains("No AI model is connected", _bot.Answer("Write me a sonnet about the sea"), StringComparison.Ordinal);
    }

    [Fact]
    public void IsNotAParrot()
    {
        const string question = "Write me a sonnet about the sea";

        Assert.DoesNotContain(question, _bot.Answer(question), StringComparison.Ordinal);
    }

    [Fact]
    public void IsDeterministic() => Assert.Equal(_bot.Answer("what can you do?"), _bot.Answer("what can you do?"));

    [Fact]
    public void AnswersAboutPremium() => Assert.Contains("unlimited messages", _bot.Answer("What does Premium give me?"), StringComparison.Ordinal);

    [Theory]
    [InlineData("2 +")]
    [InlineData("((((1))")]
    [InlineData("hello 2 + 2")]
    [InlineData("42")]
    public void LeavesNonExpressionsAlone(string text) => Assert.Null(Arithmetic.TryEvaluate(text));

    [Fact]
    public void DeeplyNestedInputDoesNotOverflow() =>
        Assert.Null(Arithmetic.TryEvaluate(new string('(', 10_000) + "1" + new string(')', 10_000)));

    [Fact]
    public void HistoryIsTrimmedOldestFirstToTheTokenBudget()
    {
        // 200 characters ≈ 54 tokens each; "d" and the question ≈ 5 and 6.
        Turn[] history = [new(true, new string('a', 200)), new(false, new string('b', 200)), new(true, new string('c', 200)), new(false, "d"), new(true, "question")];

        var kept = ChatBot.Trim(history, tokenBudget: 100);

        Assert.Equal(["c", "d", "q"], kept.Select(t => t.Text[..1]));
    }

    [Fact]
    public void TheQuestionIsKeptEvenIfItAloneExceedsTheBudget()
    {
        var kept = ChatBot.Trim([new(true, "old"), new(true, new string('q', 2000))], tokenBudget: 100);

        Assert.Single(kept);
    }

    [Fact]
    public async Task StreamsWordByWordEndingWithAFinishReason()
    {
        var updates = await _bot.GetStreamingResponseAsync([new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, "how do I connect a model?")])
            .ToListAsync();

        Assert.True(updates.Count > 20);
        Assert.All(updates[..^1], u => Assert.Null(u.FinishReason));
        Assert.Equal(Microsoft.Extensions.AI.ChatFinishReason.Stop, updates[^1].FinishReason);
        Assert.Equal(_bot.Answer("how do I connect a model?"), string.Concat(updates.Select(u => u.Text)));
    }
}
