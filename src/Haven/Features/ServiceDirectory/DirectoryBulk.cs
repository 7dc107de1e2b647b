using System.Data.Common;
using System.Globalization;
using Haven.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Haven.Features.ServiceDirectory;

/// <summary>
/// Writes directory records and links in bulk inside the current transaction: a reused prepared insert on SQLite,
/// binary COPY on PostgreSQL. A national directory is millions of rows; row-by-row change tracking is too slow for it.
/// Values are written in the forms EF Core reads back (upper-case GUID text and "yyyy-MM-dd HH:mm:ss.FFFFFFF" on SQLite).
/// </summary>
public static class DirectoryBulk
{
    public static async Task WriteAsync(HavenDb db, IReadOnlyList<DirectoryRecord> records, IReadOnlyCollection<DirectoryLink> links, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk writes run inside the import's transaction.");
        if (connection is NpgsqlConnection npgsql)
        {
            await using (var copy = await npgsql.BeginBinaryImportAsync("""COPY "DirectoryRecords" ("Table", "Id", "Json", "Sealed", "Confidential", "ListedBy", "Area", "UpdatedAt") FROM STDIN (FORMAT BINARY)""", ct))
            {
                foreach (var r in records)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(r.Table, NpgsqlTypes.NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(r.Id, NpgsqlTypes.NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(r.Json, NpgsqlTypes.NpgsqlDbType.Text, ct);
                    if (r.Sealed is null) await copy.WriteNullAsync(ct); else await copy.WriteAsync(r.Sealed, NpgsqlTypes.NpgsqlDbType.Bytea, ct);
                    await copy.WriteAsync(r.Confidential, NpgsqlTypes.NpgsqlDbType.Boolean, ct);
                    if (r.ListedBy is { } org) await copy.WriteAsync(org, NpgsqlTypes.NpgsqlDbType.Uuid, ct); else await copy.WriteNullAsync(ct);
                    if (r.Area is null) await copy.WriteNullAsync(ct); else await copy.WriteAsync(r.Area, NpgsqlTypes.NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(r.UpdatedAt, NpgsqlTypes.NpgsqlDbType.TimestampTz, ct);
                }
                await copy.CompleteAsync(ct);
            }
            await using (var copy = await npgsql.BeginBinaryImportAsync("""COPY "DirectoryLinks" ("ParentId", "ParentTable", "Field", "Table", "Id") FROM STDIN (FORMAT BINARY)""", ct))
            {
                foreach (var l in links)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(l.ParentId, NpgsqlTypes.NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(l.ParentTable, NpgsqlTypes.NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(l.Field, NpgsqlTypes.NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(l.Table, NpgsqlTypes.NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(l.Id, NpgsqlTypes.NpgsqlDbType.Text, ct);
                }
                await copy.CompleteAsync(ct);
            }
            return;
        }

        await using (var insert = Command(connection, transaction,
            """INSERT INTO "DirectoryRecords" ("Table", "Id", "Json", "Sealed", "Confidential", "ListedBy", "Area", "UpdatedAt") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""", 8))
        {
            foreach (var r in records)
            {
                Set(insert, r.Table, r.Id, r.Json, r.Sealed, r.Confidential ? 1 : 0, r.ListedBy?.ToString().ToUpperInvariant(), r.Area,
                    r.UpdatedAt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
                await insert.ExecuteNonQueryAsync(ct);
            }
        }
        await using (var insert = Command(connection, transaction,
            """INSERT INTO "DirectoryLinks" ("ParentId", "ParentTable", "Field", "Table", "Id") VALUES ($1, $2, $3, $4, $5)""", 5))
        {
            foreach (var l in links)
            {
                Set(insert, l.ParentId, l.ParentTable, l.Field, l.Table, l.Id);
                await insert.ExecuteNonQueryAsync(ct);
            }
        }
    }

    static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 1; i <= parameters; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "$" + i;
            command.Parameters.Add(p);
        }
        command.Prepare();
        return command;
    }

    static void Set(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
