using System.Security.Cryptography;

namespace Haven.Security;

public sealed class KeyOptions
{
    /// <summary>Path of the master key file (base64 of 32 random bytes). Relative paths are under the data directory.</summary>
    public string MasterKeyFile { get; set; } = "keys/master.key";
    /// <summary>Base64 master key from the environment (HAVEN_MASTER_KEY); wins over the file.</summary>
    public string? MasterKey { get; set; }
}

/// <summary>Where the master key lives and how it is loaded, created and replaced.</summary>
public sealed class MasterKeyStore(string dataDirectory, KeyOptions options)
{
    public string FilePath => Path.IsPathRooted(options.MasterKeyFile)
        ? options.MasterKeyFile
        : Path.Combine(dataDirectory, options.MasterKeyFile);

    /// <summary>The Data Protection key ring (cookies, antiforgery), sealed under the master key.</summary>
    public string KeyRingFolder => Path.Combine(dataDirectory, "keys", "data-protection");

    /// <summary>The folder of the master key, where everything kept outside the database and its backups sits beside it:
    /// the shred ledger, the backup keys, the audit anchor.</summary>
    public string KeyDirectory => Path.GetDirectoryName(Path.GetFullPath(FilePath))!;

    public string ShredLedgerPath => Path.Combine(KeyDirectory, "shredded-clients.ledger");

    public bool FromEnvironment => !string.IsNullOrWhiteSpace(options.MasterKey);

    public bool IsConfigured => FromEnvironment || File.Exists(FilePath);

    public byte[] Load()
    {
        var text = FromEnvironment ? options.MasterKey! : File.Exists(FilePath) ? File.ReadAllText(FilePath) : null;
        if (text is null)
            throw new MasterKeyException($"No master key is configured: set HAVEN_MASTER_KEY or create the key file named by Keys:MasterKeyFile.");
        byte[] key;
        try { key = Convert.FromBase64String(text.Trim()); }
        catch (FormatException) { throw new MasterKeyException("The master key is not valid base64."); }
        if (key.Length != 32) throw new MasterKeyException("The master key must be 32 bytes (base64 of 32 random bytes).");
        return key;
    }

    /// <summary>Creates a new key file with owner-only permissions. Refuses to overwrite.</summary>
    public byte[] Create()
    {
        var key = Crypto.NewKey();
        Write(FilePath, key, overwrite: false);
        return key;
    }

    /// <summary>Atomically replaces the key file (used by key rotation).</summary>
    public void Replace(byte[] key)
    {
        if (FromEnvironment)
            throw new MasterKeyException("The master key comes from HAVEN_MASTER_KEY; rotate it there (see the operations guide).");
        var temp = FilePath + ".new";
        Write(temp, key, overwrite: true);
        File.Move(temp, FilePath, overwrite: true);
    }

    static void Write(string path, byte[] key, bool overwrite)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var stream = new FileStream(path, OwnerOnly.NewFile(overwrite));
        using var writer = new StreamWriter(stream);
        writer.Write(Convert.ToBase64String(key));
    }

    public static string NewKeyBase64() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}

public sealed class MasterKeyException(string message, string? hint = null) : HavenException(message, hint: hint);
