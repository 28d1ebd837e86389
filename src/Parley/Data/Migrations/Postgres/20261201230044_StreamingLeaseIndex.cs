using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class StreamingLeaseIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Messages_LeaseExpiresAt",
                table: "Messages");

            migrationBuilder.CreateIndex(
                name: "IX_Messages_LeaseExpiresAt",
                table: "Messages",
                column: "LeaseExpiresAt",
                filter: "\"Status\" = 'Streaming'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Messages_LeaseExpiresAt",
                table: "Messages");

            migrationBuilder.CreateIndex(
                name: "IX_Messages_LeaseExpiresAt",
                table: "Messages",
                column: "LeaseExpiresAt");
        }
    }
}
