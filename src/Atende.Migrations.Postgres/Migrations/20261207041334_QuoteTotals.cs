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
                    Count = table.Column<int>(type: "integer", nullable: false),
                    Total = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false)
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
            // A move touches its two rows in key order, so two opposite moves at once wait for each other instead of deadlocking.
            migrationBuilder.Sql("""
                INSERT INTO "QuoteTotals" ("PipelineId", "WorkspaceId", "State", "Count", "Total")
                SELECT "PipelineId", "WorkspaceId", "State", COUNT(*), SUM("Total") FROM "Quotes" GROUP BY "PipelineId", "WorkspaceId", "State";
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION quote_totals_add(p_pipeline bigint, p_workspace bigint, p_state text, p_count integer, p_total numeric) RETURNS void
                LANGUAGE sql AS $$
                    INSERT INTO "QuoteTotals" ("PipelineId", "WorkspaceId", "State", "Count", "Total") VALUES (p_pipeline, p_workspace, p_state, p_count, p_total)
                    ON CONFLICT ("PipelineId", "WorkspaceId", "State")
                    DO UPDATE SET "Count" = "QuoteTotals"."Count" + EXCLUDED."Count", "Total" = "QuoteTotals"."Total" + EXCLUDED."Total";
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION quotes_totals() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        PERFORM quote_totals_add(NEW."PipelineId", NEW."WorkspaceId", NEW."State", 1, NEW."Total");
                    ELSIF TG_OP = 'DELETE' THEN
                        PERFORM quote_totals_add(OLD."PipelineId", OLD."WorkspaceId", OLD."State", -1, -OLD."Total");
                    ELSIF (OLD."PipelineId", OLD."WorkspaceId", OLD."State", OLD."Total") IS DISTINCT FROM (NEW."PipelineId", NEW."WorkspaceId", NEW."State", NEW."Total") THEN
                        IF (OLD."PipelineId", OLD."WorkspaceId", OLD."State") <= (NEW."PipelineId", NEW."WorkspaceId", NEW."State") THEN
                            PERFORM quote_totals_add(OLD."PipelineId", OLD."WorkspaceId", OLD."State", -1, -OLD."Total");
                            PERFORM quote_totals_add(NEW."PipelineId", NEW."WorkspaceId", NEW."State", 1, NEW."Total");
                        ELSE
                            PERFORM quote_totals_add(NEW."PipelineId", NEW."WorkspaceId", NEW."State", 1, NEW."Total");
                            PERFORM quote_totals_add(OLD."PipelineId", OLD."WorkspaceId", OLD."State", -1, -OLD."Total");
                        END IF;
                    END IF;
                    RETURN NULL;
                END;
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Quotes_Totals" AFTER INSERT OR DELETE OR UPDATE OF "PipelineId", "WorkspaceId", "State", "Total" ON "Quotes"
                FOR EACH ROW EXECUTE FUNCTION quotes_totals();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Quotes_Totals" ON "Quotes";""");
            migrationBuilder.Sql("DROP FUNCTION quotes_totals();");
            migrationBuilder.Sql("DROP FUNCTION quote_totals_add(bigint, bigint, text, integer, numeric);");

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
