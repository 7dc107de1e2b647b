using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Haven.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Screenings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ReportingDuties",
                table: "Organizations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Screenings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<Guid>(type: "TEXT", nullable: true),
                    InstrumentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    InstrumentVersion = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    AgreedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    WrappedKey = table.Column<byte[]>(type: "BLOB", nullable: true),
                    SealedAnswers = table.Column<byte[]>(type: "BLOB", nullable: false),
                    SealedResult = table.Column<byte[]>(type: "BLOB", nullable: true),
                    StartedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Screenings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_OrganizationId_ClientId_StartedAt",
                table: "Screenings",
                columns: new[] { "OrganizationId", "ClientId", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_OrganizationId_StartedBy_StartedAt",
                table: "Screenings",
                columns: new[] { "OrganizationId", "StartedBy", "StartedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Screenings");

            migrationBuilder.DropColumn(
                name: "ReportingDuties",
                table: "Organizations");
        }
    }
}
