using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Haven.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DirectoryMatchingColumns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DirectorySites_Confidential_Area",
                table: "DirectorySites");

            migrationBuilder.AddColumn<string>(
                name: "Attributes",
                table: "DirectoryServices",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Hours",
                table: "DirectoryServices",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Needs",
                table: "DirectoryServices",
                type: "text",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_DirectorySites_Area_Confidential",
                table: "DirectorySites",
                columns: new[] { "Area", "Confidential" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DirectorySites_Area_Confidential",
                table: "DirectorySites");

            migrationBuilder.DropColumn(
                name: "Attributes",
                table: "DirectoryServices");

            migrationBuilder.DropColumn(
                name: "Hours",
                table: "DirectoryServices");

            migrationBuilder.DropColumn(
                name: "Needs",
                table: "DirectoryServices");

            migrationBuilder.CreateIndex(
                name: "IX_DirectorySites_Confidential_Area",
                table: "DirectorySites",
                columns: new[] { "Confidential", "Area" });
        }
    }
}
