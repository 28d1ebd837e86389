using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Postgres
{
    /// <summary>
    /// Full-text search (docs/decisions/0015-search.md): a tsvector on each message and chat, written by triggers
    /// with the parley_search configuration (simple behind unaccent; Search__Language may change it at start-up),
    /// the owner as a lexeme with a space in it (which no text yields), a GIN index each; filled from what exists. A streaming reply is indexed
    /// once it ends, so its text is not indexed again at every flush. The GIN indexes write through (no
    /// fastupdate): a pending list would be read in full by every search until vacuum merged it.
    /// </summary>
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS unaccent;");
            migrationBuilder.Sql("""
                CREATE TEXT SEARCH CONFIGURATION parley_search (COPY = simple);
                ALTER TEXT SEARCH CONFIGURATION parley_search ALTER MAPPING FOR word, hword, hword_part WITH unaccent, simple;
                COMMENT ON TEXT SEARCH CONFIGURATION parley_search IS 'simple';
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION parley_search_vector(body text, owner uuid) RETURNS tsvector LANGUAGE sql STABLE AS $$
                    SELECT to_tsvector('parley_search'::regconfig, body)
                        || array_to_tsvector(ARRAY['owner ' || replace(owner::text, '-', '')])
                $$;
                """);
            migrationBuilder.Sql("""
                ALTER TABLE "Messages" ADD "SearchVector" tsvector;
                ALTER TABLE "Chats" ADD "SearchVector" tsvector;
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION parley_messages_search() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW."Status" = 'Streaming' THEN
                        NEW."SearchVector" := NULL;
                    ELSIF TG_OP = 'INSERT' OR OLD."SearchVector" IS NULL OR NEW."Content" IS DISTINCT FROM OLD."Content" THEN
                        NEW."SearchVector" := parley_search_vector(NEW."Content", (SELECT c."UserId" FROM "Chats" c WHERE c."Id" = NEW."ChatId"));
                    END IF;
                    RETURN NEW;
                END
                $$;
                CREATE TRIGGER "Messages_search" BEFORE INSERT OR UPDATE OF "Content", "Status" ON "Messages"
                    FOR EACH ROW EXECUTE FUNCTION parley_messages_search();
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION parley_chats_search() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' OR NEW."Title" IS DISTINCT FROM OLD."Title" THEN
                        NEW."SearchVector" := parley_search_vector(NEW."Title", NEW."UserId");
                    END IF;
                    RETURN NEW;
                END
                $$;
                CREATE TRIGGER "Chats_search" BEFORE INSERT OR UPDATE OF "Title" ON "Chats"
                    FOR EACH ROW EXECUTE FUNCTION parley_chats_search();
                """);
            migrationBuilder.Sql("""
                UPDATE "Messages" m SET "SearchVector" = parley_search_vector(m."Content", c."UserId")
                FROM "Chats" c WHERE c."Id" = m."ChatId" AND m."Status" <> 'Streaming';
                UPDATE "Chats" SET "SearchVector" = parley_search_vector("Title", "UserId");
                """);
            migrationBuilder.Sql("""
                CREATE INDEX "IX_Messages_SearchVector" ON "Messages" USING GIN ("SearchVector") WITH (fastupdate = off);
                CREATE INDEX "IX_Chats_SearchVector" ON "Chats" USING GIN ("SearchVector") WITH (fastupdate = off);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS "Messages_search" ON "Messages";
                DROP TRIGGER IF EXISTS "Chats_search" ON "Chats";
                DROP FUNCTION IF EXISTS parley_messages_search();
                DROP FUNCTION IF EXISTS parley_chats_search();
                ALTER TABLE "Messages" DROP COLUMN IF EXISTS "SearchVector";
                ALTER TABLE "Chats" DROP COLUMN IF EXISTS "SearchVector";
                DROP FUNCTION IF EXISTS parley_search_vector(text, uuid);
                DROP TEXT SEARCH CONFIGURATION IF EXISTS parley_search;
                """);
        }
    }
}
