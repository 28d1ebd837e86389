using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Sqlite
{
    /// <summary>
    /// FTS5 merges the message index's segments eight at a time instead of four (bench/README.md, issue 11): at the
    /// default, the merging each commit does was most of what indexing added to a send (2.0 of 2.2 ms on a
    /// million-message database; 0.8 ms at eight, with search as fast). A level still never holds more than 16
    /// segments (crisismerge), so what a search reads stays bounded.
    /// </summary>
    public partial class SearchAtScale : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""INSERT INTO "MessageSearch" ("MessageSearch", rank) VALUES ('automerge', 8);""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""INSERT INTO "MessageSearch" ("MessageSearch", rank) VALUES ('automerge', 4);""");
        }
    }
}
