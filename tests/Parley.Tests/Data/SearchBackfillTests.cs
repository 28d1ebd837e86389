using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Parley.Data;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Data;

/// <summary>The search migrations index what was written before them: every finished message and every title.</summary>
public sealed class SearchBackfillTests
{
    private const string BeforeSearch = "MessageFeedback";

    private static async Task<(Guid User, long Done)> SeedBeforeSearchAsync(AppDbContext db)
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
        return (user, ids[0]);
    }

    [Fact]
    public async Task SqliteIndexesWhatWasThere()
    {
        await using var scratch = ScratchDatabase.Sqlite("search-backfill");
        var db = scratch.Context;
        var (_, done) = await SeedBeforeSearchAsync(db);

        var found = await db.Database.SqlQuery<long>($"""SELECT rowid AS "Value" FROM "MessageSearch" WHERE "MessageSearch" MATCH 'Content : backfilled AND naive'""").ToListAsync();
        var streaming = await db.Database.SqlQuery<long>($"""SELECT rowid AS "Value" FROM "MessageSearch" WHERE "MessageSearch" MATCH 'Content : streaming'""").ToListAsync();
        var titles = await db.Database.SqlQuery<long>($"""SELECT rowid AS "Value" FROM "ChatSearch" WHERE "ChatSearch" MATCH 'Title : glossary'""").ToListAsync();

        var automerge = await db.Database.SqlQuery<long>($"""SELECT v AS "Value" FROM "MessageSearch_config" WHERE k = 'automerge'""").SingleAsync();

        Assert.Equal([done], found);
        Assert.Empty(streaming); // indexed when it ends
        Assert.Single(titles);
        Assert.Equal(8, automerge); // SearchAtScale: eight segments merged at a time (bench/README.md)
    }

    [Fact]
    public async Task PostgresIndexesWhatWasThere()
    {
        await using var scratch = await ScratchDatabase.PostgresAsync("search-backfill");
        var db = scratch.Context;
        var (user, done) = await SeedBeforeSearchAsync(db);

        var found = await db.Database.SqlQuery<long>($"""SELECT "Id" AS "Value" FROM "Messages" WHERE "SearchVector" @@ to_tsquery('parley_search', 'backfilled & naive')""").ToListAsync();
        var streaming = await db.Database.SqlQuery<long>($"""SELECT "Id" AS "Value" FROM "Messages" WHERE "SearchVector" @@ to_tsquery('parley_search', 'streaming')""").ToListAsync();
        var titles = await db.Database.SqlQuery<long>($"""SELECT "Id" AS "Value" FROM "Chats" WHERE "SearchVector" @@ to_tsquery('parley_search', 'glossary')""").ToListAsync();
        var owned = await db.Database.SqlQuery<long>($"""SELECT "Id" AS "Value" FROM "Messages" WHERE "SearchOwner" = {user}""").ToListAsync();

        Assert.Equal([done], found);
        Assert.Empty(streaming);
        Assert.Single(titles);
        Assert.Equal([done], owned); // the walk's owner column (SearchAtScale), not set while streaming
    }

    [Fact]
    public async Task SqliteGoingBackToIndexingAsItWritesFoldsTheListIn()
    {
        await using var scratch = ScratchDatabase.Sqlite("search-batches");
        var db = scratch.Context;
        await SeedBeforeSearchAsync(db);
        async Task<int> AardvarksAsync() => await db.Database.SqlQuery<int>($"""SELECT count(*) AS "Value" FROM "MessageSearch" WHERE "MessageSearch" MATCH 'Content : aardvark'""").SingleAsync();
        Task<int> WriteAsync(string text) => db.Database.ExecuteSqlAsync($"""INSERT INTO "Messages" ("ChatId", "Role", "Content", "Status", "CreatedAt") SELECT MAX("Id"), 'User', {text}, 'Complete', {DateTime.UtcNow} FROM "Chats" """);

        await WriteAsync("a listed aardvark");
        Assert.Equal(0, await AardvarksAsync()); // in the list (SearchIndexInBatches), for the app to fold in

        await db.GetService<IMigrator>().MigrateAsync(db.Database.GetMigrations().Single(m => m.EndsWith("_SearchAtScale", StringComparison.Ordinal)));
        Assert.Equal(1, await AardvarksAsync());
        await WriteAsync("a second aardvark");
        Assert.Equal(2, await AardvarksAsync()); // written through again
        Assert.Equal(0, await db.Database.SqlQuery<int>($"""SELECT count(*) AS "Value" FROM sqlite_master WHERE name = 'MessageSearchPending'""").SingleAsync());
    }
}
