using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Sqlite.Migrations
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
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "SeesCompanyRequests",
                table: "Users",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Origin",
                table: "Tickets",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "Staff");

            migrationBuilder.AddColumn<string>(
                name: "PortalForm",
                table: "CompanyProfiles",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "Subcategory");

            migrationBuilder.AddColumn<long>(
                name: "PortalPipelineId",
                table: "CompanyProfiles",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PortalReopen",
                table: "CompanyProfiles",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "Requester");

            migrationBuilder.CreateTable(
                name: "AccountLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<long>(type: "INTEGER", nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UsedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedById = table.Column<long>(type: "INTEGER", nullable: true)
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
            migrationBuilder.Sql("DROP TRIGGER AccessVersion_Users_au;");
            migrationBuilder.Sql("""
                CREATE TRIGGER AccessVersion_Users_au AFTER UPDATE ON Users
                    WHEN OLD.Active IS NOT NEW.Active OR OLD.Role IS NOT NEW.Role OR OLD.SecurityStamp IS NOT NEW.SecurityStamp
                        OR OLD.Name IS NOT NEW.Name OR OLD.PartnerId IS NOT NEW.PartnerId
                        OR OLD.HiddenTicketColumns IS NOT NEW.HiddenTicketColumns
                        OR OLD.ContactId IS NOT NEW.ContactId OR OLD.SeesCompanyRequests IS NOT NEW.SeesCompanyRequests
                    BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;
                """);
            Atende.Core.Email.EmailTemplateDefaults.Seed(migrationBuilder, Atende.Core.Email.EmailTemplateDefaults.Portal);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER AccessVersion_Users_au;");
            migrationBuilder.Sql("""
                CREATE TRIGGER AccessVersion_Users_au AFTER UPDATE ON Users
                    WHEN OLD.Active IS NOT NEW.Active OR OLD.Role IS NOT NEW.Role OR OLD.SecurityStamp IS NOT NEW.SecurityStamp
                        OR OLD.Name IS NOT NEW.Name OR OLD.PartnerId IS NOT NEW.PartnerId
                        OR OLD.HiddenTicketColumns IS NOT NEW.HiddenTicketColumns
                    BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;
                """);
            migrationBuilder.Sql("DELETE FROM EmailTemplates WHERE Purpose IN ('PortalRequestReceived', 'PortalMessage');");
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
