using Npgsql;
using Parley.Data;

namespace Parley.Features.Chats;

/// <summary>
/// Tells the instance generating a reply to stop it, wherever that instance is. Behind one small interface so
/// another channel (Redis) could replace PostgreSQL's. See docs/decisions/0007-durable-generation.md.
/// </summary>
public interface IReplySignals
{
    /// <summary>Asks whichever instance generates <paramref name="replyId"/> to stop it (its text so far is kept).</summary>
    Task RequestStopAsync(long replyId, CancellationToken ct);
}

/// <summary>SQLite: one instance by nature, so the reply, if it is generating at all, is generating here.</summary>
internal sealed class InProcessReplySignals(ReplyGenerations generations) : IReplySignals
{
    public Task RequestStopAsync(long replyId, CancellationToken ct)
    {
        generations.Stop(replyId);
        return Task.CompletedTask;
    }
}

/// <summary>
/// PostgreSQL: <c>NOTIFY parley_reply_stop, 'id'</c>, and every instance <c>LISTEN</c>s on a connection of its own and
/// stops the reply if it generates it. No new infrastructure, and a stop arrives in about a round trip. A lost
/// listening connection is reopened; a stop sent meanwhile is lost, and the reply ends on its own.
/// </summary>
internal sealed class PostgresReplySignals(DatabaseUrl url, ReplyGenerations generations, ILogger<PostgresReplySignals> logger)
    : BackgroundService, IReplySignals
{
    private const string Channel = "parley_reply_stop";

    public async Task RequestStopAsync(long replyId, CancellationToken ct)
    {
        if (generations.Stop(replyId))
        {
            return; // here: no need to ask the others
        }

        await using var connection = new NpgsqlConnection(url.ConnectionString);
        await connection.OpenAsync(ct);
        await using var notify = new NpgsqlCommand($"SELECT pg_notify('{Channel}', @id)", connection);
        notify.Parameters.AddWithValue("id", replyId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await notify.ExecuteNonQueryAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(url.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (long.TryParse(e.Payload, System.Globalization.CultureInfo.InvariantCulture, out var replyId))
                    {
                        generations.Stop(replyId);
                    }
                };
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
                logger.LogWarning(ex, "Listening for stop requests failed; listening again in a second");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
