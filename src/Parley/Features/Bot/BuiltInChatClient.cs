using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Parley.Features.Usage;

namespace Parley.Features.Bot;

/// <summary>
/// The offline assistant used when no model is configured. Deterministic (tests rely on its answers): it answers
/// questions about Parley from <see cref="KnowledgeBase"/>, does arithmetic, and otherwise says what it can do.
/// </summary>
public sealed class BuiltInChatClient(IOptions<UsageOptions> usage, IOptions<BotOptions> bot) : IChatClient
{
    public const string ModelId = "parley-built-in";

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var turns = messages.Where(m => m.Role != ChatRole.System).ToList();
        var last = turns.LastOrDefault(m => m.Role == ChatRole.User);
        var (files, question) = last is null ? ("", "") : BuiltInFiles.Describe(last);
        var reply = question == ChatBot.ContinueInstruction && turns.Count >= 3
            ? Rest(Answer(BuiltInFiles.Describe(turns[^3]).Question), turns[^2].Text)
            : files.Length > 0 ? files + AnswerKnown(question)
            : Answer(question);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
        {
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Word by word, like a model would; the delay is a setting so tests can make it zero.
        var reply = (await GetResponseAsync(messages, options, cancellationToken)).Text;
        var delay = bot.Value.BuiltInWordDelay;
        var words = System.Text.RegularExpressions.Regex.Split(reply, @"(?<=\s)");
        for (var i = 0; i < words.Length; i++)
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var last = i == words.Length - 1;
            var update = new ChatResponseUpdate(ChatRole.Assistant, words[i])
            {
                ModelId = ModelId,
                FinishReason = last ? ChatFinishReason.Stop : null,
            };
            if (last)
            {
                // No tokenizer here: the usage report is estimated at four characters a token.
                update.Contents.Add(new UsageContent(new UsageDetails
                {
                    InputTokenCount = messages.Sum(m => (long)m.Text.Length) / 4 + 1,
                    OutputTokenCount = reply.Length / 4 + 1,
                }));
            }

            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    /// <summary>Continuing: what its answer has after the kept text (nothing more to say if it is not a prefix).</summary>
    private static string Rest(string answer, string kept) =>
        answer.StartsWith(kept, StringComparison.Ordinal) && answer.Length > kept.Length ? answer[kept.Length..] : " That is all I have on this.";

    public string Answer(string question)
    {
        var text = question.Trim();
        if (TryArithmetic(text) is { } sum)
        {
            return sum;
        }

        return new KnowledgeBase(usage.Value).Find(text) ?? KnowledgeBase.Fallback;
    }

    /// <summary>An answer beside files: only for what the assistant knows ("what are these?" is answered by the files' list).</summary>
    private string AnswerKnown(string question) =>
        TryArithmetic(question.Trim()) ?? new KnowledgeBase(usage.Value).Find(question.Trim()) ?? "";

    private static string? TryArithmetic(string text)
    {
        var expression = text.TrimEnd('?', '.', '!', ' ', '=');
        foreach (var prefix in new[] { "what is", "what's", "whats", "calculate", "compute", "how much is", "solve" })
        {
            if (expression.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                expression = expression[prefix.Length..].Trim();
                break;
            }
        }

        if (Arithmetic.TryEvaluate(expression) is not { } value)
        {
            return expression.Contains("/ 0", StringComparison.Ordinal) || expression.EndsWith("/0", StringComparison.Ordinal)
                ? "Dividing by zero has no answer, so I can't give you a number for that."
                : null;
        }

        return $"**{expression.Trim()} = {Arithmetic.Format(value)}**";
    }
}
