using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class QuoteTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Quotes_PipelineId_State_WorkspaceId_Total",
                table: "Quotes");

            migrationBuilder.CreateTable(
                name: "QuoteTotals",
                columns: table => new
                {
                    PipelineId = table.Column<long>(type: "INTEGER", nullable: false),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Month = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    Total = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuoteTotals", x => new { x.PipelineId, x.WorkspaceId, x.State, x.Month });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Quotes_State_CreatedAt_PipelineId_WorkspaceId_Total",
                table: "Quotes",
                columns: new[] { "State", "CreatedAt", "PipelineId", "WorkspaceId", "Total" });

            migrationBuilder.CreateIndex(
                name: "IX_QuoteTotals_State_Month_PipelineId_WorkspaceId_Count_Total",
                table: "QuoteTotals",
                columns: new[] { "State", "Month", "PipelineId", "WorkspaceId", "Count", "Total" });

            // QuoteTotals follows every write to Quotes: the all-time row (Month 0) and the creation month's row of the quote's
            // pipeline, workspace and state gain or lose it.
            migrationBuilder.Sql("""
                INSERT INTO "QuoteTotals" ("PipelineId", "WorkspaceId", "State", "Month", "Count", "Total")
                SELECT "PipelineId", "WorkspaceId", "State", 0, COUNT(*), SUM("Total") FROM "Quotes" GROUP BY "PipelineId", "WorkspaceId", "State"
                UNION ALL
                SELECT "PipelineId", "WorkspaceId", "State", CAST(strftime('%Y%m', ("Quotes"."CreatedAt" - 621355968000000000) / 10000000, 'unixepoch') AS INTEGER), COUNT(*), SUM("Total") FROM "Quotes"
                GROUP BY "PipelineId", "WorkspaceId", "State", CAST(strftime('%Y%m', ("Quotes"."CreatedAt" - 621355968000000000) / 10000000, 'unixepoch') AS INTEGER);
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Quotes_Totals_Insert" AFTER INSERT ON "Quotes" BEGIN
                    INSERT OR IGNORE INTO "QuoteTotals" ("PipelineId", "WorkspaceId", "State", "Month", "Count", "Total")
                    VALUES (NEW."PipelineId", NEW."WorkspaceId", NEW."State", 0, 0, 0), (NEW."PipelineId", NEW."WorkspaceId", NEW."State", CAST(strftime('%Y%m', (NEW."CreatedAt" - 621355968000000000) / 10000000, 'unixepoch') AS INTEGER), 0, 0);
                    UPDATE "QuoteTotals" SET "Count" = "Count" + 1, "Total" = "Total" + NEW."Total"
                    WHERE "PipelineId" = NEW."PipelineId" AND "WorkspaceId" = NEW."WorkspaceId" AND "State" = NEW."State" AND "Month" IN (0, CAST(strftime('%Y%m', (NEW."CreatedAt" - 621355968000000000) / 10000000, 'unixepoch') AS INTEGER));
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Quotes_Totals_Update" AFTER UPDATE OF "PipelineId", "WorkspaceId", "State", "Total", "CreatedAt" ON "Quotes"
                WHEN OLD."PipelineId" <> NEW."PipelineId" OR OLD."WorkspaceId" <> NEW."WorkspaceId" OR OLD."State" <> NEW."State"
                    OR OLD."Total" <> NEW."Total" OR OLD."CreatedAt" <> NEW."CreatedAt"
                BEGIN
                    INSERT OR IGNORE INTO "QuoteTotals" ("PipelineId", "WorkspaceId", "State", "Month", "Count", "Total")
                    VALUES (OLD."PipelineId", OLD."WorkspaceId", OLD."State", 0, 0, 0), (OLD."PipelineId", OLD."WorkspaceId", OLD."State", CAST(strftime('%Y%m', (OLD."CreatedAt" - 621355968000000000) / 10000000, 'unixepoch') AS INTEGER), 0, 0);
                    UPDATE "QuoteTotals" SET "Count" = "Count" - 1, "Total" = "Total" - OLD."Total"
                    WHERE "PipelineId" = OLD."PipelineId" AND "WorkspaceId" = OLD."WorkspaceId" AND "State" = OLD."State" AND "Month" IN (0, CAST(strftime('%Y%m', (OLD."CreatedAt" - 621355968000000000) / 10000000, 'unixepoch') AS INTEGER));
                    INSERT OR IGNORE INTO "QuoteTotals" ("PipelineId", "WorkspaceId", "State", "Month", "Count", "Total")
                    VALUES (NEW."PipelineId", NEW."WorkspaceId", NEW."State", 0, 0, 0), (NEW."PipelineId", NEW."WorkspaceId", NEW."State", CAST(strftime('%Y%m', (NEW."CreatedAt" - 621355968000000000) / 10000000, 'unixepoch') AS INTEGER), 0, 0);
                    UPDATE "QuoteTotals" SET "Count" = "Count" + 1, "Total" = "Total" + NEW."Total"
                    WHERE "PipelineId" = NEW."PipelineId" AND "WorkspaceId" = NEW."WorkspaceId" AND "State" = NEW."State" AND "Month" IN (0, CAST(strftime('%Y%m', (NEW."CreatedAt" - 621355968000000000) / 10000000, 'unixepoch') AS INTEGER));
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Quotes_Totals_Delete" AFTER DELETE ON "Quotes" BEGIN
                    INSERT OR IGNORE INTO "QuoteTotals" ("PipelineId", "WorkspaceId", "State", "Month", "Count", "Total")
                    VALUES (OLD."PipelineId", OLD."WorkspaceId", OLD."State", 0, 0, 0), (OLD."PipelineId", OLD."WorkspaceId", OLD."State", CAST(strftime('%Y%m', (OLD."CreatedAt" - 621355968000000000) / 10000000, 'unixepoch') AS INTEGER), 0, 0);
                    UPDATE "QuoteTotals" SET "Count" = "Count" - 1, "Total" = "Total" - OLD."Total"
                    WHERE "PipelineId" = OLD."PipelineId" AND "WorkspaceId" = OLD."WorkspaceId" AND "State" = OLD."State" AND "Month" IN (0, CAST(strftime('%Y%m', (OLD."CreatedAt" - 621355968000000000) / 10000000, 'unixepoch') AS INTEGER));
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Quotes_Totals_Insert";""");
            migrationBuilder.Sql("""DROP TRIGGER "Quotes_Totals_Update";""");
            migrationBuilder.Sql("""DROP TRIGGER "Quotes_Totals_Delete";""");

            migrationBuilder.DropTable(
                name: "QuoteTotals");

            migrationBuilder.DropIndex(
                name: "IX_Quotes_State_CreatedAt_PipelineId_WorkspaceId_Total",
                table: "Quotes");

            migrationBuilder.CreateIndex(
                name: "IX_Quotes_PipelineId_State_WorkspaceId_Total",
                table: "Quotes",
                columns: new[] { "PipelineId", "State", "WorkspaceId", "Total" });
        }
    }
}
