using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AccessVersionFrames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The access version also moves when what Core/Identity/VersionedCache.cs keeps per node changes (a pipeline, a tag,
            // the company profile), and when a user hides or shows list columns (kept with the cached caller).
            migrationBuilder.Sql("""
                DROP TRIGGER access_version_users_update ON "Users";
                CREATE TRIGGER access_version_users_update AFTER UPDATE ON "Users" FOR EACH ROW
                    WHEN (OLD."Active" IS DISTINCT FROM NEW."Active" OR OLD."Role" IS DISTINCT FROM NEW."Role"
                        OR OLD."SecurityStamp" IS DISTINCT FROM NEW."SecurityStamp" OR OLD."Name" IS DISTINCT FROM NEW."Name"
                        OR OLD."PartnerId" IS DISTINCT FROM NEW."PartnerId"
                        OR OLD."HiddenTicketColumns" IS DISTINCT FROM NEW."HiddenTicketColumns")
                    EXECUTE FUNCTION access_version_move();
                CREATE TRIGGER access_version_pipelines AFTER INSERT OR UPDATE OR DELETE ON "Pipelines" FOR EACH STATEMENT EXECUTE FUNCTION access_version_move();
                CREATE TRIGGER access_version_tags AFTER INSERT OR UPDATE OR DELETE ON "Tags" FOR EACH STATEMENT EXECUTE FUNCTION access_version_move();
                CREATE TRIGGER access_version_company_profiles AFTER INSERT OR UPDATE OR DELETE ON "CompanyProfiles" FOR EACH STATEMENT EXECUTE FUNCTION access_version_move();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER access_version_pipelines ON "Pipelines";
                DROP TRIGGER access_version_tags ON "Tags";
                DROP TRIGGER access_version_company_profiles ON "CompanyProfiles";
                DROP TRIGGER access_version_users_update ON "Users";
                CREATE TRIGGER access_version_users_update AFTER UPDATE ON "Users" FOR EACH ROW
                    WHEN (OLD."Active" IS DISTINCT FROM NEW."Active" OR OLD."Role" IS DISTINCT FROM NEW."Role"
                        OR OLD."SecurityStamp" IS DISTINCT FROM NEW."SecurityStamp" OR OLD."Name" IS DISTINCT FROM NEW."Name"
                        OR OLD."PartnerId" IS DISTINCT FROM NEW."PartnerId")
                    EXECUTE FUNCTION access_version_move();
                """);
        }
    }
}
