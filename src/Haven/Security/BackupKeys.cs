using System.Globalization;
using System.Security.Cryptography;

namespace Haven.Security;

public sealed class BackupOptions
{
    /// <summary>Days a backup can be restored. Older backup keys are destroyed at each backup and by `haven backup prune`.</summary>
    public int RetentionDays { get; set; } = 35;
}

public sealed record BackupKey(string Id, DateTime CreatedAt, DateTime ExpiresAt);

/// <summary>
/// One fresh key per backup, kept in the key directory beside the master key and never inside a backup. Destroying a
/// key past retention makes its backup unreadable by anyone, so a shredded client is gone from every backup at most
/// <see cref="BackupOptions.RetentionDays"/> days after the shred. The key's creation time is in its name, not the
/// file's times, which a copy changes.
/// </summary>
public sealed class BackupKeys(MasterKeyStore store, BackupOptions options, TimeProvider time)
{
    const string Suffix = ".backup-key";
    const string Stamp = "yyyyMMdd'T'HHmmss'Z'";

    public string Folder => Path.Combine(store.KeyDirectory, "backup-keys");

    public TimeSpan Retention => TimeSpan.FromDays(options.RetentionDays);

    public (BackupKey Key, byte[] Secret) Create()
    {
        var now = time.GetUtcNow().UtcDateTime;
        var id = now.ToString(Stamp, CultureInfo.InvariantCulture) + "-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        var secret = Crypto.NewKey();
        Directory.CreateDirectory(Folder);
        using (var stream = new FileStream(PathOf(id), OwnerOnly.NewFile(overwrite: false)))
            stream.Write(secret);
        return (Describe(id)!, secret);
    }

    /// <summary>The key a backup names, or null when it was destroyed (or was never in this key directory).</summary>
    public byte[]? Find(string id)
    {
        if (Describe(id) is null) return null; // also refuses an id that is not a key name (no path in it)
        var path = PathOf(id);
        if (!File.Exists(path)) return null;
        var secret = File.ReadAllBytes(path);
        return secret.Length == 32 ? secret : null;
    }

    public IReadOnlyList<BackupKey> All() => Directory.Exists(Folder)
        ? Directory.GetFiles(Folder, "*" + Suffix).Select(f => Describe(Path.GetFileName(f)[..^Suffix.Length])).OfType<BackupKey>().OrderBy(k => k.CreatedAt).ToList()
        : [];

    /// <summary>Destroys the keys past retention: their backups can no longer be read. Returns the keys destroyed.</summary>
    public IReadOnlyList<BackupKey> Prune()
    {
        var now = time.GetUtcNow().UtcDateTime;
        var expired = All().Where(k => k.ExpiresAt <= now).ToList();
        foreach (var key in expired)
        {
            var path = PathOf(key.Id);
            // Overwritten before the unlink, so the key's bytes do not wait in a freed block of the key directory.
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write)) { stream.Write(new byte[32]); stream.Flush(flushToDisk: true); }
            File.Delete(path);
        }
        return expired;
    }

    BackupKey? Describe(string id)
    {
        var dash = id.IndexOf('-');
        if (dash <= 0 || id.Length > 40 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')) return null;
        if (!DateTime.TryParseExact(id[..dash], Stamp, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var created)) return null;
        return new BackupKey(id, created, created + Retention);
    }

    string PathOf(string id) => Path.Combine(Folder, id + Suffix);
}
