using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AccessVersionSettingsLists : Migration
    {
        private static readonly string[] ListTables = ["CatalogItems", "Categories", "Subcategories", "Channels", "EmailTemplates"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The ticket form's lists, the insertable e-mail templates and the ticket's user menus are kept per node too
            // (Core/Identity/VersionedCache.cs): the version moves when an admin changes a list or a template, and when a user
            // is added (the menus list every active staff user).
            migrationBuilder.Sql("CREATE TRIGGER AccessVersion_Users_ai AFTER INSERT ON Users BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;");
            foreach (var table in ListTables)
            {
                migrationBuilder.Sql($"CREATE TRIGGER AccessVersion_{table}_ai AFTER INSERT ON {table} BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;");
                migrationBuilder.Sql($"CREATE TRIGGER AccessVersion_{table}_au AFTER UPDATE ON {table} BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;");
                migrationBuilder.Sql($"CREATE TRIGGER AccessVersion_{table}_ad AFTER DELETE ON {table} BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in ListTables)
            {
                migrationBuilder.Sql($"DROP TRIGGER AccessVersion_{table}_ai;");
                migrationBuilder.Sql($"DROP TRIGGER AccessVersion_{table}_au;");
                migrationBuilder.Sql($"DROP TRIGGER AccessVersion_{table}_ad;");
            }
            migrationBuilder.Sql("DROP TRIGGER AccessVersion_Users_ai;");
        }
    }
}
