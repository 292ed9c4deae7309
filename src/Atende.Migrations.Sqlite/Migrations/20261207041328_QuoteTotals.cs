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
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    Total = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuoteTotals", x => new { x.PipelineId, x.WorkspaceId, x.State });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Quotes_State_CreatedAt_PipelineId_WorkspaceId_Total",
                table: "Quotes",
                columns: new[] { "State", "CreatedAt", "PipelineId", "WorkspaceId", "Total" });

            // QuoteTotals follows every write to Quotes: one row per (pipeline, workspace, state) gains or loses the quote.
            migrationBuilder.Sql("""
                INSERT INTO "QuoteTotals" ("PipelineId", "WorkspaceId", "State", "Count", "Total")
                SELECT "PipelineId", "WorkspaceId", "State", COUNT(*), SUM("Total") FROM "Quotes" GROUP BY "PipelineId", "WorkspaceId", "State";
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Quotes_Totals_Insert" AFTER INSERT ON "Quotes" BEGIN
                    INSERT OR IGNORE INTO "QuoteTotals" ("PipelineId", "WorkspaceId", "State", "Count", "Total") VALUES (NEW."PipelineId", NEW."WorkspaceId", NEW."State", 0, 0);
                    UPDATE "QuoteTotals" SET "Count" = "Count" + 1, "Total" = "Total" + NEW."Total"
                    WHERE "PipelineId" = NEW."PipelineId" AND "WorkspaceId" = NEW."WorkspaceId" AND "State" = NEW."State";
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Quotes_Totals_Update" AFTER UPDATE OF "PipelineId", "WorkspaceId", "State", "Total" ON "Quotes"
                WHEN OLD."PipelineId" <> NEW."PipelineId" OR OLD."WorkspaceId" <> NEW."WorkspaceId" OR OLD."State" <> NEW."State" OR OLD."Total" <> NEW."Total"
                BEGIN
                    UPDATE "QuoteTotals" SET "Count" = "Count" - 1, "Total" = "Total" - OLD."Total"
                    WHERE "PipelineId" = OLD."PipelineId" AND "WorkspaceId" = OLD."WorkspaceId" AND "State" = OLD."State";
                    INSERT OR IGNORE INTO "QuoteTotals" ("PipelineId", "WorkspaceId", "State", "Count", "Total") VALUES (NEW."PipelineId", NEW."WorkspaceId", NEW."State", 0, 0);
                    UPDATE "QuoteTotals" SET "Count" = "Count" + 1, "Total" = "Total" + NEW."Total"
                    WHERE "PipelineId" = NEW."PipelineId" AND "WorkspaceId" = NEW."WorkspaceId" AND "State" = NEW."State";
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Quotes_Totals_Delete" AFTER DELETE ON "Quotes" BEGIN
                    UPDATE "QuoteTotals" SET "Count" = "Count" - 1, "Total" = "Total" - OLD."Total"
                    WHERE "PipelineId" = OLD."PipelineId" AND "WorkspaceId" = OLD."WorkspaceId" AND "State" = OLD."State";
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
