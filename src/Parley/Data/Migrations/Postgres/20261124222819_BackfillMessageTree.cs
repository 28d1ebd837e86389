using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BackfillMessageTree : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Chats from before branches were one line each: every message follows the one before it. Kept apart
            // from MessageTree, whose table rebuild on SQLite must not share a migration with other SQL.
            migrationBuilder.Sql("""
                UPDATE "Messages" SET "ParentId" = (
                    SELECT MAX(p."Id") FROM "Messages" p WHERE p."ChatId" = "Messages"."ChatId" AND p."Id" < "Messages"."Id");
                UPDATE "Chats" SET "ActiveLeafId" = (SELECT MAX(m."Id") FROM "Messages" m WHERE m."ChatId" = "Chats"."Id");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
