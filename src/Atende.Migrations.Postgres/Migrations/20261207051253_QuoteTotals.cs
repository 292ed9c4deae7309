using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Postgres.Migrations
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
                    PipelineId = table.Column<long>(type: "bigint", nullable: false),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    State = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Month = table.Column<int>(type: "integer", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false),
                    Total = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false)
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
            // pipeline, workspace and state gain or lose it. A move touches the old rows and the new ones in key order, so two
            // opposite moves at once wait for each other instead of deadlocking.
            migrationBuilder.Sql("""
                INSERT INTO "QuoteTotals" ("PipelineId", "WorkspaceId", "State", "Month", "Count", "Total")
                SELECT "PipelineId", "WorkspaceId", "State", 0, COUNT(*), SUM("Total") FROM "Quotes" GROUP BY "PipelineId", "WorkspaceId", "State"
                UNION ALL
                SELECT "PipelineId", "WorkspaceId", "State", CAST(to_char("CreatedAt" AT TIME ZONE 'UTC', 'YYYYMM') AS integer), COUNT(*), SUM("Total") FROM "Quotes"
                GROUP BY "PipelineId", "WorkspaceId", "State", CAST(to_char("CreatedAt" AT TIME ZONE 'UTC', 'YYYYMM') AS integer);
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION quote_totals_add(p_pipeline bigint, p_workspace bigint, p_state text, p_created timestamptz, p_count integer, p_total numeric)
                RETURNS void LANGUAGE sql AS $$
                    INSERT INTO "QuoteTotals" ("PipelineId", "WorkspaceId", "State", "Month", "Count", "Total")
                    VALUES (p_pipeline, p_workspace, p_state, 0, p_count, p_total),
                           (p_pipeline, p_workspace, p_state, CAST(to_char(p_created AT TIME ZONE 'UTC', 'YYYYMM') AS integer), p_count, p_total)
                    ON CONFLICT ("PipelineId", "WorkspaceId", "State", "Month")
                    DO UPDATE SET "Count" = "QuoteTotals"."Count" + EXCLUDED."Count", "Total" = "QuoteTotals"."Total" + EXCLUDED."Total";
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION quotes_totals() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        PERFORM quote_totals_add(NEW."PipelineId", NEW."WorkspaceId", NEW."State", NEW."CreatedAt", 1, NEW."Total");
                    ELSIF TG_OP = 'DELETE' THEN
                        PERFORM quote_totals_add(OLD."PipelineId", OLD."WorkspaceId", OLD."State", OLD."CreatedAt", -1, -OLD."Total");
                    ELSIF (OLD."PipelineId", OLD."WorkspaceId", OLD."State", OLD."Total", OLD."CreatedAt")
                        IS DISTINCT FROM (NEW."PipelineId", NEW."WorkspaceId", NEW."State", NEW."Total", NEW."CreatedAt") THEN
                        IF (OLD."PipelineId", OLD."WorkspaceId", OLD."State") <= (NEW."PipelineId", NEW."WorkspaceId", NEW."State") THEN
                            PERFORM quote_totals_add(OLD."PipelineId", OLD."WorkspaceId", OLD."State", OLD."CreatedAt", -1, -OLD."Total");
                            PERFORM quote_totals_add(NEW."PipelineId", NEW."WorkspaceId", NEW."State", NEW."CreatedAt", 1, NEW."Total");
                        ELSE
                            PERFORM quote_totals_add(NEW."PipelineId", NEW."WorkspaceId", NEW."State", NEW."CreatedAt", 1, NEW."Total");
                            PERFORM quote_totals_add(OLD."PipelineId", OLD."WorkspaceId", OLD."State", OLD."CreatedAt", -1, -OLD."Total");
                        END IF;
                    END IF;
                    RETURN NULL;
                END;
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Quotes_Totals" AFTER INSERT OR DELETE OR UPDATE OF "PipelineId", "WorkspaceId", "State", "Total", "CreatedAt" ON "Quotes"
                FOR EACH ROW EXECUTE FUNCTION quotes_totals();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Quotes_Totals" ON "Quotes";""");
            migrationBuilder.Sql("DROP FUNCTION quotes_totals();");
            migrationBuilder.Sql("DROP FUNCTION quote_totals_add(bigint, bigint, text, timestamptz, integer, numeric);");

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
