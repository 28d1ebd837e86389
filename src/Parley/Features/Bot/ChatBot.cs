using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Parley.Features.Bot;

public sealed record Turn(bool FromUser, string Text);

/// <summary>The provider failed, timed out, or cut the reply off; the message says which, for the logs.</summary>
public sealed class BotFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Asks the configured <see cref="IChatClient"/> for the next reply in a conversation.</summary>
public sealed class ChatBot(IChatClient client, IOptions<BotOptions> options, ILogger<ChatBot> logger)
{
    /// <summary>
    /// Streams the reply to the last turn of <paramref name="history"/> (oldest first) as text deltas. Earlier turns
    /// are trimmed, oldest first, to <see cref="BotOptions.HistoryCharBudget"/>. Cancelling <paramref name="stop"/>
    /// ends the call to the provider at once (OperationCanceledException); a provider error, a timeout, or a stream
    /// that ends without a finish reason throws <see cref="BotFailedException"/>.
    /// </summary>
    public async IAsyncEnumerable<string> StreamAsync(IReadOnlyList<Turn> history, [EnumeratorCancellation] CancellationToken stop)
    {
        var o = options.Value;
        var messages = new List<ChatMessage> { new(ChatRole.System, o.SystemPrompt) };
        messages.AddRange(Trim(history, o.HistoryCharBudget)
            .Select(t => new ChatMessage(t.FromUser ? ChatRole.User : ChatRole.Assistant, t.Text)));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(o.Timeout);
        var updates = client.GetStreamingResponseAsync(messages, cancellationToken: timeout.Token).GetAsyncEnumerator(timeout.Token);
        var finished = false;
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync())
                    {
                        break;
                    }

                    update = updates.Current;
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException ex)
                {
                    logger.LogWarning("The model did not finish within {Timeout}", o.Timeout);
                    throw new BotFailedException($"The model did not answer within {o.Timeout.TotalSeconds:0} seconds.", ex);
                }
                catch (Exception ex) when (ex is System.ClientModel.ClientResultException or HttpRequestException or IOException
                                               or System.Text.Json.JsonException or InvalidOperationException)
                {
                    logger.LogWarning(ex, "The model call failed");
                    throw new BotFailedException("The model could not be reached or returned an error.", ex);
                }

                finished |= update.FinishReason is not null;
                if (update.Text is { Length: > 0 } text)
                {
                    yield return text;
                }
            }
        }
        finally
        {
            await updates.DisposeAsync();
        }

        if (!finished)
        {
            throw new BotFailedException("The model's reply was cut off (the stream ended without a finish reason).");
        }
    }

    /// <summary>The newest turns whose text fits the budget; the last (the question) is always kept.</summary>
    public static IReadOnlyList<Turn> Trim(IReadOnlyList<Turn> history, int budget)
    {
        var kept = new List<Turn>();
        var used = 0;
        for (var i = history.Count - 1; i >= 0; i--)
        {
            used += history[i].Text.Length;
            if (used > budget && kept.Count > 0)
            {
                break;
            }

            kept.Add(history[i]);
        }

        kept.Reverse();
        return kept;
    }
}
