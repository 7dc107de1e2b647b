using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Haven.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CourtProgram : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CourtAppearances",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    ClientId = table.Column<Guid>(type: "uuid", nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: false),
                    AppearsOn = table.Column<DateOnly>(type: "date", nullable: false),
                    CourtPart = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    SealedDetails = table.Column<byte[]>(type: "bytea", nullable: false),
                    ScreeningId = table.Column<Guid>(type: "uuid", nullable: true),
                    Outcome = table.Column<int>(type: "integer", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CourtAppearances", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CourtAppearances_ClientId",
                table: "CourtAppearances",
                column: "ClientId");

            migrationBuilder.CreateIndex(
                name: "IX_CourtAppearances_OrganizationId_AppearsOn_CourtPart",
                table: "CourtAppearances",
                columns: new[] { "OrganizationId", "AppearsOn", "CourtPart" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CourtAppearances");
        }
    }
}
