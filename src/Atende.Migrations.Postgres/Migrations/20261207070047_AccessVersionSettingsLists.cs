using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AccessVersionSettingsLists : Migration
    {
        private static readonly (string Table, string Trigger)[] ListTables =
        [
            ("CatalogItems", "access_version_catalog_items"), ("Categories", "access_version_categories"),
            ("Subcategories", "access_version_subcategories"), ("Channels", "access_version_channels"),
            ("EmailTemplates", "access_version_email_templates"),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The ticket form's lists, the insertable e-mail templates and the ticket's user menus are kept per node too
            // (Core/Identity/VersionedCache.cs): the version moves when an admin changes a list or a template, and when a user
            // is added (the menus list every active staff user).
            migrationBuilder.Sql("""CREATE TRIGGER access_version_users_insert AFTER INSERT ON "Users" FOR EACH STATEMENT EXECUTE FUNCTION access_version_move();""");
            foreach (var (table, trigger) in ListTables)
            {
                migrationBuilder.Sql($"""CREATE TRIGGER {trigger} AFTER INSERT OR UPDATE OR DELETE ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION access_version_move();""");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, trigger) in ListTables)
            {
                migrationBuilder.Sql($"""DROP TRIGGER {trigger} ON "{table}";""");
            }
            migrationBuilder.Sql("""DROP TRIGGER access_version_users_insert ON "Users";""");
        }
    }
}
