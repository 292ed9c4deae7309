using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TicketEditedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // SQLite renames the column in place (its foreign key follows the column). Dropping and re-adding the foreign key,
            // as EF generates, would rebuild the Tickets table and lose the triggers that keep TicketSearch (FTS5) in step.
            migrationBuilder.RenameColumn(
                name: "UpdatedById",
                table: "Tickets",
                newName: "EditedById");

            migrationBuilder.RenameIndex(
                name: "IX_Tickets_UpdatedById",
                table: "Tickets",
                newName: "IX_Tickets_EditedById");

            migrationBuilder.AddColumn<long>(
                name: "EditedAt",
                table: "Tickets",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // The last edit is the newest history row of a change that moved the version (files and Notificar do not);
            // EditedById, renamed from UpdatedById, was whoever touched the ticket last and is kept without such a row.
            migrationBuilder.Sql(
                """
                UPDATE "Tickets" SET
                    "EditedAt" = COALESCE((SELECT c."At" FROM "TicketChanges" c
                        WHERE c."TicketId" = "Tickets"."Id" AND c."Field" NOT IN ('attachments', 'attachmentRemoved', 'notified')
                        ORDER BY c."Id" DESC LIMIT 1), "UpdatedAt"),
                    "EditedById" = COALESCE((SELECT c."UserId" FROM "TicketChanges" c
                        WHERE c."TicketId" = "Tickets"."Id" AND c."Field" NOT IN ('attachments', 'attachmentRemoved', 'notified')
                        ORDER BY c."Id" DESC LIMIT 1), "EditedById");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EditedAt",
                table: "Tickets");

            migrationBuilder.RenameColumn(
                name: "EditedById",
                table: "Tickets",
                newName: "UpdatedById");

            migrationBuilder.RenameIndex(
                name: "IX_Tickets_EditedById",
                table: "Tickets",
                newName: "IX_Tickets_UpdatedById");
        }
    }
}
