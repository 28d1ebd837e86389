using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Sqlite
{
    /// <summary>
    /// Full-text search (docs/decisions/0015-search.md): FTS5 tables for message text and chat titles, each row with
    /// its owner's token in a column of its own, kept in step by triggers; filled from what exists. Prefix indexes
    /// for 2 to 4 characters keep search-as-you-type from merging the lists of every word that starts alike. A streaming
    /// reply is indexed once it ends, so its text is not indexed again at every flush.
    /// </summary>
    public partial class Search : Migration
    {
        private const string Owner = """'u' || replace(lower(c."UserId"), '-', '')""";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "MessageSearch" USING fts5("Owner", "Content", tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
                """);
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "ChatSearch" USING fts5("Owner", "Title", tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER "Messages_search_insert" AFTER INSERT ON "Messages" WHEN NEW."Status" <> 'Streaming' BEGIN
                    INSERT INTO "MessageSearch" (rowid, "Owner", "Content")
                    SELECT NEW."Id", {Owner}, NEW."Content" FROM "Chats" c WHERE c."Id" = NEW."ChatId";
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER "Messages_search_update" AFTER UPDATE OF "Content", "Status" ON "Messages"
                WHEN (OLD."Status" = 'Streaming') <> (NEW."Status" = 'Streaming') OR (NEW."Status" <> 'Streaming' AND OLD."Content" <> NEW."Content") BEGIN
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
            migrationBuilder.Sql("""
                CREATE TRIGGER "Chats_search_insert" AFTER INSERT ON "Chats" BEGIN
                    INSERT INTO "ChatSearch" (rowid, "Owner", "Title") VALUES (NEW."Id", 'u' || replace(lower(NEW."UserId"), '-', ''), NEW."Title");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Chats_search_update" AFTER UPDATE OF "Title" ON "Chats" WHEN OLD."Title" <> NEW."Title" BEGIN
                    DELETE FROM "ChatSearch" WHERE rowid = OLD."Id";
                    INSERT INTO "ChatSearch" (rowid, "Owner", "Title") VALUES (NEW."Id", 'u' || replace(lower(NEW."UserId"), '-', ''), NEW."Title");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Chats_search_delete" AFTER DELETE ON "Chats" BEGIN
                    DELETE FROM "ChatSearch" WHERE rowid = OLD."Id";
                END;
                """);
            migrationBuilder.Sql($"""
                INSERT INTO "MessageSearch" (rowid, "Owner", "Content")
                SELECT m."Id", {Owner}, m."Content" FROM "Messages" m JOIN "Chats" c ON c."Id" = m."ChatId" WHERE m."Status" <> 'Streaming';
                """);
            migrationBuilder.Sql($"""
                INSERT INTO "ChatSearch" (rowid, "Owner", "Title") SELECT c."Id", {Owner}, c."Title" FROM "Chats" c;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in new[] { "Messages_search_insert", "Messages_search_update", "Messages_search_delete", "Chats_search_insert", "Chats_search_update", "Chats_search_delete" })
            {
                migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "{trigger}";""");
            }

            migrationBuilder.Sql("""DROP TABLE IF EXISTS "MessageSearch";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "ChatSearch";""");
        }
    }
}
