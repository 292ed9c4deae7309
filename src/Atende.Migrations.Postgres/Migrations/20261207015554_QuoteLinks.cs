using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Atende.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class QuoteLinks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DecidedByCpf",
                table: "Quotes",
                type: "character varying(14)",
                maxLength: 14,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DecidedByName",
                table: "Quotes",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DecidedFromIp",
                table: "Quotes",
                type: "character varying(45)",
                maxLength: 45,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DecidedVersion",
                table: "Quotes",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PipelineId",
                table: "Quotes",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "WorkspaceId",
                table: "Quotes",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Quotes written before these columns take their ticket's pipeline and workspace.
            migrationBuilder.Sql("""UPDATE "Quotes" SET "PipelineId" = (SELECT t."PipelineId" FROM "Tickets" t WHERE t."Id" = "Quotes"."TicketId"), "WorkspaceId" = (SELECT t."WorkspaceId" FROM "Tickets" t WHERE t."Id" = "Quotes"."TicketId");""");

            migrationBuilder.CreateTable(
                name: "QuoteLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    QuoteId = table.Column<long>(type: "bigint", nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    SentTo = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedById = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuoteLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QuoteLinks_Quotes_QuoteId",
                        column: x => x.QuoteId,
                        principalTable: "Quotes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_QuoteLinks_Users_CreatedById",
                        column: x => x.CreatedById,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Quotes_PipelineId_Id",
                table: "Quotes",
                columns: new[] { "PipelineId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Quotes_PipelineId_State_WorkspaceId_Total",
                table: "Quotes",
                columns: new[] { "PipelineId", "State", "WorkspaceId", "Total" });

            migrationBuilder.CreateIndex(
                name: "IX_QuoteLinks_CreatedById",
                table: "QuoteLinks",
                column: "CreatedById");

            migrationBuilder.CreateIndex(
                name: "IX_QuoteLinks_QuoteId",
                table: "QuoteLinks",
                column: "QuoteId");

            migrationBuilder.CreateIndex(
                name: "IX_QuoteLinks_TokenHash",
                table: "QuoteLinks",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QuoteLinks");

            migrationBuilder.DropIndex(
                name: "IX_Quotes_PipelineId_Id",
                table: "Quotes");

            migrationBuilder.DropIndex(
                name: "IX_Quotes_PipelineId_State_WorkspaceId_Total",
                table: "Quotes");

            migrationBuilder.DropColumn(
                name: "DecidedByCpf",
                table: "Quotes");

            migrationBuilder.DropColumn(
                name: "DecidedByName",
                table: "Quotes");

            migrationBuilder.DropColumn(
                name: "DecidedFromIp",
                table: "Quotes");

            migrationBuilder.DropColumn(
                name: "DecidedVersion",
                table: "Quotes");

            migrationBuilder.DropColumn(
                name: "PipelineId",
                table: "Quotes");

            migrationBuilder.DropColumn(
                name: "WorkspaceId",
                table: "Quotes");
        }
    }
}
