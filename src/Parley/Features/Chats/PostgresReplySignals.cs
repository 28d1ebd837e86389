using System.Globalization;
using System.Threading.Channels;
using Npgsql;
using Parley.Data;

namespace Parley.Features.Chats;

/// <summary>
/// PostgreSQL's LISTEN/NOTIFY on one channel, <c>parley_reply</c>, which every instance listens to on a connection of
/// its own (reopened if lost). No new infrastructure, and a notice arrives in about a round trip. Payloads:
/// <list type="bullet">
/// <item><c>s:id</c>: stop reply <c>id</c> (its owner does, and stores it as stopped);</item>
/// <item><c>f:id</c>: someone follows <c>id</c> from another instance; its owner relays the text from the start;</item>
/// <item><c>p:id:offset:text</c>: a piece of the reply's text (at most <see cref="PieceLength"/> units, as NOTIFY
/// payloads must stay under 8,000 bytes);</item>
/// <item><c>e:id</c>: the reply's outcome is stored.</item>
/// </list>
/// Notices are not durable: one lost while a listening connection is reopened costs only latency, since followers
/// also read the stored row (written every <see cref="ChatOptions.ReplyFlushInterval"/>) at least once a second.
/// </summary>
internal sealed class PostgresReplySignals(DatabaseUrl url, ReplyGenerations generations, ILogger<PostgresReplySignals> logger)
    : BackgroundService, IReplySignals
{
    private const string Channel = "parley_reply";

    // 2,000 UTF-16 units are at most 6,000 bytes of UTF-8, leaving room for the header.
    internal const int PieceLength = 2000;

    private readonly Lock _gate = new();
    private readonly Dictionary<long, List<ChannelWriter<ReplyNotice>>> _watchers = [];

    public Task RequestStopAsync(long replyId, CancellationToken ct) => NotifyAsync(Invariant($"s:{replyId}"), ct);

    public async Task<ReplyWatch> WatchAsync(long replyId, CancellationToken ct)
    {
        var channel = System.Threading.Channels.Channel.CreateUnbounded<ReplyNotice>(new() { SingleReader = true });
        lock (_gate)
        {
            _watchers.TryAdd(replyId, []);
            _watchers[replyId].Add(channel.Writer);
        }

        var watch = new ReplyWatch(channel.Reader, () =>
        {
            lock (_gate)
            {
                if (_watchers.TryGetValue(replyId, out var writers) && writers.Remove(channel.Writer) && writers.Count == 0)
                {
                    _watchers.Remove(replyId);
                }
            }
        });

        // Subscribed first, then asked: the owner's relay starts from the reply's first character, so nothing is missed.
        try
        {
            await NotifyAsync(Invariant($"f:{replyId}"), ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not ask for reply {ReplyId}'s text; following its stored row only", replyId);
        }

        return watch;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(url.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Dispatch(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Listening for reply notices failed; listening again in a second");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Runs on the listening connection's reader: route and return, never wait.</summary>
    private void Dispatch(string payload)
    {
        var parts = payload.Split(':', 4);
        if (parts.Length < 2 || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var replyId))
        {
            return;
        }

        switch (parts[0])
        {
            case "s":
                generations.Stop(replyId);
                break;
            case "f" when generations.Find(replyId) is { } generation:
                // Not tied to shutdown: a reply draining after SIGTERM is still relayed until it ends.
                _ = Task.Run(() => RelayAsync(generation));
                break;
            case "p" when parts.Length == 4 && int.TryParse(parts[2], CultureInfo.InvariantCulture, out var offset):
                Tell(replyId, new ReplyNotice.Piece(offset, parts[3]));
                break;
            case "e":
                Tell(replyId, new ReplyNotice.Ended());
                break;
        }
    }

    private void Tell(long replyId, ReplyNotice notice)
    {
        lock (_gate)
        {
            if (_watchers.TryGetValue(replyId, out var writers))
            {
                foreach (var writer in writers)
                {
                    writer.TryWrite(notice);
                }
            }
        }
    }

    /// <summary>
    /// The owner's side of a remote follower: the text so far, each new piece as it comes (pieces that pile up while
    /// a NOTIFY is on its way go out as one), then the end, sent after the outcome is stored.
    /// </summary>
    private async Task RelayAsync(Generation generation)
    {
        var ct = CancellationToken.None;
        try
        {
            await using var connection = new NpgsqlConnection(url.ConnectionString);
            await connection.OpenAsync(ct);
            var offset = 0;
            await foreach (var e in generation.FollowAsync(ct))
            {
                if (e is not GenerationEvent.Delta { Text: var text })
                {
                    continue;
                }

                for (var start = 0; start < text.Length;)
                {
                    var length = Math.Min(PieceLength, text.Length - start);
                    if (length < text.Length - start && char.IsHighSurrogate(text[start + length - 1]))
                    {
                        length--; // never split a surrogate pair between two payloads
                    }

                    await NotifyAsync(connection, string.Concat(Invariant($"p:{generation.ReplyId}:{offset + start}:"), text.AsSpan(start, length)), ct);
                    start += length;
                }

                offset += text.Length;
            }

            await NotifyAsync(connection, Invariant($"e:{generation.ReplyId}"), ct);
        }
        catch (Exception ex)
        {
            // Followers elsewhere still read the stored row: they get the text later, not never.
            logger.LogWarning(ex, "Relaying reply {ReplyId} to other instances failed", generation.ReplyId);
        }
    }

    private async Task NotifyAsync(string payload, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(url.ConnectionString);
        await connection.OpenAsync(ct);
        await NotifyAsync(connection, payload, ct);
    }

    private static async Task NotifyAsync(NpgsqlConnection connection, string payload, CancellationToken ct)
    {
        await using var notify = new NpgsqlCommand($"SELECT pg_notify('{Channel}', @payload)", connection);
        notify.Parameters.AddWithValue("payload", payload);
        await notify.ExecuteNonQueryAsync(ct);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
