using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class TicketGrantsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_WorkspaceId",
                table: "Tickets");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_WorkspaceId_PipelineId_Bin_Id",
                table: "Tickets",
                columns: new[] { "WorkspaceId", "PipelineId", "Bin", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_WorkspaceId_PipelineId_Bin_Id",
                table: "Tickets");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_WorkspaceId",
                table: "Tickets",
                column: "WorkspaceId");
        }
    }
}
