using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class TicketEditedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Tickets_Users_UpdatedById",
                table: "Tickets");

            migrationBuilder.RenameColumn(
                name: "UpdatedById",
                table: "Tickets",
                newName: "EditedById");

            migrationBuilder.RenameIndex(
                name: "IX_Tickets_UpdatedById",
                table: "Tickets",
                newName: "IX_Tickets_EditedById");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "EditedAt",
                table: "Tickets",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

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

            migrationBuilder.AddForeignKey(
                name: "FK_Tickets_Users_EditedById",
                table: "Tickets",
                column: "EditedById",
                principalTable: "Users",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Tickets_Users_EditedById",
                table: "Tickets");

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

            migrationBuilder.AddForeignKey(
                name: "FK_Tickets_Users_UpdatedById",
                table: "Tickets",
                column: "UpdatedById",
                principalTable: "Users",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }
    }
}
