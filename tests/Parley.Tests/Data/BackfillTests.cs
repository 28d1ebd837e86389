using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Parley.Data;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Data;

/// <summary>Chats written before messages formed a tree become one branch, ending at their last message.</summary>
public sealed class BackfillTests
{
    private const string BeforeTree = "ReplyTokens";

    private static async Task AssertBackfillAsync(AppDbContext db)
    {
        var migrator = db.GetService<IMigrator>();
        var before = db.Database.GetMigrations().Single(m => m.EndsWith("_" + BeforeTree, StringComparison.Ordinal));
        await migrator.MigrateAsync(before);
        var user = Guid.NewGuid();
        await db.Database.ExecuteSqlAsync($"""INSERT INTO "Users" ("Id", "Email", "NormalizedEmail", "PasswordHash", "IsPremium", "UsageRevision", "CreatedAt") VALUES ({user}, 'old@example.com', 'old@example.com', 'x', FALSE, 0, {DateTime.UtcNow})""");
        await db.Database.ExecuteSqlAsync($"""INSERT INTO "Chats" ("UserId", "Title", "HasTitle", "CreatedAt", "UpdatedAt") VALUES ({user}, 'old', TRUE, {DateTime.UtcNow}, {DateTime.UtcNow})""");
        for (var i = 0; i < 4; i++)
        {
            var role = i % 2 == 0 ? "User" : "Assistant";
            await db.Database.ExecuteSqlAsync($"""INSERT INTO "Messages" ("ChatId", "Role", "Content", "Status", "CreatedAt") SELECT MAX("Id"), {role}, {"m" + i}, 'Complete', {DateTime.UtcNow} FROM "Chats" """);
        }

        await migrator.MigrateAsync();

        var messages = await db.Messages.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
        var chat = await db.Chats.AsNoTracking().SingleAsync();
        Assert.Null(messages[0].ParentId);
        Assert.Equal(messages.Take(3).Select(m => (long?)m.Id), messages.Skip(1).Select(m => m.ParentId));
        Assert.Equal(messages[^1].Id, chat.ActiveLeafId);
    }

    [Fact]
    public async Task SqliteChatsBecomeOneBranch()
    {
        var file = Path.Combine(Path.GetTempPath(), $"parley-backfill-{Guid.NewGuid():N}.db");
        try
        {
            await using var db = new SqliteDbContext(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite($"Data Source={file}").Options);
            await AssertBackfillAsync(db);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Fact]
    public async Task PostgresChatsBecomeOneBranch()
    {
        var name = $"parley_backfill_{Guid.NewGuid():N}";
        await PostgresServer.ExecuteAsync($"CREATE DATABASE {name}");
        try
        {
            await using var db = new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(PostgresServer.ConnectionString(name)).Options);
            await AssertBackfillAsync(db);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await PostgresServer.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }
}
