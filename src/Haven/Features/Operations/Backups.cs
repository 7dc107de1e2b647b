using System.IO.Compression;
using System.Text.Json;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Haven.Features.Operations;

public sealed record BackupWritten(long Rows, string KeyId, DateTime ReadableUntil, IReadOnlyList<BackupKey> Destroyed);

/// <summary>
/// Logical backups: every table as gzip'd JSON lines, read and written through EF so a backup
/// taken on SQLite restores on PostgreSQL and back. Client fields stay encrypted inside, and the whole
/// file is sealed with a fresh backup key kept in the key directory (never in a backup); the master key
/// is never in a backup either. A restore is one transaction and then re-applies the shred ledger.
/// </summary>
public sealed class Backups(HavenDb db, ShredLedger ledger, AuditLog audit, KeyRing keys, BackupKeys backupKeys, AuditAnchor anchor)
{
    const string Format = "haven-backup";
    const int Version = 2, HeaderMax = 1024;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    sealed record Header(string Format, int Version, string? Key, DateTime CreatedAt);

    IEnumerable<IEntityType> TablesParentsFirst() =>
        db.Model.GetEntityTypes().Where(t => t.GetTableName() is not null && !t.IsOwned())
            .OrderBy(t => t.GetForeignKeys().Count()).ThenBy(t => t.GetTableName());

    /// <summary>
    /// Writes a sealed backup. An existing file is refused unless <paramref name="overwrite"/>; the live database and
    /// the key directory always are. Afterwards, backup keys past retention are destroyed.
    /// </summary>
    public async Task<BackupWritten> BackupAsync(string path, bool overwrite = false, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        path = Path.GetFullPath(path);
        RefuseToOverwrite(path, overwrite);
        var (key, secret) = backupKeys.Create();
        var header = JsonSerializer.SerializeToUtf8Bytes(new Header(Format, Version, key.Id, DateTime.UtcNow), Json).Append((byte)'\n').ToArray();
        long rows = 0;
        var temp = path + ".partial";
        try
        {
            await using (var file = new FileStream(temp, OwnerOnly.NewFile(overwrite: true)))
            {
                await file.WriteAsync(header, ct);
                await using var sealedStream = BackupCipher.Seal(file, secret, header);
                await using var gzip = new GZipStream(sealedStream, CompressionLevel.Fastest);
                await using var writer = new StreamWriter(gzip);
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
            File.Move(temp, path, overwrite);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        await audit.RecordAsync(new AuditEntry(AuditEventType.BackupTaken, null, null, null, "cli"), ct);
        return new BackupWritten(rows, key.Id, key.ExpiresAt, backupKeys.Prune());
    }

    void RefuseToOverwrite(string path, bool overwrite)
    {
        var live = db.Database.IsSqlite() ? Path.GetFullPath(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource) : null;
        if (live is not null && path.StartsWith(live, StringComparison.Ordinal))
            throw new BackupException($"{path} is the live database: a backup never goes there. Name another file.");
        var keyFolder = keys.Store.KeyDirectory + Path.DirectorySeparatorChar;
        if (path.StartsWith(keyFolder, StringComparison.Ordinal))
            throw new BackupException($"{path} is in the key directory: backups are kept apart from the keys. Name another file.");
        if (Directory.Exists(path)) throw new BackupException($"{path} is a folder: name a file.");
        if (File.Exists(path) && !overwrite)
            throw new BackupException($"{path} already exists: Haven does not overwrite a file unless told to (--force).");
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
        // The restored chain is the log now: its head becomes the anchor, even when behind the one before.
        var head = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Seq).Select(e => new { e.Seq, e.Hash }).FirstOrDefaultAsync(ct);
        anchor.Reset(head?.Seq ?? 0, head?.Hash ?? AuditChain.Genesis);
        await ledger.ApplyAsync(db, ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.BackupRestored, null, null, null, "cli"), ct);
        return restored;
    }

    /// <summary>The backup's header line, as written and bound to every sealed chunk after it.</summary>
    static byte[] ReadHeader(Stream file, string path)
    {
        var bytes = new List<byte>();
        while (file.ReadByte() is var b and >= 0 && b != '\n')
        {
            bytes.Add((byte)b);
            if (bytes.Count > HeaderMax) throw new BackupException($"{path}: not a Haven backup.");
        }
        return [.. bytes, (byte)'\n'];
    }

    byte[] KeyFor(Header header, string path)
    {
        if (header.Format != Format) throw new BackupException($"{path}: not a Haven backup.");
        if (header.Version != Version || header.Key is null)
            throw new BackupException($"{path}: a backup of format version {header.Version}, which this Haven does not read (only sealed backups of version {Version}).");
        return backupKeys.Find(header.Key) ?? throw new BackupException(
            $"{path}: it is sealed with backup key {header.Key}, which is not in {backupKeys.Folder}. Backup keys are destroyed after "
            + $"{backupKeys.Retention.TotalDays:0} days (Backups:RetentionDays), and then nobody can read their backups. Nothing was changed.");
    }

    async Task<Dictionary<IEntityType, List<object>>> ReadAsync(string path, Dictionary<string, IEntityType> tables, CancellationToken ct)
    {
        if (!File.Exists(path)) throw new BackupException($"{path}: no such file.");
        var content = new Dictionary<IEntityType, List<object>>();
        var line = 0;
        try
        {
            await using var file = File.OpenRead(path);
            var headerBytes = ReadHeader(file, path);
            Header header;
            try { header = JsonSerializer.Deserialize<Header>(headerBytes, Json) ?? throw new JsonException(); }
            catch (JsonException) { throw new BackupException($"{path}: not a Haven backup."); }
            var secret = KeyFor(header, path);
            line++;
            await using var opened = BackupCipher.Open(file, secret, headerBytes);
            await using var gzip = new GZipStream(opened, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
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
        catch (BackupCipher.DamagedException e)
        {
            throw new BackupException($"{path}: the backup is damaged: {e.Message}. Nothing was changed.");
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
