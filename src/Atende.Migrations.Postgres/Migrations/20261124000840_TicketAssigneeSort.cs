using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class TicketAssigneeSort : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AssigneeSort",
                table: "Tickets",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            // Fills the key for tickets that already have an assignee. SQL has no SearchText.Normalize: names are stored
            // cleaned (NFC, single spaces, trimmed), so folding the accented letters of Latin-1 and lower-casing gives the
            // same key for Portuguese names; the service writes the exact key on every assignment and rename.
            migrationBuilder.Sql("""
                UPDATE "Tickets" AS t SET "AssigneeSort" = lower(translate(u."Name", 'áàâãäåéèêëíìîïóòôõöúùûüçñýÿÁÀÂÃÄÅÉÈÊËÍÌÎÏÓÒÔÕÖÚÙÛÜÇÑÝ', 'aaaaaaeeeeiiiiooooouuuucnyyaaaaaaeeeeiiiiooooouuuucny'))
                FROM "Users" AS u WHERE u."Id" = t."AssigneeId";
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PipelineId_Bin_AssigneeSort_Id",
                table: "Tickets",
                columns: new[] { "PipelineId", "Bin", "AssigneeSort", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_PipelineId_Bin_AssigneeSort_Id",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "AssigneeSort",
                table: "Tickets");
        }
    }
}
