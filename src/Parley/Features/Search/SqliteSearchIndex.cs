using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Features.Search;

/// <summary>
/// SQLite's message index is written in batches, off the send (migration SearchIndexInBatches): the triggers note
/// each message whose text changed in <c>MessageSearchPending</c>, in the transaction that changed it, and this folds
/// the list into FTS5 every <see cref="Interval"/> and before every message search, so a search still sees every
/// message at once. Per message, a write into FTS5 made a segment of its own and paid its share of merging inside the
/// send's transaction (sends 25% slower with the index; bench/README.md). The list is in the database, so what a
/// killed process left is folded in by the next. Chat titles change rarely and are still indexed as they change.
/// </summary>
internal sealed class SqliteSearchIndex(IServiceScopeFactory scopes, ILogger<SqliteSearchIndex> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Messages folded in per write transaction, so a long list never holds the file's writers up for long.</summary>
    internal const int Batch = 2_000;

    private const string Owner = """'u' || replace(lower(c."UserId"), '-', '')""";

    /// <summary>
    /// Folds the pending list into the index, a batch per transaction; returns how many messages it took. CROSS JOIN
    /// keeps the list the outer loop: with statistics for Messages and none for the list, SQLite chose to scan every
    /// message instead (250 ms a batch on a million; QueryPlanTests).
    /// </summary>
    public static async Task<int> FlushAsync(AppDbContext db, CancellationToken ct)
    {
        var total = 0;
        while (await db.Database.SqlQuery<bool>($"""SELECT EXISTS (SELECT 1 FROM "MessageSearchPending") AS "Value" """).SingleAsync(ct))
        {
            await using var tx = await db.BeginWriteAsync(ct);
            // The batch's last id, read in the transaction: its three statements see the same list.
            var last = await db.Database.SqlQuery<long?>($"""
                SELECT max("MessageId") AS "Value" FROM (SELECT "MessageId" FROM "MessageSearchPending" ORDER BY "MessageId" LIMIT {Batch})
                """).SingleAsync(ct);
            if (last is not { } upTo)
            {
                break; // another flush took them
            }

            await db.Database.ExecuteSqlAsync($"""
                DELETE FROM "MessageSearch" WHERE rowid IN (SELECT "MessageId" FROM "MessageSearchPending" WHERE "MessageId" <= {upTo})
                """, ct);
            await db.Database.ExecuteSqlRawAsync(FoldSql, [upTo], ct);
            total += await db.Database.ExecuteSqlAsync($"""DELETE FROM "MessageSearchPending" WHERE "MessageId" <= {upTo}""", ct);
            await tx.CommitAsync(ct);
        }

        return total;
    }

    /// <summary>The pending messages up to the id in parameter 0 that exist and have ended, written into the index.</summary>
    internal const string FoldSql = $$"""
        INSERT INTO "MessageSearch" (rowid, "Owner", "Content")
        SELECT m."Id", {{Owner}}, m."Content"
        FROM "MessageSearchPending" p CROSS JOIN "Messages" m ON m."Id" = p."MessageId" JOIN "Chats" c ON c."Id" = m."ChatId"
        WHERE p."MessageId" <= {0} AND m."Status" <> 'Streaming'
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, TimeProvider.System);
        try
        {
            do // at start too: what a stopped instance left in the list
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await FlushAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The list stays as it was (each batch is one transaction); the next tick or search tries again.
                    logger.LogWarning(ex, "Indexing messages for search failed");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
