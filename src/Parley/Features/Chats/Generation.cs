using System.Runtime.CompilerServices;

namespace Parley.Features.Chats;

/// <summary>One reply being generated: its text so far, and a signal for followers.</summary>
/// <param name="deltaInterval">How long a follower gathers tokens after each piece it sends (ChatOptions.DeltaInterval).</param>
public sealed class Generation(long replyId, TimeSpan deltaInterval = default) : IDisposable
{
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly List<string> _deltas = [];
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ReplyOutcome? _outcome;
    private MessageResponse? _lost;
    private bool _finished;

    public long ReplyId { get; } = replyId;
    public CancellationToken StopToken => _stop.Token;
    public Task Completion { get; internal set; } = Task.CompletedTask;
    public ReplyOutcome? Outcome => _outcome;

    /// <summary>
    /// Set when the outcome could not be stored (the database stayed away, or a bug): the reply as it will be closed
    /// by the lease sweep, interrupted with <see cref="Flushed"/> as its text.
    /// </summary>
    public MessageResponse? Lost => _lost;

    /// <summary>The text last written to the reply's row.</summary>
    public string Flushed { get; internal set; } = "";

    /// <summary>Stopped by shutdown, not by the user: the reply is stored as interrupted.</summary>
    public bool Interrupted { get; private set; }

    public void Interrupt()
    {
        Interrupted = true;
        RequestStop();
    }

    public void RequestStop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Finished in the meantime: there is nothing left to stop.
        }
    }

    public void Dispose() => _stop.Dispose();

    /// <summary>
    /// Adds text and wakes the followers waiting for it, after the lock. They resume on the thread pool: woken on this
    /// thread instead, a first token reached its reader about 0.7 ms sooner at one stream, but at 50 streams first
    /// tokens came later (bench/README.md).
    /// </summary>
    internal void Append(string delta)
    {
        TaskCompletionSource woken;
        lock (_gate)
        {
            _deltas.Add(delta);
            woken = Renew();
        }

        woken.TrySetResult();
    }

    internal void Finish(ReplyOutcome outcome) => End(outcome, null);

    internal void FinishLost(MessageResponse kept) => End(null, kept);

    private void End(ReplyOutcome? outcome, MessageResponse? lost)
    {
        TaskCompletionSource woken;
        lock (_gate)
        {
            if (_finished)
            {
                return; // what followers were told stands
            }

            (_outcome, _lost, _finished) = (outcome, lost, true);
            woken = Renew();
        }

        woken.TrySetResult();
        _ended.TrySetResult();
    }

    /// <summary>
    /// The text so far as one delta, then what came since, then the outcome. After each delta the follower waits up
    /// to <c>deltaInterval</c> (less when the reply ends), so the tokens of that time go out as one event; a slow
    /// follower gets everything it has not read yet as one event too.
    /// </summary>
    public async IAsyncEnumerable<GenerationEvent> FollowAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var seen = 0;
        while (true)
        {
            string? text;
            bool finished;
            Task changed;
            lock (_gate)
            {
                text = seen < _deltas.Count ? string.Concat(_deltas.Skip(seen)) : null;
                seen = _deltas.Count;
                finished = _finished;
                changed = _changed.Task;
            }

            if (text is not null)
            {
                yield return new GenerationEvent.Delta(text);
                if (!finished && deltaInterval > TimeSpan.Zero)
                {
                    await Task.WhenAny(Task.Delay(deltaInterval, ct), _ended.Task);
                    ct.ThrowIfCancellationRequested();
                    continue;
                }
            }

            if (finished)
            {
                if (_outcome is { } outcome)
                {
                    yield return new GenerationEvent.Done(outcome);
                }

                yield break;
            }

            await changed.WaitAsync(ct);
        }
    }

    /// <summary>Under the lock: a new signal for the next change; the caller sets the one returned after the lock.</summary>
    private TaskCompletionSource Renew()
    {
        var previous = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return previous;
    }
}
