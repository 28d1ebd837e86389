using Microsoft.Extensions.Options;
using Parley.Features.Usage;

namespace Parley.Features.Chats;

/// <summary>
/// Which sends get a <see cref="HeadStart"/> (ADR 0013): head starts on, the instance not shutting down, the user last
/// seen here with a message left, and the processors with time to spare.
/// </summary>
public sealed class HeadStarts(
    IServiceScopeFactory scopes, ILogger<HeadStart> logger, IOptions<ChatOptions> options, UsageHints hints, IHostApplicationLifetime lifetime)
{
    private int _taking;

    /// <summary>
    /// Asks the model for the reply to a new message in <paramref name="chatId"/> before the send has taken its quota;
    /// null when this send goes without. The caller hands it to <see cref="ReplyGenerations.Start"/>, or abandons it.
    /// </summary>
    public HeadStart? Begin(Guid userId, long chatId, string question) =>
        options.Value.HeadStart && !lifetime.ApplicationStopping.IsCancellationRequested &&
        Volatile.Read(ref _taking) <= Environment.ProcessorCount && hints.MayTake(userId) is { } plan
            ? HeadStart.Begin(scopes, logger, userId, chatId, question, plan)
            : null;

    /// <summary>
    /// Counts a send taking its quota here until disposed. A head start reads the branch twice and may call the model
    /// for nothing, so it is only worth it while the processors have time to spare: with more sends than cores
    /// taking quota at once, the first token waits on processors, not on the database, and sends go without.
    /// </summary>
    public Taking BeginTaking()
    {
        Interlocked.Increment(ref _taking);
        return new Taking(this);
    }

    public readonly struct Taking(HeadStarts owner) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref owner._taking);
    }
}
