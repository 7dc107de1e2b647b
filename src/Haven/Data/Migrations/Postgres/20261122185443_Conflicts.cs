using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Haven.Data.Migrations.Postgres
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    MatterId = table.Column<Guid>(type: "uuid", nullable: false),
                    ClientId = table.Column<Guid>(type: "uuid", nullable: false),
                    Role = table.Column<int>(type: "integer", nullable: false),
                    WrappedKey = table.Column<byte[]>(type: "bytea", nullable: false),
                    SealedDetails = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdverseParties", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AdversePartyTokens",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    PartyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<byte>(type: "smallint", nullable: false),
                    Hash = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdversePartyTokens", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ConflictChecks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    SealedNames = table.Column<byte[]>(type: "bytea", nullable: false),
                    Hits = table.Column<int>(type: "integer", nullable: false),
                    Outcome = table.Column<int>(type: "integer", nullable: true),
                    CheckedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CheckedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
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
