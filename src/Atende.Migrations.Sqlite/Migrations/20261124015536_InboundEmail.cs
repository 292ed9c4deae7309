using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class InboundEmail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "AuthorId",
                table: "Interactions",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<string>(
                name: "FromAddress",
                table: "Interactions",
                type: "TEXT",
                maxLength: 254,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FromName",
                table: "Interactions",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ImapSettings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Host = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Port = table.Column<int>(type: "INTEGER", nullable: false),
                    Security = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    ProtectedPassword = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Folder = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Unmatched = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    UnmatchedPipelineId = table.Column<long>(type: "INTEGER", nullable: true),
                    UnmatchedCreatorId = table.Column<long>(type: "INTEGER", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastPollAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastPollResult = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    LastPollFailed = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImapSettings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ImapSettings_Pipelines_UnmatchedPipelineId",
                        column: x => x.UnmatchedPipelineId,
                        principalTable: "Pipelines",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_ImapSettings_Users_UnmatchedCreatorId",
                        column: x => x.UnmatchedCreatorId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "InboundEmails",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Mailbox = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    FromAddress = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    FromName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    TicketId = table.Column<long>(type: "INTEGER", nullable: true),
                    InteractionId = table.Column<long>(type: "INTEGER", nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboundEmails", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InboundEmails_Interactions_InteractionId",
                        column: x => x.InteractionId,
                        principalTable: "Interactions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_InboundEmails_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxEmails_MessageId",
                table: "OutboxEmails",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_ImapSettings_UnmatchedCreatorId",
                table: "ImapSettings",
                column: "UnmatchedCreatorId");

            migrationBuilder.CreateIndex(
                name: "IX_ImapSettings_UnmatchedPipelineId",
                table: "ImapSettings",
                column: "UnmatchedPipelineId");

            migrationBuilder.CreateIndex(
                name: "IX_InboundEmails_InteractionId",
                table: "InboundEmails",
                column: "InteractionId");

            migrationBuilder.CreateIndex(
                name: "IX_InboundEmails_Mailbox_MessageId",
                table: "InboundEmails",
                columns: new[] { "Mailbox", "MessageId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InboundEmails_Status_Id",
                table: "InboundEmails",
                columns: new[] { "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_InboundEmails_TicketId",
                table: "InboundEmails",
                column: "TicketId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ImapSettings");

            migrationBuilder.DropTable(
                name: "InboundEmails");

            migrationBuilder.DropIndex(
                name: "IX_OutboxEmails_MessageId",
                table: "OutboxEmails");

            migrationBuilder.DropColumn(
                name: "FromAddress",
                table: "Interactions");

            migrationBuilder.DropColumn(
                name: "FromName",
                table: "Interactions");

            migrationBuilder.AlterColumn<long>(
                name: "AuthorId",
                table: "Interactions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
