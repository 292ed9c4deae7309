using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ConversationsBySellerInMonth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Conversations_At",
                table: "Conversations");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_WorkspaceId_At",
                table: "Conversations");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_At_SellerId",
                table: "Conversations",
                columns: new[] { "At", "SellerId" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_WorkspaceId_At_SellerId",
                table: "Conversations",
                columns: new[] { "WorkspaceId", "At", "SellerId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Conversations_At_SellerId",
                table: "Conversations");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_WorkspaceId_At_SellerId",
                table: "Conversations");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_At",
                table: "Conversations",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_WorkspaceId_At",
                table: "Conversations",
                columns: new[] { "WorkspaceId", "At" });
        }
    }
}
