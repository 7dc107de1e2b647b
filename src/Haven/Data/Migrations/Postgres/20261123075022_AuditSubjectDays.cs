using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Haven.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditSubjectDays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditSubjectDays",
                columns: table => new
                {
                    SubjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    Day = table.Column<int>(type: "integer", nullable: false),
                    ActorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Type = table.Column<int>(type: "integer", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false),
                    FirstSeq = table.Column<long>(type: "bigint", nullable: false),
                    LastSeq = table.Column<long>(type: "bigint", nullable: false),
                    FirstAtMs = table.Column<long>(type: "bigint", nullable: false),
                    LastAtMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditSubjectDays", x => new { x.SubjectId, x.Day, x.ActorId, x.Type });
                });

            // Each indexed view becomes a count on the client's day row; events themselves are untouched.
            migrationBuilder.Sql("""
                INSERT INTO "AuditSubjectDays" ("SubjectId", "Day", "ActorId", "Type", "Count", "FirstSeq", "LastSeq", "FirstAtMs", "LastAtMs")
                SELECT s."SubjectId", (e."AtMs" / 86400000)::integer, COALESCE(e."ActorId", ''), e."Type", COUNT(*), MIN(e."Seq"), MAX(e."Seq"), MIN(e."AtMs"), MAX(e."AtMs")
                FROM "AuditEventSubjects" s JOIN "AuditEvents" e ON e."Seq" = s."Seq"
                GROUP BY s."SubjectId", (e."AtMs" / 86400000)::integer, COALESCE(e."ActorId", ''), e."Type"
                """);

            migrationBuilder.DropTable(
                name: "AuditEventSubjects");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The old per-view index cannot be rebuilt from day counts: it comes back empty.
            migrationBuilder.DropTable(
                name: "AuditSubjectDays");

            migrationBuilder.CreateTable(
                name: "AuditEventSubjects",
                columns: table => new
                {
                    Seq = table.Column<long>(type: "bigint", nullable: false),
                    SubjectId = table.Column<Guid>(type: "uuid", nullable: false)
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
    }
}
