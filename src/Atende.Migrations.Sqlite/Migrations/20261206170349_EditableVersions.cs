using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class EditableVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Workspaces",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1); // existing rows start at version 1

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Users",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1); // existing rows start at version 1

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Tags",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1); // existing rows start at version 1

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Subcategories",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1); // existing rows start at version 1

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "OpportunityTypes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1); // existing rows start at version 1

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Channels",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1); // existing rows start at version 1

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Categories",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1); // existing rows start at version 1

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "CatalogItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1); // existing rows start at version 1
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Version",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Tags");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Subcategories");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "OpportunityTypes");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Channels");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Categories");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "CatalogItems");
        }
    }
}
