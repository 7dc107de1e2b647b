using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Haven.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Consent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ConsentGrants",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    ClientId = table.Column<Guid>(type: "uuid", nullable: false),
                    Categories = table.Column<int>(type: "integer", nullable: false),
                    RecipientClass = table.Column<int>(type: "integer", nullable: false),
                    RecipientOrganizationId = table.Column<Guid>(type: "uuid", nullable: true),
                    SealedTerms = table.Column<byte[]>(type: "bytea", nullable: false),
                    Method = table.Column<int>(type: "integer", nullable: false),
                    Language = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    InterpreterUsed = table.Column<bool>(type: "boolean", nullable: false),
                    GivenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RecordedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsentGrants", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Disclosures",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    ClientId = table.Column<Guid>(type: "uuid", nullable: false),
                    Channel = table.Column<int>(type: "integer", nullable: false),
                    RecipientClass = table.Column<int>(type: "integer", nullable: false),
                    RecipientOrganizationId = table.Column<Guid>(type: "uuid", nullable: true),
                    Requested = table.Column<int>(type: "integer", nullable: false),
                    Allowed = table.Column<int>(type: "integer", nullable: false),
                    GrantIds = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    ActorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Disclosures", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ConsentGrants_OrganizationId_ClientId",
                table: "ConsentGrants",
                columns: new[] { "OrganizationId", "ClientId" });

            migrationBuilder.CreateIndex(
                name: "IX_Disclosures_OrganizationId_ClientId_At",
                table: "Disclosures",
                columns: new[] { "OrganizationId", "ClientId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ConsentGrants");

            migrationBuilder.DropTable(
                name: "Disclosures");
        }
    }
}
