using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AccessVersionFrames : Migration
    {
        private static readonly string[] FrameTables = ["Pipelines", "Tags", "CompanyProfiles"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The access version also moves when what Core/Identity/VersionedCache.cs keeps per node changes (a pipeline, a tag,
            // the company profile), and when a user hides or shows list columns (kept with the cached caller).
            migrationBuilder.Sql("DROP TRIGGER AccessVersion_Users_au;");
            migrationBuilder.Sql("""
                CREATE TRIGGER AccessVersion_Users_au AFTER UPDATE ON Users
                    WHEN OLD.Active IS NOT NEW.Active OR OLD.Role IS NOT NEW.Role OR OLD.SecurityStamp IS NOT NEW.SecurityStamp
                        OR OLD.Name IS NOT NEW.Name OR OLD.PartnerId IS NOT NEW.PartnerId
                        OR OLD.HiddenTicketColumns IS NOT NEW.HiddenTicketColumns
                    BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;
                """);
            foreach (var table in FrameTables)
            {
                migrationBuilder.Sql($"CREATE TRIGGER AccessVersion_{table}_ai AFTER INSERT ON {table} BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;");
                migrationBuilder.Sql($"CREATE TRIGGER AccessVersion_{table}_au AFTER UPDATE ON {table} BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;");
                migrationBuilder.Sql($"CREATE TRIGGER AccessVersion_{table}_ad AFTER DELETE ON {table} BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in FrameTables)
            {
                migrationBuilder.Sql($"DROP TRIGGER AccessVersion_{table}_ai;");
                migrationBuilder.Sql($"DROP TRIGGER AccessVersion_{table}_au;");
                migrationBuilder.Sql($"DROP TRIGGER AccessVersion_{table}_ad;");
            }
            migrationBuilder.Sql("DROP TRIGGER AccessVersion_Users_au;");
            migrationBuilder.Sql("""
                CREATE TRIGGER AccessVersion_Users_au AFTER UPDATE ON Users
                    WHEN OLD.Active IS NOT NEW.Active OR OLD.Role IS NOT NEW.Role OR OLD.SecurityStamp IS NOT NEW.SecurityStamp
                        OR OLD.Name IS NOT NEW.Name OR OLD.PartnerId IS NOT NEW.PartnerId
                    BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;
                """);
        }
    }
}
