using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TicketListIndexesEndWithGrants : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_Bin_UpdatedAt_Id",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_AssigneeSort_Id",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_CreatedAt_Id",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_DueAt_Id",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_Id",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_RequesterSort_Id",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_Status_Id",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_TitleSort_Id",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_UpdatedAt_Id",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_Value_Id",
                table: "Tickets");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Bin_UpdatedAt_Id_PipelineId_WorkspaceId",
                table: "Tickets",
                columns: new[] { "Bin", "UpdatedAt", "Id", "PipelineId", "WorkspaceId" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_AssigneeSort_Id_WorkspaceId",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "AssigneeSort", "Id", "WorkspaceId" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_CreatedAt_Id_WorkspaceId",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "CreatedAt", "Id", "WorkspaceId" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_DueAt_Id_WorkspaceId",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "DueAt", "Id", "WorkspaceId" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_Id_WorkspaceId",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "Id", "WorkspaceId" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_RequesterSort_Id_WorkspaceId",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "RequesterSort", "Id", "WorkspaceId" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_Status_Id_WorkspaceId",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "Status", "Id", "WorkspaceId" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_TitleSort_Id_WorkspaceId",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "TitleSort", "Id", "WorkspaceId" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_UpdatedAt_Id_WorkspaceId",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "UpdatedAt", "Id", "WorkspaceId" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_Value_Id_WorkspaceId",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "Value", "Id", "WorkspaceId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_Bin_UpdatedAt_Id_PipelineId_WorkspaceId",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_AssigneeSort_Id_WorkspaceId",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_CreatedAt_Id_WorkspaceId",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_DueAt_Id_WorkspaceId",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_Id_WorkspaceId",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_RequesterSort_Id_WorkspaceId",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_Status_Id_WorkspaceId",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_TitleSort_Id_WorkspaceId",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_UpdatedAt_Id_WorkspaceId",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_Value_Id_WorkspaceId",
                table: "Tickets");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Bin_UpdatedAt_Id",
                table: "Tickets",
                columns: new[] { "Bin", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_AssigneeSort_Id",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "AssigneeSort", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_CreatedAt_Id",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_DueAt_Id",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "DueAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_Id",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_RequesterSort_Id",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "RequesterSort", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_Status_Id",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_TitleSort_Id",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "TitleSort", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_UpdatedAt_Id",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_Value_Id",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "Value", "Id" });
        }
    }
}
