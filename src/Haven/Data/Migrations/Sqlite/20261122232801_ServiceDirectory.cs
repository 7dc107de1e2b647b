using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Haven.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ServiceDirectory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DirectoryLinks",
                columns: table => new
                {
                    ParentTable = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ParentId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Field = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Table = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DirectoryLinks", x => new { x.ParentId, x.ParentTable, x.Field, x.Table, x.Id });
                });

            migrationBuilder.CreateTable(
                name: "DirectoryRecords",
                columns: table => new
                {
                    Table = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    Sealed = table.Column<byte[]>(type: "BLOB", nullable: true),
                    Confidential = table.Column<bool>(type: "INTEGER", nullable: false),
                    ListedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    Area = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DirectoryRecords", x => new { x.Table, x.Id });
                });

            migrationBuilder.CreateTable(
                name: "DirectoryServices",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    OrganizationId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    SearchText = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MinimumAge = table.Column<int>(type: "INTEGER", nullable: true),
                    MaximumAge = table.Column<int>(type: "INTEGER", nullable: true),
                    Languages = table.Column<string>(type: "TEXT", nullable: false),
                    ModifiedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    VerifiedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ListedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    CapacityAvailable = table.Column<int>(type: "INTEGER", nullable: true),
                    CapacityMaximum = table.Column<int>(type: "INTEGER", nullable: true),
                    CapacityUnit = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    CapacityUpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DirectoryServices", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DirectoryServiceTerms",
                columns: table => new
                {
                    ServiceId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    TermId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    TaxonomyId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DirectoryServiceTerms", x => new { x.ServiceId, x.TermId });
                });

            migrationBuilder.CreateTable(
                name: "DirectorySites",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ServiceId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    LocationId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Confidential = table.Column<bool>(type: "INTEGER", nullable: false),
                    Latitude = table.Column<double>(type: "REAL", nullable: true),
                    Longitude = table.Column<double>(type: "REAL", nullable: true),
                    Cell = table.Column<int>(type: "INTEGER", nullable: true),
                    Postcode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Area = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DirectorySites", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ReferralChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ReferralId = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<int>(type: "INTEGER", nullable: false),
                    ByOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReferralChanges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Referrals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ServiceId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ServiceName = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    ReceivingOrganizationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SentByHand = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<int>(type: "INTEGER", nullable: false),
                    Requested = table.Column<int>(type: "INTEGER", nullable: false),
                    Shared = table.Column<int>(type: "INTEGER", nullable: false),
                    SealedPacket = table.Column<byte[]>(type: "BLOB", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AcceptedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClosedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Referrals", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DirectoryLinks_Table_Id",
                table: "DirectoryLinks",
                columns: new[] { "Table", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_DirectoryRecords_Id",
                table: "DirectoryRecords",
                column: "Id");

            migrationBuilder.CreateIndex(
                name: "IX_DirectoryServices_ListedBy",
                table: "DirectoryServices",
                column: "ListedBy");

            migrationBuilder.CreateIndex(
                name: "IX_DirectoryServices_ModifiedAt_Id",
                table: "DirectoryServices",
                columns: new[] { "ModifiedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_DirectoryServices_Name_Id",
                table: "DirectoryServices",
                columns: new[] { "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_DirectoryServices_OrganizationId_Id",
                table: "DirectoryServices",
                columns: new[] { "OrganizationId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_DirectoryServiceTerms_TaxonomyId_ServiceId",
                table: "DirectoryServiceTerms",
                columns: new[] { "TaxonomyId", "ServiceId" });

            migrationBuilder.CreateIndex(
                name: "IX_DirectoryServiceTerms_TermId_ServiceId",
                table: "DirectoryServiceTerms",
                columns: new[] { "TermId", "ServiceId" });

            migrationBuilder.CreateIndex(
                name: "IX_DirectorySites_Cell_ServiceId",
                table: "DirectorySites",
                columns: new[] { "Cell", "ServiceId" });

            migrationBuilder.CreateIndex(
                name: "IX_DirectorySites_LocationId",
                table: "DirectorySites",
                column: "LocationId");

            migrationBuilder.CreateIndex(
                name: "IX_DirectorySites_Postcode_Latitude_Longitude",
                table: "DirectorySites",
                columns: new[] { "Postcode", "Latitude", "Longitude" });

            migrationBuilder.CreateIndex(
                name: "IX_DirectorySites_ServiceId",
                table: "DirectorySites",
                column: "ServiceId");

            migrationBuilder.CreateIndex(
                name: "IX_ReferralChanges_ReferralId_Id",
                table: "ReferralChanges",
                columns: new[] { "ReferralId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_ClientId",
                table: "Referrals",
                column: "ClientId");

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_OrganizationId_ClientId_CreatedAt",
                table: "Referrals",
                columns: new[] { "OrganizationId", "ClientId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_ReceivingOrganizationId_UpdatedAt",
                table: "Referrals",
                columns: new[] { "ReceivingOrganizationId", "UpdatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DirectoryLinks");

            migrationBuilder.DropTable(
                name: "DirectoryRecords");

            migrationBuilder.DropTable(
                name: "DirectoryServices");

            migrationBuilder.DropTable(
                name: "DirectoryServiceTerms");

            migrationBuilder.DropTable(
                name: "DirectorySites");

            migrationBuilder.DropTable(
                name: "ReferralChanges");

            migrationBuilder.DropTable(
                name: "Referrals");
        }
    }
}
