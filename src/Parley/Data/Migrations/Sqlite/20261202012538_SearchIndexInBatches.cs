using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Sqlite
{
    /// <summary>
    /// Message text reaches FTS5 in batches, off the send (docs/decisions/0015-search.md, bench/README.md). The triggers
    /// now note which message changed in <c>MessageSearchPending</c>, in the writing transaction, and
    /// <c>SqliteSearchIndex</c> folds the list into <c>MessageSearch</c> each second and before every message search.
    /// A transaction that wrote one FTS5 segment per message (and its share of merging) writes one small row instead.
    /// </summary>
    public partial class SearchIndexInBatches : Migration
    {
        private const string Owner = """'u' || replace(lower(c."UserId"), '-', '')""";

        private const string Changed = """
            (OLD."Status" = 'Streaming') <> (NEW."Status" = 'Streaming') OR (NEW."Status" <> 'Streaming' AND OLD."Content" <> NEW."Content")
            """;

        private static readonly string[] Triggers = ["Messages_search_insert", "Messages_search_update", "Messages_search_delete"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            DropTriggers(migrationBuilder);
            migrationBuilder.Sql("""CREATE TABLE "MessageSearchPending" ("MessageId" INTEGER NOT NULL PRIMARY KEY);""");
            migrationBuilder.Sql("""
                CREATE TRIGGER "Messages_search_insert" AFTER INSERT ON "Messages" WHEN NEW."Status" <> 'Streaming' BEGIN
                    INSERT OR IGNORE INTO "MessageSearchPending" ("MessageId") VALUES (NEW."Id");
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER "Messages_search_update" AFTER UPDATE OF "Content", "Status" ON "Messages" WHEN {Changed} BEGIN
                    INSERT OR IGNORE INTO "MessageSearchPending" ("MessageId") VALUES (NEW."Id");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Messages_search_delete" AFTER DELETE ON "Messages" BEGIN
                    INSERT OR IGNORE INTO "MessageSearchPending" ("MessageId") VALUES (OLD."Id");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            DropTriggers(migrationBuilder);
            // What was still pending is folded in, then the triggers write through again (migration Search).
            migrationBuilder.Sql("""DELETE FROM "MessageSearch" WHERE rowid IN (SELECT "MessageId" FROM "MessageSearchPending");""");
            migrationBuilder.Sql($"""
                INSERT INTO "MessageSearch" (rowid, "Owner", "Content")
                SELECT m."Id", {Owner}, m."Content" FROM "MessageSearchPending" p CROSS JOIN "Messages" m ON m."Id" = p."MessageId"
                JOIN "Chats" c ON c."Id" = m."ChatId" WHERE m."Status" <> 'Streaming';
                """);
            migrationBuilder.Sql("""DROP TABLE "MessageSearchPending";""");
            migrationBuilder.Sql($"""
                CREATE TRIGGER "Messages_search_insert" AFTER INSERT ON "Messages" WHEN NEW."Status" <> 'Streaming' BEGIN
                    INSERT INTO "MessageSearch" (rowid, "Owner", "Content")
                    SELECT NEW."Id", {Owner}, NEW."Content" FROM "Chats" c WHERE c."Id" = NEW."ChatId";
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER "Messages_search_update" AFTER UPDATE OF "Content", "Status" ON "Messages" WHEN {Changed} BEGIN
                    DELETE FROM "MessageSearch" WHERE rowid = OLD."Id";
                    INSERT INTO "MessageSearch" (rowid, "Owner", "Content")
                    SELECT NEW."Id", {Owner}, NEW."Content" FROM "Chats" c WHERE c."Id" = NEW."ChatId" AND NEW."Status" <> 'Streaming';
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Messages_search_delete" AFTER DELETE ON "Messages" BEGIN
                    DELETE FROM "MessageSearch" WHERE rowid = OLD."Id";
                END;
                """);
        }

        private static void DropTriggers(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in Triggers)
            {
                migrationBuilder.Sql($"""DROP TRIGGER "{trigger}";""");
            }
        }
    }
}
