using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class HistoryCodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "NewCode",
                table: "TicketChanges",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OldCode",
                table: "TicketChanges",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "NewCode",
                table: "TicketChanges");

            migrationBuilder.DropColumn(
                name: "OldCode",
                table: "TicketChanges");
        }
    }
}
