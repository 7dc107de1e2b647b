using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Haven.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DirectoryMatchingColumns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Attributes",
                table: "DirectoryServices",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Hours",
                table: "DirectoryServices",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Needs",
                table: "DirectoryServices",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Attributes",
                table: "DirectoryServices");

            migrationBuilder.DropColumn(
                name: "Hours",
                table: "DirectoryServices");

            migrationBuilder.DropColumn(
                name: "Needs",
                table: "DirectoryServices");
        }
    }
}
