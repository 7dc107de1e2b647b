using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Haven.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Conflicts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AdverseParties",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MatterId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Role = table.Column<int>(type: "INTEGER", nullable: false),
                    WrappedKey = table.Column<byte[]>(type: "BLOB", nullable: false),
                    SealedDetails = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdverseParties", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AdversePartyTokens",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<byte>(type: "INTEGER", nullable: false),
                    Hash = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdversePartyTokens", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ConflictChecks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SealedNames = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Hits = table.Column<int>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<int>(type: "INTEGER", nullable: true),
                    CheckedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CheckedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConflictChecks", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AdverseParties_ClientId",
                table: "AdverseParties",
                column: "ClientId");

            migrationBuilder.CreateIndex(
                name: "IX_AdverseParties_OrganizationId_MatterId",
                table: "AdverseParties",
                columns: new[] { "OrganizationId", "MatterId" });

            migrationBuilder.CreateIndex(
                name: "IX_AdversePartyTokens_OrganizationId_Kind_Hash",
                table: "AdversePartyTokens",
                columns: new[] { "OrganizationId", "Kind", "Hash" });

            migrationBuilder.CreateIndex(
                name: "IX_AdversePartyTokens_PartyId",
                table: "AdversePartyTokens",
                column: "PartyId");

            migrationBuilder.CreateIndex(
                name: "IX_ConflictChecks_OrganizationId_CheckedAt",
                table: "ConflictChecks",
                columns: new[] { "OrganizationId", "CheckedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AdverseParties");

            migrationBuilder.DropTable(
                name: "AdversePartyTokens");

            migrationBuilder.DropTable(
                name: "ConflictChecks");
        }
    }
}
