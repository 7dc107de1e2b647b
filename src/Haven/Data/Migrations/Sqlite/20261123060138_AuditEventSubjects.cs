using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Haven.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditEventSubjects : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "Subjects",
                table: "AuditEvents",
                type: "BLOB",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AuditEventSubjects",
                columns: table => new
                {
                    Seq = table.Column<long>(type: "INTEGER", nullable: false),
                    SubjectId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEventSubjects", x => new { x.Seq, x.SubjectId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEventSubjects_SubjectId_Seq",
                table: "AuditEventSubjects",
                columns: new[] { "SubjectId", "Seq" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditEventSubjects");

            migrationBuilder.DropColumn(
                name: "Subjects",
                table: "AuditEvents");
        }
    }
}
