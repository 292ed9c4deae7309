using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Sqlite.Migrations
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
                    PipelineId = table.Column<long>(type: "INTEGER", nullable: false),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", maxLength: 32, nullable: false),
                    AssigneeKey = table.Column<long>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
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
            // assignee (0: nobody) counts it; a change of any of them, or of the bin, moves it from one row to the other.
            migrationBuilder.Sql("""
                INSERT INTO "TicketCounts" ("PipelineId", "WorkspaceId", "Status", "AssigneeKey", "Count")
                SELECT "PipelineId", "WorkspaceId", "Status", COALESCE("AssigneeId", 0), COUNT(*) FROM "Tickets" WHERE "Bin" = 0
                GROUP BY "PipelineId", "WorkspaceId", "Status", COALESCE("AssigneeId", 0);
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Tickets_Counts_Insert" AFTER INSERT ON "Tickets" WHEN NEW."Bin" = 0 BEGIN
                    INSERT INTO "TicketCounts" ("PipelineId", "WorkspaceId", "Status", "AssigneeKey", "Count") VALUES (NEW."PipelineId", NEW."WorkspaceId", NEW."Status", COALESCE(NEW."AssigneeId", 0), 1)
                    ON CONFLICT DO UPDATE SET "Count" = "Count" + 1;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Tickets_Counts_Update" AFTER UPDATE OF "PipelineId", "WorkspaceId", "Status", "AssigneeId", "Bin" ON "Tickets"
                WHEN OLD."PipelineId" <> NEW."PipelineId" OR OLD."WorkspaceId" <> NEW."WorkspaceId" OR OLD."Status" <> NEW."Status"
                    OR OLD."AssigneeId" IS NOT NEW."AssigneeId" OR OLD."Bin" <> NEW."Bin"
                BEGIN
                    UPDATE "TicketCounts" SET "Count" = "Count" - 1
                    WHERE OLD."Bin" = 0 AND "PipelineId" = OLD."PipelineId" AND "WorkspaceId" = OLD."WorkspaceId" AND "Status" = OLD."Status"
                        AND "AssigneeKey" = COALESCE(OLD."AssigneeId", 0);
                    INSERT INTO "TicketCounts" ("PipelineId", "WorkspaceId", "Status", "AssigneeKey", "Count") SELECT NEW."PipelineId", NEW."WorkspaceId", NEW."Status", COALESCE(NEW."AssigneeId", 0), 1
                    WHERE NEW."Bin" = 0
                    ON CONFLICT DO UPDATE SET "Count" = "Count" + 1;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Tickets_Counts_Delete" AFTER DELETE ON "Tickets" WHEN OLD."Bin" = 0 BEGIN
                    UPDATE "TicketCounts" SET "Count" = "Count" - 1
                    WHERE "PipelineId" = OLD."PipelineId" AND "WorkspaceId" = OLD."WorkspaceId" AND "Status" = OLD."Status"
                        AND "AssigneeKey" = COALESCE(OLD."AssigneeId", 0);
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Tickets_Counts_Insert";""");
            migrationBuilder.Sql("""DROP TRIGGER "Tickets_Counts_Update";""");
            migrationBuilder.Sql("""DROP TRIGGER "Tickets_Counts_Delete";""");

            migrationBuilder.DropTable(
                name: "TicketCounts");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_OpenDue",
                table: "Tickets");
        }
    }
}
