using System.IO.Compression;
using System.Text.Json;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Haven.Features.Operations;

/// <summary>
/// Logical backups: every table as gzip'd JSON lines, read and written through EF so a backup
/// taken on SQLite restores on PostgreSQL and back. Client fields stay encrypted inside; the
/// master key is never in a backup. A restore is one transaction and then re-applies the shred ledger.
/// </summary>
public sealed class Backups(HavenDb db, ShredLedger ledger, AuditLog audit, KeyRing keys)
{
    const string Format = "haven-backup";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    IEnumerable<IEntityType> TablesParentsFirst() =>
        db.Model.GetEntityTypes().Where(t => t.GetTableName() is not null && !t.IsOwned())
            .OrderBy(t => t.GetForeignKeys().Count()).ThenBy(t => t.GetTableName());

    public async Task<long> BackupAsync(string path, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        long rows = 0;
        var temp = path + ".partial";
        await using (var file = File.Create(temp))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var writer = new StreamWriter(gzip))
        {
            await writer.WriteLineAsync(JsonSerializer.Serialize(new { format = Format, version = 1, createdAt = DateTime.UtcNow }));
            foreach (var type in TablesParentsFirst())
            {
                progress?.Report(type.GetTableName()!);
                var count = await Query(type).CountAsync(ct);
                await writer.WriteLineAsync(JsonSerializer.Serialize(new { table = type.ClrType.FullName, count }));
                await foreach (var row in Query(type).AsAsyncEnumerable().WithCancellation(ct))
                {
                    await writer.WriteLineAsync(JsonSerializer.Serialize(row, type.ClrType, Json));
                    rows++;
                }
            }
        }
        File.Move(temp, path, overwrite: true);
        await audit.RecordAsync(new AuditEntry(AuditEventType.BackupTaken, null, null, null, "cli"), ct);
        return rows;
    }

    IQueryable<object> Query(IEntityType type) =>
        ((IQueryable<object>)typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!
            .MakeGenericMethod(type.ClrType).Invoke(db, null)!).AsNoTracking();

    /// <summary>Replaces the whole database with the backup. Checks the whole file before touching anything.</summary>
    public async Task<long> RestoreAsync(string path, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        var tables = TablesParentsFirst().ToDictionary(t => t.ClrType.FullName!);
        var content = await ReadAsync(path, tables, ct);

        long restored = 0;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            foreach (var type in TablesParentsFirst().Reverse())
            {
                // Table names come from the EF model, never from input.
                var delete = $"DELETE FROM {Quote(type.GetTableName()!)}";
                await db.Database.ExecuteSqlRawAsync(delete, ct);
            }
            foreach (var type in TablesParentsFirst())
            {
                if (!content.TryGetValue(type, out var rows)) continue;
                progress?.Report(type.GetTableName()!);
                foreach (var chunk in rows.Chunk(5000))
                {
                    db.AddRange(chunk);
                    await db.SaveChangesAsync(ct);
                    db.ChangeTracker.Clear();
                    restored += chunk.Length;
                }
            }
            if (db.Database.IsNpgsql()) await ResetSequencesAsync(ct);
            // A backup from before a key rotation is wrapped by the old master key: refuse it rather
            // than restore organizations nobody can open.
            var master = keys.Store.Load();
            foreach (var org in await db.Organizations.AsNoTracking().ToListAsync(ct))
            {
                try { KeyRing.Unwrap(master, org.Id, org.WrappedKey); }
                catch (MasterKeyException)
                {
                    throw new BackupException($"{path}: its organization keys are wrapped by another master key (fingerprint {org.MasterKeyFingerprint}); configure that key to restore it. Nothing was changed.");
                }
            }
            await tx.CommitAsync(ct);
        }
        keys.Forget();
        await ledger.ApplyAsync(db, ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.BackupRestored, null, null, null, "cli"), ct);
        return restored;
    }

    async Task<Dictionary<IEntityType, List<object>>> ReadAsync(string path, Dictionary<string, IEntityType> tables, CancellationToken ct)
    {
        if (!File.Exists(path)) throw new BackupException($"{path}: no such file.");
        var content = new Dictionary<IEntityType, List<object>>();
        var line = 0;
        try
        {
            await using var file = File.OpenRead(path);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            line++;
            using (var header = JsonDocument.Parse(await reader.ReadLineAsync(ct) ?? ""))
            {
                if (!header.RootElement.TryGetProperty("format", out var f) || f.GetString() != Format)
                    throw new BackupException($"{path}: not a Haven backup.");
            }
            while (await reader.ReadLineAsync(ct) is { } tableLine)
            {
                line++;
                using var table = JsonDocument.Parse(tableLine);
                var name = table.RootElement.GetProperty("table").GetString()!;
                if (!tables.TryGetValue(name, out var type)) throw new BackupException($"{path}, line {line}: unknown table '{name}'.");
                var count = table.RootElement.GetProperty("count").GetInt32();
                var rows = new List<object>(count);
                for (var i = 0; i < count; i++)
                {
                    line++;
                    var row = await reader.ReadLineAsync(ct) ?? throw new BackupException($"{path}, line {line}: the file ends early.");
                    rows.Add(JsonSerializer.Deserialize(row, type.ClrType, Json) ?? throw new BackupException($"{path}, line {line}: empty row."));
                }
                content[type] = rows;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new BackupException($"{path}, line {line}: the backup is damaged ({e.GetType().Name}).");
        }
        return content;
    }

    async Task ResetSequencesAsync(CancellationToken ct)
    {
        foreach (var type in TablesParentsFirst())
        {
            var keys = type.FindPrimaryKey()?.Properties;
            var key = keys is { Count: 1 } ? keys[0] : null;
            if (key is null || key.ValueGenerated != Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.OnAdd || key.ClrType != typeof(long) && key.ClrType != typeof(int)) continue;
            var table = type.GetTableName()!;
            var column = key.GetColumnName();
            var sql = $"SELECT setval(pg_get_serial_sequence('{Quote(table)}', '{column}'), COALESCE((SELECT MAX({Quote(column)}) FROM {Quote(table)}), 0) + 1, false)";
            await db.Database.ExecuteSqlRawAsync(sql, ct);
        }
    }

    static string Quote(string name) => "\"" + name + "\"";
}

public sealed class BackupException(string message) : HavenException(message);
