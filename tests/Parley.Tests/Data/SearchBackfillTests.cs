using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Parley.Data;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Data;

/// <summary>The Search migration indexes what was written before it: every finished message and every title.</summary>
public sealed class SearchBackfillTests
{
    private const string BeforeSearch = "MessageFeedback";

    private static async Task<(long Done, long Streaming)> SeedBeforeSearchAsync(AppDbContext db)
    {
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(db.Database.GetMigrations().Single(m => m.EndsWith("_" + BeforeSearch, StringComparison.Ordinal)));
        var user = Guid.NewGuid();
        var now = DateTime.UtcNow;
        await db.Database.ExecuteSqlAsync($"""INSERT INTO "Users" ("Id", "Email", "NormalizedEmail", "PasswordHash", "IsPremium", "UsageRevision", "CreatedAt") VALUES ({user}, 'old@example.com', 'old@example.com', 'x', FALSE, 0, {now})""");
        await db.Database.ExecuteSqlAsync($"""INSERT INTO "Chats" ("UserId", "Title", "HasTitle", "CreatedAt", "UpdatedAt") VALUES ({user}, 'Ancient glossary', TRUE, {now}, {now})""");
        await db.Database.ExecuteSqlAsync($"""INSERT INTO "Messages" ("ChatId", "Role", "Content", "Status", "CreatedAt") SELECT MAX("Id"), 'User', 'a backfilled naïve question', 'Complete', {now} FROM "Chats" """);
        await db.Database.ExecuteSqlAsync($"""INSERT INTO "Messages" ("ChatId", "Role", "Content", "Status", "CreatedAt") SELECT MAX("Id"), 'Assistant', 'backfilled but still streaming', 'Streaming', {now} FROM "Chats" """);
        var ids = await db.Messages.AsNoTracking().OrderBy(m => m.Id).Select(m => m.Id).ToListAsync();
        await migrator.MigrateAsync();
        return (ids[0], ids[1]);
    }

    [Fact]
    public async Task SqliteIndexesWhatWasThere()
    {
        var file = Path.Combine(Path.GetTempPath(), $"parley-search-backfill-{Guid.NewGuid():N}.db");
        try
        {
            await using var db = new SqliteDbContext(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite($"Data Source={file}").Options);
            var (done, _) = await SeedBeforeSearchAsync(db);

            var found = await db.Database.SqlQuery<long>($"""SELECT rowid AS "Value" FROM "MessageSearch" WHERE "MessageSearch" MATCH 'Content : backfilled AND naive'""").ToListAsync();
            var streaming = await db.Database.SqlQuery<long>($"""SELECT rowid AS "Value" FROM "MessageSearch" WHERE "MessageSearch" MATCH 'Content : streaming'""").ToListAsync();
            var titles = await db.Database.SqlQuery<long>($"""SELECT rowid AS "Value" FROM "ChatSearch" WHERE "ChatSearch" MATCH 'Title : glossary'""").ToListAsync();

            Assert.Equal([done], found);
            Assert.Empty(streaming); // indexed when it ends
            Assert.Single(titles);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Fact]
    public async Task PostgresIndexesWhatWasThere()
    {
        var name = $"parley_search_backfill_{Guid.NewGuid():N}";
        await PostgresServer.ExecuteAsync($"CREATE DATABASE {name}");
        try
        {
            await using var db = new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(PostgresServer.ConnectionString(name)).Options);
            var (done, _) = await SeedBeforeSearchAsync(db);

            var found = await db.Database.SqlQuery<long>($"""SELECT "Id" AS "Value" FROM "Messages" WHERE "SearchVector" @@ to_tsquery('parley_search', 'backfilled & naive')""").ToListAsync();
            var streaming = await db.Database.SqlQuery<long>($"""SELECT "Id" AS "Value" FROM "Messages" WHERE "SearchVector" @@ to_tsquery('parley_search', 'streaming')""").ToListAsync();
            var titles = await db.Database.SqlQuery<long>($"""SELECT "Id" AS "Value" FROM "Chats" WHERE "SearchVector" @@ to_tsquery('parley_search', 'glossary')""").ToListAsync();

            Assert.Equal([done], found);
            Assert.Empty(streaming);
            Assert.Single(titles);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await PostgresServer.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }
}
