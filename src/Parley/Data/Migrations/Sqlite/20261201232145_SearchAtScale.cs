using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Sqlite
{
    /// <summary>
    /// FTS5 merges the message index's segments eight at a time instead of four (bench/README.md, issue 11). On a
    /// copy of the million-message benchmark database, a send's two indexed writes cost 2.0 ms more than without the
    /// index at the default and 0.8 ms at eight (p99 45 ms and 8 ms: the merges), with searches as fast. A level
    /// still never holds more than 16 segments (crisismerge), so what a search reads stays bounded.
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
