using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Atende.Migrations.Postgres.Migrations
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
                type: "bigint",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AddColumn<string>(
                name: "FromAddress",
                table: "Interactions",
                type: "character varying(254)",
                maxLength: 254,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FromName",
                table: "Interactions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ImapSettings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    Host = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    Port = table.Column<int>(type: "integer", nullable: false),
                    Security = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    UserName = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    ProtectedPassword = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Folder = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Unmatched = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    UnmatchedPipelineId = table.Column<long>(type: "bigint", nullable: true),
                    UnmatchedCreatorId = table.Column<long>(type: "bigint", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastPollAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastPollResult = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    LastPollFailed = table.Column<bool>(type: "boolean", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Mailbox = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    MessageId = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    FromAddress = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    FromName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Subject = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ProcessedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    TicketId = table.Column<long>(type: "bigint", nullable: true),
                    InteractionId = table.Column<long>(type: "bigint", nullable: true),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
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
                type: "bigint",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "bigint",
                oldNullable: true);
        }
    }
}
