using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
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
        await using var scratch = ScratchDatabase.Sqlite("backfill");
        await AssertBackfillAsync(scratch.Context);
    }

    [Fact]
    public async Task PostgresChatsBecomeOneBranch()
    {
        await using var scratch = await ScratchDatabase.PostgresAsync("backfill");
        await AssertBackfillAsync(scratch.Context);
    }
}
