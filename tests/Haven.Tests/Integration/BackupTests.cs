using System.IO.Compression;
using System.Net;
using System.Text;
using Haven.Data;
using Haven.Features.Operations;
using Haven.Security;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

/// <summary>Backups as a thief and as an operator meet them: sealed, expiring with their key, never written over the live data.</summary>
public abstract class BackupTests<TApp> where TApp : HavenApp, new()
{
    static Task<BackupWritten> BackupAsync(HavenApp app, string path, bool overwrite = false) =>
        app.WithScopeAsync(s => s.GetRequiredService<Backups>().BackupAsync(path, overwrite));

    static Task<long> RestoreAsync(HavenApp app, string path) =>
        app.WithScopeAsync(s => s.GetRequiredService<Backups>().RestoreAsync(path));

    /// <summary>What the backup holds once opened with its key: the gzip'd JSON lines.</summary>
    public static string Opened(HavenApp app, string path)
    {
        using var file = File.OpenRead(path);
        var header = new List<byte>();
        while (file.ReadByte() is var b and >= 0) { header.Add((byte)b); if (b == '\n') break; }
        var keyId = System.Text.Json.JsonDocument.Parse(header.ToArray()).RootElement.GetProperty("Key").GetString()!;
        var secret = app.Services.GetRequiredService<BackupKeys>().Find(keyId)!;
        using var gzip = new GZipStream(BackupCipher.Open(file, secret, [.. header]), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }

    [Fact, System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_backup_is_sealed_and_holds_nothing_a_thief_with_the_master_key_can_read()
    {
        await using var app = new TApp();
        var net = await app.NetworkAsync();
        await app.NewClientAsync(net["advocateA1"].Token, "Sealed Backup Person");
        var path = Path.Combine(app.DataDirectory, "sealed.backup");
        var written = await BackupAsync(app, path);

        var bytes = await File.ReadAllBytesAsync(path);
        var raw = Encoding.Latin1.GetString(bytes);
        Assert.Contains(written.KeyId, raw); // the header names its key, and nothing else is legible
        foreach (var legible in new[] { "Haven.Features", "AspNetUsers", net["advocateA1"].Email, "WrappedKey" })
            Assert.DoesNotContain(legible, raw);
        // Not a gzip stream anywhere after the header: a thief cannot just decompress it.
        var body = bytes.AsSpan(raw.IndexOf('\n') + 1).ToArray();
        Assert.ThrowsAny<InvalidDataException>(() => new StreamReader(new GZipStream(new MemoryStream(body), CompressionMode.Decompress)).ReadToEnd());
        // With its key it opens, and holds the tables.
        Assert.Contains("Haven.Features.Clients.Client", Opened(app, path));
        // The key is owner-only and in the key directory, beside the master key.
        var keyFile = Directory.GetFiles(app.Services.GetRequiredService<BackupKeys>().Folder).Single();
        Assert.Equal(OwnerOnly.File, File.GetUnixFileMode(keyFile));
        Assert.Equal(OwnerOnly.File, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_shredded_client_is_gone_from_every_backup_once_its_key_passes_retention()
    {
        await using var app = new TApp();
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var shredded = await app.NewClientAsync(net["advocateA1"].Token, "Expiring Backup Person");
        var old = Path.Combine(app.DataDirectory, "day-0.backup");
        var first = await BackupAsync(app, old);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/clients/{shredded}")).StatusCode);

        // 1. Within retention: the backup restores, and the ledger shreds the client again.
        await RestoreAsync(app, old);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/clients/{shredded}")).StatusCode);

        var clients = await ClientCountAsync(app);

        // 2. Past retention (staff tokens have expired by now: the checks below read the database): the next backup destroys the old key (prune does it on its own too).
        app.Clock.Advance(TimeSpan.FromDays(36));
        var later = Path.Combine(app.DataDirectory, "day-36.backup");
        var second = await BackupAsync(app, later);
        Assert.Equal([first.KeyId], second.Destroyed.Select(k => k.Id));
        Assert.Equal([second.KeyId], app.Services.GetRequiredService<BackupKeys>().All().Select(k => k.Id));

        // 3. The old backup can no longer be restored by anyone, and says why; nothing changes.
        var refused = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(app, old));
        Assert.Contains(first.KeyId, refused.Message);
        Assert.Contains("35 days", refused.Message);
        Assert.Equal(clients, await ClientCountAsync(app));
        // Its key is gone from the disk, not just from the list.
        Assert.Empty(Directory.GetFiles(app.Services.GetRequiredService<BackupKeys>().Folder, first.KeyId + "*"));
        // The newer backup restores.
        Assert.True(await RestoreAsync(app, later) > 0);
        Assert.Equal(clients, await ClientCountAsync(app));
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Clients.AnyAsync(c => c.Id == shredded)));
    }

    static Task<int> ClientCountAsync(HavenApp app) => app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Clients.CountAsync());

    [Fact]
    public async Task A_backup_never_overwrites_a_file_unless_told_and_never_the_live_database_or_a_key()
    {
        await using var app = new TApp();
        await app.NetworkAsync();
        var path = Path.Combine(app.DataDirectory, "once.backup");
        await BackupAsync(app, path);
        var before = await File.ReadAllBytesAsync(path);
        var refused = await Assert.ThrowsAsync<BackupException>(() => BackupAsync(app, path));
        Assert.Contains("already exists", refused.Message);
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
        await BackupAsync(app, path, overwrite: true);
        Assert.NotEqual(before, await File.ReadAllBytesAsync(path));

        var store = app.Services.GetRequiredService<MasterKeyStore>();
        var masterBefore = await File.ReadAllTextAsync(store.FilePath);
        var key = await Assert.ThrowsAsync<BackupException>(() => BackupAsync(app, store.FilePath, overwrite: true));
        Assert.Contains("key directory", key.Message);
        Assert.Equal(masterBefore, await File.ReadAllTextAsync(store.FilePath));
        if (app.Provider == DatabaseProvider.Sqlite)
        {
            var live = Path.Combine(app.DataDirectory, "haven.db");
            var error = await Assert.ThrowsAsync<BackupException>(() => BackupAsync(app, live, overwrite: true));
            Assert.Contains("live database", error.Message);
            Assert.Equal(HttpStatusCode.OK, (await app.ApiClient((await app.NetworkAsync())["advocateA1"].Token).GetAsync("/api/clients")).StatusCode);
        }
        Assert.Empty(Directory.GetFiles(app.DataDirectory, "*.partial"));
    }

    [Fact]
    public async Task A_backup_cut_altered_or_reordered_is_refused_whole()
    {
        await using var app = new TApp();
        var net = await app.NetworkAsync();
        var id = await app.NewClientAsync(net["advocateA1"].Token, "Tamper Backup Person");
        // Enough rows for several chunks, so a chunk can be dropped or altered in the middle.
        await app.WithScopeAsync(async s => { await s.GetRequiredService<Seeding>().SeedScaleAsync(300, new Progress<int>()); return 0; });
        var path = Path.Combine(app.DataDirectory, "whole.backup");
        await BackupAsync(app, path);
        var bytes = await File.ReadAllBytesAsync(path);
        var headerEnd = Array.IndexOf(bytes, (byte)'\n') + 1;

        var altered = (byte[])bytes.Clone();
        altered[headerEnd + 8 + 4 + 16 + 100] ^= 0x20;
        var cut = bytes[..^1];
        var header = (byte[])bytes.Clone();
        var year = Encoding.ASCII.GetString(bytes, 0, headerEnd).IndexOf("\"CreatedAt\":\"", StringComparison.Ordinal) + 13 + 3;
        header[year] ^= 0x01; // another year, still a valid header: the header is bound to every chunk
        var cases = new Dictionary<string, byte[]> { ["altered"] = altered, ["cut"] = cut, ["header"] = header };
        foreach (var (name, content) in cases)
        {
            var bad = Path.Combine(app.DataDirectory, name + ".backup");
            await File.WriteAllBytesAsync(bad, content);
            var error = await Assert.ThrowsAsync<BackupException>(() => RestoreAsync(app, bad));
            Assert.Contains(name + ".backup", error.Message);
        }
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(net["advocateA1"].Token).GetAsync($"/api/clients/{id}")).StatusCode);
    }
}

public sealed class BackupSqlite : BackupTests<SqliteApp>;
public sealed class BackupPostgres : BackupTests<PostgresApp>;
