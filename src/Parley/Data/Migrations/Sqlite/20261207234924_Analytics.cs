using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Analytics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LastMessageAt",
                table: "Users",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Currency",
                table: "Subscriptions",
                type: "TEXT",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "MonthlyAmount",
                table: "Subscriptions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AnalyticsActiveDays",
                columns: table => new
                {
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnalyticsActiveDays", x => new { x.TimeZone, x.Day, x.UserId });
                });

            migrationBuilder.CreateTable(
                name: "AnalyticsDays",
                columns: table => new
                {
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Metric = table.Column<string>(type: "TEXT", maxLength: 48, nullable: false),
                    Dimension = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnalyticsDays", x => new { x.TimeZone, x.Day, x.Metric, x.Dimension });
                });

            migrationBuilder.CreateTable(
                name: "AnalyticsEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OccurredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Premium = table.Column<bool>(type: "INTEGER", nullable: false),
                    Model = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    FirstTokenMs = table.Column<int>(type: "INTEGER", nullable: true),
                    InputTokens = table.Column<int>(type: "INTEGER", nullable: false),
                    OutputTokens = table.Column<int>(type: "INTEGER", nullable: false),
                    MessageId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnalyticsEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AnalyticsEvents_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "AnalyticsFunnels",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReachedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ShownAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CheckoutAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PaidAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnalyticsFunnels", x => x.UserId);
                });

            migrationBuilder.CreateTable(
                name: "AnalyticsRolledUpDays",
                columns: table => new
                {
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RolledUpAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnalyticsRolledUpDays", x => new { x.TimeZone, x.Day });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Users_LastMessageAt",
                table: "Users",
                column: "LastMessageAt");

            migrationBuilder.CreateIndex(
                name: "IX_AnalyticsDays_TimeZone_Day_Metric_Dimension_Value",
                table: "AnalyticsDays",
                columns: new[] { "TimeZone", "Day", "Metric", "Dimension", "Value" });

            migrationBuilder.CreateIndex(
                name: "IX_AnalyticsEvents_Kind_OccurredAt_UserId",
                table: "AnalyticsEvents",
                columns: new[] { "Kind", "OccurredAt", "UserId" });

            migrationBuilder.CreateIndex(
                name: "IX_AnalyticsEvents_MessageId",
                table: "AnalyticsEvents",
                column: "MessageId",
                filter: "\"MessageId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_AnalyticsEvents_UserId",
                table: "AnalyticsEvents",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AnalyticsFunnels_ReachedAt",
                table: "AnalyticsFunnels",
                column: "ReachedAt");

            // What happened before events were recorded: sign-ups, replies (model and plan unknown), ratings, and each
            // user's last message (for the weekly and monthly actives).
            migrationBuilder.Sql("""
                INSERT INTO "AnalyticsEvents" ("Kind", "UserId", "OccurredAt", "Premium", "InputTokens", "OutputTokens")
                SELECT 'SignedUp', "Id", "CreatedAt", 0, 0, 0 FROM "Users";
                INSERT INTO "AnalyticsEvents" ("Kind", "UserId", "OccurredAt", "Premium", "Outcome", "InputTokens", "OutputTokens", "MessageId")
                SELECT 'Reply', c."UserId", m."CreatedAt", 0, lower(m."Status"), COALESCE(m."InputTokens", 0), COALESCE(m."OutputTokens", 0), m."Id"
                FROM "Messages" m JOIN "Chats" c ON c."Id" = m."ChatId"
                WHERE m."Role" = 'Assistant' AND m."Status" <> 'Streaming';
                INSERT INTO "AnalyticsEvents" ("Kind", "UserId", "OccurredAt", "Premium", "Outcome", "InputTokens", "OutputTokens", "MessageId")
                SELECT 'Feedback', c."UserId", m."CreatedAt", 0, lower(m."Feedback"), 0, 0, m."Id"
                FROM "Messages" m JOIN "Chats" c ON c."Id" = m."ChatId"
                WHERE m."Feedback" IS NOT NULL;
                UPDATE "Users" SET "LastMessageAt" = (SELECT max(e."OccurredAt") FROM "UsageEntries" e WHERE e."UserId" = "Users"."Id" AND e."Kind" = 'Message');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AnalyticsActiveDays");

            migrationBuilder.DropTable(
                name: "AnalyticsDays");

            migrationBuilder.DropTable(
                name: "AnalyticsEvents");

            migrationBuilder.DropTable(
                name: "AnalyticsFunnels");

            migrationBuilder.DropTable(
                name: "AnalyticsRolledUpDays");

            migrationBuilder.DropIndex(
                name: "IX_Users_LastMessageAt",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "LastMessageAt",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "Currency",
                table: "Subscriptions");

            migrationBuilder.DropColumn(
                name: "MonthlyAmount",
                table: "Subscriptions");
        }
    }
}
