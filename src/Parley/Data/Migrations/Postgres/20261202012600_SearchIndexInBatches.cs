using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Postgres
{
    /// <summary>
    /// SQLite's counterpart moves FTS5 indexing off the send (docs/decisions/0015-search.md). Nothing changes here: the
    /// GIN index writes through (<c>fastupdate = off</c>) and a send with it costs within the target (bench/README.md).
    /// Both providers carry every migration's name.
    /// </summary>
    public partial class SearchIndexInBatches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
