using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Atende.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PartnerAndCompanyAddress : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Address_City",
                table: "Partners",
                type: "character varying(60)",
                maxLength: 60,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Address_Complement",
                table: "Partners",
                type: "character varying(60)",
                maxLength: 60,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Address_District",
                table: "Partners",
                type: "character varying(60)",
                maxLength: 60,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Address_Number",
                table: "Partners",
                type: "character varying(60)",
                maxLength: 60,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Address_PostalCode",
                table: "Partners",
                type: "character varying(9)",
                maxLength: 9,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Address_State",
                table: "Partners",
                type: "character varying(2)",
                maxLength: 2,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Address_Street",
                table: "Partners",
                type: "character varying(60)",
                maxLength: 60,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "StateRegistration",
                table: "Partners",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Address_City",
                table: "CompanyProfiles",
                type: "character varying(60)",
                maxLength: 60,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Address_Complement",
                table: "CompanyProfiles",
                type: "character varying(60)",
                maxLength: 60,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Address_District",
                table: "CompanyProfiles",
                type: "character varying(60)",
                maxLength: 60,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Address_Number",
                table: "CompanyProfiles",
                type: "character varying(60)",
                maxLength: 60,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Address_PostalCode",
                table: "CompanyProfiles",
                type: "character varying(9)",
                maxLength: 9,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Address_State",
                table: "CompanyProfiles",
                type: "character varying(2)",
                maxLength: 2,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Address_Street",
                table: "CompanyProfiles",
                type: "character varying(60)",
                maxLength: 60,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Phone",
                table: "CompanyProfiles",
                type: "character varying(30)",
                maxLength: 30,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "TaxId",
                table: "CompanyProfiles",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Address_City",
                table: "Partners");

            migrationBuilder.DropColumn(
                name: "Address_Complement",
                table: "Partners");

            migrationBuilder.DropColumn(
                name: "Address_District",
                table: "Partners");

            migrationBuilder.DropColumn(
                name: "Address_Number",
                table: "Partners");

            migrationBuilder.DropColumn(
                name: "Address_PostalCode",
                table: "Partners");

            migrationBuilder.DropColumn(
                name: "Address_State",
                table: "Partners");

            migrationBuilder.DropColumn(
                name: "Address_Street",
                table: "Partners");

            migrationBuilder.DropColumn(
                name: "StateRegistration",
                table: "Partners");

            migrationBuilder.DropColumn(
                name: "Address_City",
                table: "CompanyProfiles");

            migrationBuilder.DropColumn(
                name: "Address_Complement",
                table: "CompanyProfiles");

            migrationBuilder.DropColumn(
                name: "Address_District",
                table: "CompanyProfiles");

            migrationBuilder.DropColumn(
                name: "Address_Number",
                table: "CompanyProfiles");

            migrationBuilder.DropColumn(
                name: "Address_PostalCode",
                table: "CompanyProfiles");

            migrationBuilder.DropColumn(
                name: "Address_State",
                table: "CompanyProfiles");

            migrationBuilder.DropColumn(
                name: "Address_Street",
                table: "CompanyProfiles");

            migrationBuilder.DropColumn(
                name: "Phone",
                table: "CompanyProfiles");

            migrationBuilder.DropColumn(
                name: "TaxId",
                table: "CompanyProfiles");
        }
    }
}
