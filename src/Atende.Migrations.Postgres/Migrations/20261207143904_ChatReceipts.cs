using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ChatReceipts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ChatReceipts",
                columns: table => new
                {
                    TicketId = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<long>(type: "bigint", nullable: false),
                    DeliveredSeq = table.Column<long>(type: "bigint", nullable: false),
                    ReadSeq = table.Column<long>(type: "bigint", nullable: false),
                    EmailedSeq = table.Column<long>(type: "bigint", nullable: false),
                    EmailId = table.Column<long>(type: "bigint", nullable: true),
                    EmailFromSeq = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChatReceipts", x => new { x.TicketId, x.UserId });
                    table.ForeignKey(
                        name: "FK_ChatReceipts_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ChatReceipts_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ChatReceipts_UserId",
                table: "ChatReceipts",
                column: "UserId");

            Atende.Core.Email.EmailTemplateDefaults.Seed(migrationBuilder, Atende.Core.Email.EmailTemplateDefaults.Chat);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM \"EmailTemplates\" WHERE \"Purpose\" = 'ChatMissed';");
            migrationBuilder.DropTable(
                name: "ChatReceipts");
        }
    }
}
