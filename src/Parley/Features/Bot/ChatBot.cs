using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Parley.Features.Bot;

public sealed record Turn(bool FromUser, string Text);

/// <summary>Asks the configured <see cref="IChatClient"/> for the next reply in a conversation.</summary>
public sealed class ChatBot(IChatClient client, IOptions<BotOptions> options, ILogger<ChatBot> logger)
{
    /// <summary>
    /// The reply to the last turn of <paramref name="history"/> (oldest first), or null when the provider failed or
    /// timed out. Earlier turns are trimmed, oldest first, to <see cref="BotOptions.HistoryCharBudget"/>.
    /// </summary>
    public async Task<string?> ReplyAsync(IReadOnlyList<Turn> history, CancellationToken ct)
    {
        var o = options.Value;
        var messages = new List<ChatMessage> { new(ChatRole.System, o.SystemPrompt) };
        messages.AddRange(Trim(history, o.HistoryCharBudget)
            .Select(t => new ChatMessage(t.FromUser ? ChatRole.User : ChatRole.Assistant, t.Text)));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.Timeout);
        try
        {
            var response = await client.GetResponseAsync(messages, cancellationToken: timeout.Token);
            var text = response.Text;
            return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("The model did not answer within {Timeout}", o.Timeout);
            return null;
        }
        catch (Exception ex) when (ex is System.ClientModel.ClientResultException or HttpRequestException or InvalidOperationException
                                       or System.Text.Json.JsonException or IOException)
        {
            logger.LogWarning(ex, "The model call failed");
            return null;
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
