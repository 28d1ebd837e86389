using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Parley.Features.Auth;

namespace Parley.Features.Bot;

/// <summary>One message of the conversation; <see cref="Files"/> are what was attached to it.</summary>
public sealed record Turn(bool FromUser, string Text)
{
    /// <summary>The stored message it was read from, if any (files are looked up by it).</summary>
    public long? MessageId { get; init; }

    public IReadOnlyList<TurnFile> Files { get; init; } = [];
}

/// <summary>Tokens a reply used, filled in while it streams (from the provider's usage report).</summary>
public sealed class TokenCount
{
    public int? Input { get; set; }
    public int? Output { get; set; }

    /// <summary>
    /// Estimated input tokens of every call made (a retry sends the conversation again). A stopped or failed call
    /// reports no usage, but the model read its input all the same; this is what gets metered then.
    /// </summary>
    public int SentEstimate { get; set; }
}

/// <summary>The provider failed, timed out, or cut the reply off; the message says which, for the logs.</summary>
public sealed class BotFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Asks the plan's <see cref="IChatClient"/> for the next reply in a conversation.</summary>
public sealed class ChatBot(
    [FromKeyedServices(Plan.Free)] IChatClient free,
    [FromKeyedServices(Plan.Premium)] IChatClient premium,
    ModelCatalog models,
    IServiceProvider services,
    IOptions<BotOptions> options,
    ILogger<ChatBot> logger)
{
    /// <summary>
    /// The turn added after a reply's kept text to have the model write on from there ("Continue"). An instruction
    /// rather than a trailing assistant turn: OpenAI's API does not continue a prefilled answer, and others differ.
    /// </summary>
    public const string ContinueInstruction = "Continue your previous answer exactly where it stopped, without repeating any of it.";

    /// <summary>
    /// Streams the reply to the last turn of <paramref name="history"/> (oldest first) as text deltas. Earlier turns
    /// are trimmed, oldest first, to <see cref="BotOptions.HistoryTokenBudget"/>. A failure before any text is retried
    /// once; after text, never (the user has already seen it). Cancelling <paramref name="stop"/> ends the provider
    /// call at once (OperationCanceledException); a provider error, a first-token or total timeout, or a stream that
    /// ends without a finish reason throws <see cref="BotFailedException"/>.
    /// </summary>
    public async IAsyncEnumerable<string> StreamAsync(
        IReadOnlyList<Turn> history, Plan plan, TokenCount tokens, [EnumeratorCancellation] CancellationToken stop, string? personal = null,
        string? model = null)
    {
        var o = options.Value;
        // The user's own instructions go after the operator's, inside the history budget like the prompt itself.
        var system = personal is null ? o.SystemPrompt : $"{o.SystemPrompt}\n\n{personal}";
        var messages = new List<ChatMessage> { new(ChatRole.System, system) };
        var vision = models.AcceptsImages(plan, model);
        messages.AddRange(Trim(history, o.HistoryTokenBudget - EstimateTokens(system)).Select(t => TurnFiles.ToMessage(t, vision)));
        var chatOptions = new ChatOptions { Temperature = o.Temperature, MaxOutputTokens = o.MaxOutputTokens };
        // A model the user chose (resolved against their plan by ModelCatalog), else the plan's own.
        var client = model is not null && services.GetService<ModelClients>() is { } chosen ? chosen.For(model)
            : plan == Plan.Premium ? premium : free;

        using var total = CancellationTokenSource.CreateLinkedTokenSource(stop);
        total.CancelAfter(o.Timeout);
        var produced = false;
        var inputEstimate = EstimateTokens(system) + Trim(history, o.HistoryTokenBudget - EstimateTokens(system)).Sum(TurnFiles.EstimateTokens);
        for (var attempt = 1; ; attempt++)
        {
            tokens.SentEstimate += inputEstimate;
            using var firstToken = CancellationTokenSource.CreateLinkedTokenSource(total.Token);
            firstToken.CancelAfter(o.FirstTokenTimeout);
            var updates = client.GetStreamingResponseAsync(messages, chatOptions, firstToken.Token).GetAsyncEnumerator(firstToken.Token);
            var finished = false;
            BotFailedException? failure = null;
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
                        var which = total.IsCancellationRequested ? $"within {o.Timeout.TotalSeconds:0} s" : $"its first words within {o.FirstTokenTimeout.TotalSeconds:0} s";
                        failure = new BotFailedException($"The model did not answer {which}.", ex);
                        break;
                    }
                    catch (Exception ex) when (ex is System.ClientModel.ClientResultException or HttpRequestException or IOException
                                                   or System.Text.Json.JsonException or InvalidOperationException)
                    {
                        failure = new BotFailedException("The model could not be reached or returned an error.", ex);
                        break;
                    }

                    finished |= update.FinishReason is not null;
                    foreach (var usage in update.Contents.OfType<UsageContent>())
                    {
                        tokens.Input = (int?)usage.Details.InputTokenCount ?? tokens.Input;
                        tokens.Output = (int?)usage.Details.OutputTokenCount ?? tokens.Output;
                    }

                    if (update.Text is { Length: > 0 } text)
                    {
                        if (!produced)
                        {
                            produced = true;
                            firstToken.CancelAfter(Timeout.InfiniteTimeSpan); // from here only the total timeout applies
                        }

                        yield return text;
                    }
                }
            }
            finally
            {
                await updates.DisposeAsync();
            }

            failure ??= finished ? null : new BotFailedException("The model's reply was cut off (the stream ended without a finish reason).");
            if (failure is null)
            {
                yield break;
            }

            logger.LogWarning(failure.InnerException, "Reply attempt {Attempt} failed: {Reason}", attempt, failure.Message);
            if (produced || attempt == 2 || total.IsCancellationRequested)
            {
                throw failure;
            }
        }
    }

    /// <summary>
    /// A short title for a chat from its first exchange, written by the free plan's model; null with the built-in
    /// assistant (whose chats keep their first words) or when the model fails. Never counted against quota.
    /// </summary>
    public async Task<string?> TitleAsync(string question, string reply, CancellationToken ct)
    {
        if (free.GetService<BuiltInChatClient>() is not null)
        {
            return null;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Value.FirstTokenTimeout);
            var response = await free.GetResponseAsync(
            [
                new ChatMessage(ChatRole.System,
                    "Write a title of 2 to 6 words for this conversation. Answer with the title only: no quotes, no final period."),
                new ChatMessage(ChatRole.User, $"User: {Clip(question)}\n\nAssistant: {Clip(reply)}"),
            ], new ChatOptions { MaxOutputTokens = 20, Temperature = 0.2f }, timeout.Token);
            var title = response.Text.Trim().Trim('"', '\'', '*', '#', ' ').TrimEnd('.');
            return title.Length is > 0 and <= Chats.Chat.MaxTitleLength ? title : null;
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.ClientModel.ClientResultException or HttpRequestException
                                       or IOException or System.Text.Json.JsonException or InvalidOperationException)
        {
            logger.LogInformation("No model-written title: {Reason}", ex.Message);
            return null;
        }

        static string Clip(string text) => text.Length <= 1000 ? text : text[..1000];
    }

    /// <summary>
    /// The newest turns whose estimated tokens fit the budget. The last (the question) is always kept, its documents
    /// shortened to fit when they do not (<see cref="TurnFiles.Fit"/>).
    /// </summary>
    public static IReadOnlyList<Turn> Trim(IReadOnlyList<Turn> history, int tokenBudget)
    {
        var kept = new List<Turn>();
        var used = 0;
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var turn = i == history.Count - 1 ? TurnFiles.Fit(history[i], tokenBudget) : history[i];
            used += TurnFiles.EstimateTokens(turn);
            if (used > tokenBudget && kept.Count > 0)
            {
                break;
            }

            kept.Add(turn);
        }

        kept.Reverse();
        return kept;
    }

    /// <summary>About four characters a token (English prose and code), plus the per-message framing models add.</summary>
    public static int EstimateTokens(string text) => (text.Length + 3) / 4 + 4;
}
