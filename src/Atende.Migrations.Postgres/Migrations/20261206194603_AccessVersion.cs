using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Postgres.Migrations
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
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Value = table.Column<long>(type: "bigint", nullable: false)
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
            migrationBuilder.Sql("""
                CREATE FUNCTION access_version_move() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE "AccessVersion" SET "Value" = "Value" + 1 WHERE "Id" = 1;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER access_version_users_update AFTER UPDATE ON "Users" FOR EACH ROW
                    WHEN (OLD."Active" IS DISTINCT FROM NEW."Active" OR OLD."Role" IS DISTINCT FROM NEW."Role"
                        OR OLD."SecurityStamp" IS DISTINCT FROM NEW."SecurityStamp" OR OLD."Name" IS DISTINCT FROM NEW."Name"
                        OR OLD."PartnerId" IS DISTINCT FROM NEW."PartnerId")
                    EXECUTE FUNCTION access_version_move();
                CREATE TRIGGER access_version_users_delete AFTER DELETE ON "Users" FOR EACH STATEMENT EXECUTE FUNCTION access_version_move();
                CREATE TRIGGER access_version_user_workspaces AFTER INSERT OR UPDATE OR DELETE ON "UserWorkspaces" FOR EACH STATEMENT EXECUTE FUNCTION access_version_move();
                CREATE TRIGGER access_version_pipeline_users AFTER INSERT OR UPDATE OR DELETE ON "PipelineUsers" FOR EACH STATEMENT EXECUTE FUNCTION access_version_move();
                CREATE TRIGGER access_version_api_tokens_update AFTER UPDATE ON "ApiTokens" FOR EACH ROW
                    WHEN (OLD."RevokedAt" IS DISTINCT FROM NEW."RevokedAt" OR OLD."Hash" IS DISTINCT FROM NEW."Hash" OR OLD."UserId" IS DISTINCT FROM NEW."UserId")
                    EXECUTE FUNCTION access_version_move();
                CREATE TRIGGER access_version_api_tokens_delete AFTER DELETE ON "ApiTokens" FOR EACH STATEMENT EXECUTE FUNCTION access_version_move();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER access_version_users_update ON "Users";
                DROP TRIGGER access_version_users_delete ON "Users";
                DROP TRIGGER access_version_user_workspaces ON "UserWorkspaces";
                DROP TRIGGER access_version_pipeline_users ON "PipelineUsers";
                DROP TRIGGER access_version_api_tokens_update ON "ApiTokens";
                DROP TRIGGER access_version_api_tokens_delete ON "ApiTokens";
                DROP FUNCTION access_version_move();
                """);

            migrationBuilder.DropTable(
                name: "AccessVersion");
        }
    }
}
