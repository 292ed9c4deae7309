using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AccessVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AccessVersion",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Value = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessVersion", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "AccessVersion",
                columns: new[] { "Id", "Value" },
                values: new object[] { 1, 1L });

            // Every change to who may see what moves the version, in the changing transaction (Core/Identity/AccessVersion.cs).
            // SQLite fires these for foreign-key cascades too (a deleted workspace or pipeline takes its grants).
            migrationBuilder.Sql("""
                CREATE TRIGGER AccessVersion_Users_au AFTER UPDATE ON Users
                    WHEN OLD.Active IS NOT NEW.Active OR OLD.Role IS NOT NEW.Role OR OLD.SecurityStamp IS NOT NEW.SecurityStamp
                        OR OLD.Name IS NOT NEW.Name OR OLD.PartnerId IS NOT NEW.PartnerId
                    BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;
                """);
            migrationBuilder.Sql("CREATE TRIGGER AccessVersion_Users_ad AFTER DELETE ON Users BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;");
            foreach (var table in new[] { "UserWorkspaces", "PipelineUsers" })
            {
                migrationBuilder.Sql($"CREATE TRIGGER AccessVersion_{table}_ai AFTER INSERT ON {table} BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;");
                migrationBuilder.Sql($"CREATE TRIGGER AccessVersion_{table}_au AFTER UPDATE ON {table} BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;");
                migrationBuilder.Sql($"CREATE TRIGGER AccessVersion_{table}_ad AFTER DELETE ON {table} BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;");
            }
            migrationBuilder.Sql("""
                CREATE TRIGGER AccessVersion_ApiTokens_au AFTER UPDATE ON ApiTokens
                    WHEN OLD.RevokedAt IS NOT NEW.RevokedAt OR OLD.Hash IS NOT NEW.Hash OR OLD.UserId IS NOT NEW.UserId
                    BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;
                """);
            migrationBuilder.Sql("CREATE TRIGGER AccessVersion_ApiTokens_ad AFTER DELETE ON ApiTokens BEGIN UPDATE AccessVersion SET Value = Value + 1 WHERE Id = 1; END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in new[] { "Users_au", "Users_ad", "UserWorkspaces_ai", "UserWorkspaces_au", "UserWorkspaces_ad",
                         "PipelineUsers_ai", "PipelineUsers_au", "PipelineUsers_ad", "ApiTokens_au", "ApiTokens_ad" })
            {
                migrationBuilder.Sql($"DROP TRIGGER AccessVersion_{trigger};");
            }

            migrationBuilder.DropTable(
                name: "AccessVersion");
        }
    }
}
