using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class TicketCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TicketCounts",
                columns: table => new
                {
                    PipelineId = table.Column<long>(type: "bigint", nullable: false),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<int>(type: "integer", maxLength: 32, nullable: false),
                    AssigneeKey = table.Column<long>(type: "bigint", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TicketCounts", x => new { x.PipelineId, x.WorkspaceId, x.Status, x.AssigneeKey });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_OpenDue",
                table: "Tickets",
                columns: new[] { "Bin", "DueAt", "PipelineId", "WorkspaceId" },
                filter: "\"Status\" NOT IN (6, 4, 5) AND \"DueAt\" IS NOT NULL");

            // TicketCounts follows every write to Tickets: the row of a list ticket's (bin 0) pipeline, workspace, status and
            // assignee (0: nobody) counts it; a change of any of them, or of the bin, moves it from one row to the other,
            // touching the two rows in key order so two opposite moves at once wait for each other instead of deadlocking.
            migrationBuilder.Sql("""
                INSERT INTO "TicketCounts" ("PipelineId", "WorkspaceId", "Status", "AssigneeKey", "Count")
                SELECT "PipelineId", "WorkspaceId", "Status", COALESCE("AssigneeId", 0), COUNT(*) FROM "Tickets" WHERE "Bin" = 0
                GROUP BY "PipelineId", "WorkspaceId", "Status", COALESCE("AssigneeId", 0);
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION ticket_counts_add(p_pipeline bigint, p_workspace bigint, p_status integer, p_assignee bigint, p_count integer)
                RETURNS void LANGUAGE sql AS $$
                    INSERT INTO "TicketCounts" ("PipelineId", "WorkspaceId", "Status", "AssigneeKey", "Count") VALUES (p_pipeline, p_workspace, p_status, COALESCE(p_assignee, 0), p_count)
                    ON CONFLICT ("PipelineId", "WorkspaceId", "Status", "AssigneeKey") DO UPDATE SET "Count" = "TicketCounts"."Count" + EXCLUDED."Count";
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION tickets_counts() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        IF NEW."Bin" = 0 THEN
                            PERFORM ticket_counts_add(NEW."PipelineId", NEW."WorkspaceId", NEW."Status", NEW."AssigneeId", 1);
                        END IF;
                    ELSIF TG_OP = 'DELETE' THEN
                        IF OLD."Bin" = 0 THEN
                            PERFORM ticket_counts_add(OLD."PipelineId", OLD."WorkspaceId", OLD."Status", OLD."AssigneeId", -1);
                        END IF;
                    ELSIF (OLD."PipelineId", OLD."WorkspaceId", OLD."Status", OLD."AssigneeId", OLD."Bin")
                        IS DISTINCT FROM (NEW."PipelineId", NEW."WorkspaceId", NEW."Status", NEW."AssigneeId", NEW."Bin") THEN
                        IF (OLD."PipelineId", OLD."WorkspaceId", OLD."Status", COALESCE(OLD."AssigneeId", 0))
                            <= (NEW."PipelineId", NEW."WorkspaceId", NEW."Status", COALESCE(NEW."AssigneeId", 0)) THEN
                            IF OLD."Bin" = 0 THEN
                                PERFORM ticket_counts_add(OLD."PipelineId", OLD."WorkspaceId", OLD."Status", OLD."AssigneeId", -1);
                            END IF;
                            IF NEW."Bin" = 0 THEN
                                PERFORM ticket_counts_add(NEW."PipelineId", NEW."WorkspaceId", NEW."Status", NEW."AssigneeId", 1);
                            END IF;
                        ELSE
                            IF NEW."Bin" = 0 THEN
                                PERFORM ticket_counts_add(NEW."PipelineId", NEW."WorkspaceId", NEW."Status", NEW."AssigneeId", 1);
                            END IF;
                            IF OLD."Bin" = 0 THEN
                                PERFORM ticket_counts_add(OLD."PipelineId", OLD."WorkspaceId", OLD."Status", OLD."AssigneeId", -1);
                            END IF;
                        END IF;
                    END IF;
                    RETURN NULL;
                END;
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Tickets_Counts" AFTER INSERT OR DELETE OR UPDATE OF "PipelineId", "WorkspaceId", "Status", "AssigneeId", "Bin" ON "Tickets"
                FOR EACH ROW EXECUTE FUNCTION tickets_counts();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Tickets_Counts" ON "Tickets";""");
            migrationBuilder.Sql("DROP FUNCTION tickets_counts();");
            migrationBuilder.Sql("DROP FUNCTION ticket_counts_add(bigint, bigint, integer, bigint, integer);");

            migrationBuilder.DropTable(
                name: "TicketCounts");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_OpenDue",
                table: "Tickets");
        }
    }
}
