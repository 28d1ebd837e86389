using SqliteConnection = Microsoft.Data.Sqlite.SqliteConnection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Features.Chats;
using Parley.Features.Search;

using Parley.Tests.Infrastructure;

namespace Parley.Tests.Data;

/// <summary>
/// History and chat-list pages must be index range scans, so their cost does not grow with history length
/// (bench/README.md has the measured figures). SQLite's plan is read for the exact SQL EF Core sends.
/// </summary>
public sealed class QueryPlanTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    private async Task<string> PlanAsync(Func<AppDbContext, IQueryable<object>> query)
    {
        _ = factory.CreateClient(); // starts the host, which migrates the database
        await using var scope = factory.Services.CreateAsyncScope();
        var sql = query(scope.ServiceProvider.GetRequiredService<AppDbContext>()).ToQueryString();
        // ToQueryString declares parameters with .param set; keep only the statement and bind them as literals.
        var lines = sql.Split('\n');
        var parameters = lines.Where(l => l.StartsWith(".param set", StringComparison.Ordinal))
            .Select(l => l.Split(' ', 4)).Select(parts => (parts[2], (object)parts[3].Trim().Trim('\'')));
        return await PlanAsync(string.Join('\n', lines.Where(l => !l.StartsWith(".param", StringComparison.Ordinal))), [.. parameters]);
    }

    /// <summary>SQLite's plan for a statement, its steps joined by " | ".</summary>
    private async Task<string> PlanAsync(string statement, params (string Name, object Value)[] parameters)
    {
        _ = factory.CreateClient();
        await using var scope = factory.Services.CreateAsyncScope();
        var connection = (SqliteConnection)scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.CommandText = "EXPLAIN QUERY PLAN " + statement;
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        return string.Join(" | ", plan);
    }

    [Fact]
    public async Task AHistoryPageWalksTheBranchByPrimaryKey()
    {
        var plan = await PlanAsync(db => new Branches(db).PathQuery(500, 31).Select(m => (object)m.Id));

        // Every step of the recursive walk is a primary-key lookup; no step scans the chat's messages.
        Assert.Contains("INTEGER PRIMARY KEY", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN Messages", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN m", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindingSiblingsUsesTheParentIndex()
    {
        var parents = new List<long> { 1, 2, 3 };
        var plan = await PlanAsync(db => db.Messages.Where(m => m.ChatId == 1 && m.ParentId != null && parents.Contains(m.ParentId.Value)).Select(m => (object)m.Id));

        Assert.Contains("IX_Messages_ChatId_ParentId", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChatListPageIsAnIndexRangeScan()
    {
        var user = Guid.NewGuid();
        var at = DateTime.UtcNow;
        var plan = await PlanAsync(db => db.Chats
            .Where(c => c.UserId == user && (c.UpdatedAt < at || (c.UpdatedAt == at && c.Id < 10)))
            .OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id).Take(31));

        Assert.Contains("IX_Chats_UserId_UpdatedAt_Id", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLeaseSweepReadsOnlyTheRepliesStreamingNow()
    {
        var now = DateTime.UtcNow;
        var plan = await PlanAsync(db => ReplyLeases.Expired(db, now, now.AddMinutes(-1)).Select(m => (object)m.Id));

        // The partial index holds only streaming replies. With an index of every message's lease, SQLite read the
        // "no lease yet" case as LeaseExpiresAt = NULL: every finished message, every two seconds.
        Assert.Contains("USING INDEX IX_Messages_LeaseExpiresAt", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("LeaseExpiresAt=?", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN m |", plan + " |", StringComparison.Ordinal);
    }

    [Fact]
    public async Task FoldingTheSearchListInLooksEachListedMessageUp()
    {
        var plan = await PlanAsync(SqliteSearchIndex.FoldSql.Replace("{0}", "$upTo", StringComparison.Ordinal), ("$upTo", 100L));

        // The list is the outer loop and each message is found by its key. Left to itself, SQLite walks the messages
        // up to the batch's last id (on a million, 250 ms for a batch of two).
        Assert.StartsWith("SEARCH p USING INTEGER PRIMARY KEY", plan, StringComparison.Ordinal);
        Assert.Contains("SEARCH m USING INTEGER PRIMARY KEY (rowid=?)", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN m", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountingTheUsageWindowUsesTheLedgerIndex()
    {
        var user = Guid.NewGuid();
        var since = DateTime.UtcNow.AddDays(-1);
        var plan = await PlanAsync(db => db.UsageEntries
            .Where(e => e.UserId == user && e.OccurredAt > since && !db.UsageEntries.Any(r => r.RefundsEntryId == e.Id))
            .Select(e => (object)e.Id));

        Assert.Contains("IX_UsageEntries_UserId_OccurredAt", plan, StringComparison.Ordinal);
        Assert.Contains("IX_UsageEntries_RefundsEntryId", plan, StringComparison.Ordinal);
    }
}

/// <summary>
/// PostgreSQL plans a recursive step for the whole table: written as a join, the branch walk scanned a table of a
/// few hundred messages once per step. Its plan is read (EXPLAIN) on a chat of 400 messages after ANALYZE.
/// </summary>
public sealed class PostgresQueryPlanTests(PostgresFactory factory) : IClassFixture<PostgresFactory>
{
    [Fact]
    public async Task TheBranchWalkLooksUpEachParentByPrimaryKeyOnASmallTable()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        long? parent = null;
        for (var i = 0; i < 400; i++)
        {
            var message = new Message
            {
                ChatId = chat.Id, ParentId = parent, Role = i % 2 == 0 ? MessageRole.User : MessageRole.Assistant,
                Content = $"message {i}", Status = MessageStatus.Complete, CreatedAt = DateTime.UtcNow,
            };
            db.Messages.Add(message);
            await db.SaveChangesAsync();
            parent = message.Id;
        }

        await db.Database.ExecuteSqlRawAsync("ANALYZE \"Messages\"");
        var path = new Branches(db).PathQuery(parent!.Value, 200);
        Assert.Equal(200, await path.CountAsync());

        var plan = await ExplainAsync(db, path.Select(m => m.Id));

        // The recursive step: the lines below "Recursive Union", indented deeper than it.
        var union = plan.FindIndex(l => l.Contains("Recursive Union", StringComparison.Ordinal));
        Assert.True(union >= 0, string.Join('\n', plan));
        static int Indent(string line) => line.Length - line.TrimStart(' ', '-', '>').Length;
        var recursive = string.Join('\n', plan.Skip(union + 1).TakeWhile(l => Indent(l) > Indent(plan[union])));
        Assert.True(recursive.Contains("Index Scan using \"PK_Messages\" on \"Messages\" p", StringComparison.Ordinal), string.Join('\n', plan));
        Assert.DoesNotContain("Seq Scan", recursive, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLeaseSweepReadsOnlyTheRepliesStreamingNow()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Many finished messages (no lease) and one streaming reply, as on any busy server.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Messages" ("ChatId", "Role", "Content", "Status", "CreatedAt")
            SELECT {chat.Id}, 'User', 'message ' || i, 'Complete', now() - interval '1 day' FROM generate_series(1, 5000) i
            """);
        await db.Database.ExecuteSqlAsync($"""INSERT INTO "Messages" ("ChatId", "Role", "Content", "Status", "CreatedAt") VALUES ({chat.Id}, 'Assistant', '', 'Streaming', now())""");
        await db.Database.ExecuteSqlRawAsync("ANALYZE \"Messages\"");
        var now = DateTime.UtcNow;

        var plan = await ExplainAsync(db, ReplyLeases.Expired(db, now, now.AddMinutes(-1)).Select(m => m.Id));

        var text = string.Join('\n', plan);
        Assert.True(text.Contains("using \"IX_Messages_LeaseExpiresAt\"", StringComparison.Ordinal), text);
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
    }

    /// <summary>EXPLAIN ANALYZE of the SQL EF Core sends for <paramref name="query"/>, with its parameters' values.</summary>
    private static async Task<List<string>> ExplainAsync<T>(AppDbContext db, IQueryable<T> query)
    {
        // ToQueryString declares the parameters as comments ("-- p0='400'"); EXPLAIN the statement with their values.
        var lines = query.ToQueryString().Split('\n');
        var statement = string.Join('\n', lines.Where(l => !l.StartsWith("-- ", StringComparison.Ordinal)));
        foreach (var match in lines.Select(l => System.Text.RegularExpressions.Regex.Match(l, "^-- @?(\\w+)='([^']*)'")).Where(m => m.Success))
        {
            // A number as it is; anything else (a time) as a quoted literal, which PostgreSQL reads as the column's type.
            var value = match.Groups[2].Value.All(char.IsAsciiDigit) ? match.Groups[2].Value : $"'{match.Groups[2].Value}'";
            statement = System.Text.RegularExpressions.Regex.Replace(statement, "@" + match.Groups[1].Value + "\\b", value);
        }

        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "EXPLAIN (ANALYZE, COSTS OFF) " + statement; // ANALYZE shows the subquery's plan
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0));
        }

        return plan;
    }
}
