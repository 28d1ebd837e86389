using Parley.Features.Chats;
using Parley.Features.Usage;

namespace Parley.Tests.Features.Chats;

/// <summary>How a follower reads a generation: every character once and in order, tokens gathered into few events.</summary>
public sealed class GenerationTests
{
    [Fact]
    public async Task TokensThatComeTogetherGoOutAsFewDeltasWithTheFirstAtOnce()
    {
        using var generation = new Generation(1, TimeSpan.FromMilliseconds(200));
        var events = new List<GenerationEvent>();
        var first = new TaskCompletionSource();
        var following = Task.Run(async () =>
        {
            await foreach (var e in generation.FollowAsync(CancellationToken.None))
            {
                events.Add(e);
                first.TrySetResult();
            }
        });

        generation.Append("Hello");
        await first.Task.WaitAsync(TimeSpan.FromSeconds(5)); // sent before any wait: the first piece is not held back
        var appending = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            generation.Append($" tok{i}");
            await Task.Delay(1); // a fast model: a token a millisecond or so, each pulse waking the follower
        }

        var took = appending.Elapsed;
        generation.Finish(Outcome());
        await following.WaitAsync(TimeSpan.FromSeconds(5));

        var deltas = events.OfType<GenerationEvent.Delta>().Select(d => d.Text).ToList();
        Assert.Equal("Hello", deltas[0]);
        Assert.Equal("Hello" + string.Concat(Enumerable.Range(0, 100).Select(i => $" tok{i}")), string.Concat(deltas));
        // One delta per interval the appending took (however slow the machine), plus the first and the last.
        var most = (int)(took / TimeSpan.FromMilliseconds(200)) + 3;
        Assert.True(deltas.Count <= most && most < 50, $"{deltas.Count} deltas for 101 tokens in {took.TotalMilliseconds:0} ms");
        Assert.IsType<GenerationEvent.Done>(events[^1]);
    }

    [Fact]
    public async Task TheEndIsNotHeldBackByTheInterval()
    {
        using var generation = new Generation(1, TimeSpan.FromMinutes(5));
        var following = Task.Run(async () =>
        {
            var events = new List<GenerationEvent>();
            await foreach (var e in generation.FollowAsync(CancellationToken.None))
            {
                events.Add(e);
            }

            return events;
        });

        generation.Append("one");
        await Task.Delay(50);
        generation.Append(" two");
        generation.Finish(Outcome());

        var events = await following.WaitAsync(TimeSpan.FromSeconds(10)); // not five minutes
        Assert.Equal("one two", string.Concat(events.OfType<GenerationEvent.Delta>().Select(d => d.Text)));
        Assert.IsType<GenerationEvent.Done>(events[^1]);
    }

    private static ReplyOutcome Outcome()
    {
        var usage = new UsageResponse(Parley.Features.Auth.Plan.Free, 1, 20, 19, 86400, null, 0, null);
        var question = new MessageResponse(1, 1, null, MessageRole.User, "q", MessageStatus.Complete, DateTimeOffset.UnixEpoch, null, null, [1]);
        return new ReplyOutcome(question, null, usage);
    }
}
