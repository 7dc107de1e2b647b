using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Haven.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CoveringTokenIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ClientSearchTokens_OrganizationId_Kind_Hash",
                table: "ClientSearchTokens");

            migrationBuilder.DropIndex(
                name: "IX_AdversePartyTokens_OrganizationId_Kind_Hash",
                table: "AdversePartyTokens");

            migrationBuilder.CreateIndex(
                name: "IX_ClientSearchTokens_OrganizationId_Kind_Hash_ClientId",
                table: "ClientSearchTokens",
                columns: new[] { "OrganizationId", "Kind", "Hash", "ClientId" });

            migrationBuilder.CreateIndex(
                name: "IX_AdversePartyTokens_OrganizationId_Kind_Hash_PartyId",
                table: "AdversePartyTokens",
                columns: new[] { "OrganizationId", "Kind", "Hash", "PartyId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ClientSearchTokens_OrganizationId_Kind_Hash_ClientId",
                table: "ClientSearchTokens");

            migrationBuilder.DropIndex(
                name: "IX_AdversePartyTokens_OrganizationId_Kind_Hash_PartyId",
                table: "AdversePartyTokens");

            migrationBuilder.CreateIndex(
                name: "IX_ClientSearchTokens_OrganizationId_Kind_Hash",
                table: "ClientSearchTokens",
                columns: new[] { "OrganizationId", "Kind", "Hash" });

            migrationBuilder.CreateIndex(
                name: "IX_AdversePartyTokens_OrganizationId_Kind_Hash",
                table: "AdversePartyTokens",
                columns: new[] { "OrganizationId", "Kind", "Hash" });
        }
    }
}
