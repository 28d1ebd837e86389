using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Postgres
{
    /// <summary>
    /// The owner of each indexed message as a column too, with a (SearchOwner, CreatedAt, Id) index (docs/decisions/0015-search.md):
    /// a word in a large share of a user's messages is found by walking their newest messages, instead of fetching
    /// every match the GIN index gives to keep the newest. Written by the same trigger as the vector, and NULL while
    /// a reply streams, as the vector is. The backfill rewrites every row: the GIN index is dropped for it and built
    /// again after, which is much faster than updating it row by row; ANALYZE gives the planner the owners' shares
    /// at once, which it needs to choose the walk for a user with many messages.
    /// </summary>
    public partial class SearchAtScale : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE "Messages" ADD "SearchOwner" uuid;
                CREATE OR REPLACE FUNCTION parley_messages_search() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW."Status" = 'Streaming' THEN
                        NEW."SearchVector" := NULL;
                        NEW."SearchOwner" := NULL;
                    ELSIF TG_OP = 'INSERT' OR OLD."SearchVector" IS NULL OR NEW."Content" IS DISTINCT FROM OLD."Content" THEN
                        NEW."SearchOwner" := (SELECT c."UserId" FROM "Chats" c WHERE c."Id" = NEW."ChatId");
                        NEW."SearchVector" := parley_search_vector(NEW."Content", NEW."SearchOwner");
                    END IF;
                    RETURN NEW;
                END
                $$;
                """);
            migrationBuilder.Sql("""
                DROP INDEX "IX_Messages_SearchVector";
                UPDATE "Messages" m SET "SearchOwner" = c."UserId"
                FROM "Chats" c WHERE c."Id" = m."ChatId" AND m."SearchVector" IS NOT NULL;
                CREATE INDEX "IX_Messages_SearchVector" ON "Messages" USING GIN ("SearchVector") WITH (fastupdate = off);
                CREATE INDEX "IX_Messages_SearchOwner_CreatedAt_Id" ON "Messages" ("SearchOwner", "CreatedAt", "Id");
                ANALYZE "Messages";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION parley_messages_search() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW."Status" = 'Streaming' THEN
                        NEW."SearchVector" := NULL;
                    ELSIF TG_OP = 'INSERT' OR OLD."SearchVector" IS NULL OR NEW."Content" IS DISTINCT FROM OLD."Content" THEN
                        NEW."SearchVector" := parley_search_vector(NEW."Content", (SELECT c."UserId" FROM "Chats" c WHERE c."Id" = NEW."ChatId"));
                    END IF;
                    RETURN NEW;
                END
                $$;
                DROP INDEX IF EXISTS "IX_Messages_SearchOwner_CreatedAt_Id";
                ALTER TABLE "Messages" DROP COLUMN IF EXISTS "SearchOwner";
                """);
        }
    }
}
