using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Atende.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Portal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_CreatedById",
                table: "Tickets");

            migrationBuilder.AddColumn<long>(
                name: "ContactId",
                table: "Users",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "SeesCompanyRequests",
                table: "Users",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Origin",
                table: "Tickets",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "Staff");

            migrationBuilder.AddColumn<string>(
                name: "PortalForm",
                table: "CompanyProfiles",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "Subcategory");

            migrationBuilder.AddColumn<long>(
                name: "PortalPipelineId",
                table: "CompanyProfiles",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PortalReopen",
                table: "CompanyProfiles",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "Requester");

            migrationBuilder.CreateTable(
                name: "AccountLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<long>(type: "bigint", nullable: false),
                    Purpose = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedById = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccountLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccountLinks_Users_CreatedById",
                        column: x => x.CreatedById,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_AccountLinks_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_CreatedById_UpdatedAt_Id",
                table: "Tickets",
                columns: new[] { "CreatedById", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_PartnerId_UpdatedAt_Id",
                table: "Tickets",
                columns: new[] { "PartnerId", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AccountLinks_CreatedById",
                table: "AccountLinks",
                column: "CreatedById");

            migrationBuilder.CreateIndex(
                name: "IX_AccountLinks_Hash",
                table: "AccountLinks",
                column: "Hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AccountLinks_UserId_Purpose",
                table: "AccountLinks",
                columns: new[] { "UserId", "Purpose" });

            // The access version (Core/Identity/AccessVersion.cs) also moves when a portal user's scope or contact changes: both are
            // kept with the cached caller.
            migrationBuilder.Sql("""
                DROP TRIGGER access_version_users_update ON "Users";
                CREATE TRIGGER access_version_users_update AFTER UPDATE ON "Users" FOR EACH ROW
                    WHEN (OLD."Active" IS DISTINCT FROM NEW."Active" OR OLD."Role" IS DISTINCT FROM NEW."Role"
                        OR OLD."SecurityStamp" IS DISTINCT FROM NEW."SecurityStamp" OR OLD."Name" IS DISTINCT FROM NEW."Name"
                        OR OLD."PartnerId" IS DISTINCT FROM NEW."PartnerId"
                        OR OLD."HiddenTicketColumns" IS DISTINCT FROM NEW."HiddenTicketColumns"
                        OR OLD."ContactId" IS DISTINCT FROM NEW."ContactId" OR OLD."SeesCompanyRequests" IS DISTINCT FROM NEW."SeesCompanyRequests")
                    EXECUTE FUNCTION access_version_move();
                """);
            Atende.Core.Email.EmailTemplateDefaults.Seed(migrationBuilder, Atende.Core.Email.EmailTemplateDefaults.Portal);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER access_version_users_update ON "Users";
                CREATE TRIGGER access_version_users_update AFTER UPDATE ON "Users" FOR EACH ROW
                    WHEN (OLD."Active" IS DISTINCT FROM NEW."Active" OR OLD."Role" IS DISTINCT FROM NEW."Role"
                        OR OLD."SecurityStamp" IS DISTINCT FROM NEW."SecurityStamp" OR OLD."Name" IS DISTINCT FROM NEW."Name"
                        OR OLD."PartnerId" IS DISTINCT FROM NEW."PartnerId"
                        OR OLD."HiddenTicketColumns" IS DISTINCT FROM NEW."HiddenTicketColumns")
                    EXECUTE FUNCTION access_version_move();
                """);
            migrationBuilder.Sql("DELETE FROM \"EmailTemplates\" WHERE \"Purpose\" IN ('PortalRequestReceived', 'PortalMessage');");
            migrationBuilder.DropTable(
                name: "AccountLinks");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_CreatedById_UpdatedAt_Id",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_PartnerId_UpdatedAt_Id",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ContactId",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "SeesCompanyRequests",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "Origin",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "PortalForm",
                table: "CompanyProfiles");

            migrationBuilder.DropColumn(
                name: "PortalPipelineId",
                table: "CompanyProfiles");

            migrationBuilder.DropColumn(
                name: "PortalReopen",
                table: "CompanyProfiles");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_CreatedById",
                table: "Tickets",
                column: "CreatedById");
        }
    }
}
