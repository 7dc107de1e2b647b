using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Haven.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DirectorySiteNeeds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Needs",
                table: "DirectorySites",
                type: "TEXT",
                nullable: true);

            // Sites take their service's needs; services an older Haven projected are derived again at start.
            migrationBuilder.Sql("""UPDATE "DirectorySites" SET "Needs" = (SELECT s."Needs" FROM "DirectoryServices" s WHERE s."Id" = "DirectorySites"."ServiceId")""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Needs",
                table: "DirectorySites");
        }
    }
}
