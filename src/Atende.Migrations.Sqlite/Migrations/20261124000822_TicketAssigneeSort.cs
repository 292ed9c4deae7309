using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Sqlite.Migrations
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
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            // Fills the key for tickets that already have an assignee. SQL has no SearchText.Normalize: names are stored
            // cleaned (NFC, single spaces, trimmed), so folding the accented letters of Latin-1 and lower-casing gives the
            // same key for Portuguese names; the service writes the exact key on every assignment and rename.
            // One key per user (few rows) folded a letter at a time: a single nested replace() overflows SQLite's parser.
            migrationBuilder.Sql("""CREATE TEMP TABLE "AssigneeKeys" AS SELECT "Id", lower("Name") AS "Key" FROM "Users";""");
            const string accented = "áàâãäåéèêëíìîïóòôõöúùûüçñýÿÁÀÂÃÄÅÉÈÊËÍÌÎÏÓÒÔÕÖÚÙÛÜÇÑÝ";
            const string plain = "aaaaaaeeeeiiiiooooouuuucnyyaaaaaaeeeeiiiiooooouuuucny";
            for (var i = 0; i < accented.Length; i++)
            {
                migrationBuilder.Sql($"""UPDATE "AssigneeKeys" SET "Key" = replace("Key", '{accented[i]}', '{plain[i]}');""");
            }
            migrationBuilder.Sql("""
                UPDATE "Tickets" SET "AssigneeSort" = (SELECT k."Key" FROM "AssigneeKeys" AS k WHERE k."Id" = "Tickets"."AssigneeId")
                WHERE "AssigneeId" IS NOT NULL;
                """);
            migrationBuilder.Sql("""DROP TABLE "AssigneeKeys";""");

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
