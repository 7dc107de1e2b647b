using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Haven.Security;

namespace Haven.Features.Audit;

public sealed record AnchoredHead(long Seq, byte[] Hash);

/// <summary>
/// The audit chain's head (event count and last hash), written after each commit outside the database, beside the
/// master key and MAC'd with a key derived from it. Someone with the database but not the key directory can edit
/// the chain and even recompute its hashes, but cannot move the anchor: a wiped, cut or rolled-back log no longer
/// reaches it, and the anchor only moves on along a chain that still holds it. It moves back only at a restore.
/// </summary>
public sealed class AuditAnchor(MasterKeyStore store)
{
    static readonly byte[] Purpose = "haven/audit-anchor"u8.ToArray();
    readonly Lock gate = new();
    AnchoredHead? current;
    bool loaded;
    int reported;

    public string FilePath => Path.Combine(store.KeyDirectory, "audit-anchor");

    /// <summary>The anchored head; null when none was written yet. Throws when the file was altered.</summary>
    public AnchoredHead? Read() => Read(store.Load());

    AnchoredHead? Read(byte[] masterKey)
    {
        if (!File.Exists(FilePath)) return null;
        var parts = File.ReadAllText(FilePath).Trim().Split(' ');
        byte[] hash, mac;
        try
        {
            if (parts.Length != 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)) throw new FormatException();
            (hash, mac) = (Convert.FromHexString(parts[1]), Convert.FromHexString(parts[2]));
            if (!CryptographicOperations.FixedTimeEquals(mac, Mac(masterKey, seq, hash)))
                throw new AuditAnchorException($"The audit anchor {FilePath} does not carry Haven's seal: it was altered or written with another master key.");
            return new AnchoredHead(seq, hash);
        }
        catch (FormatException) { throw new AuditAnchorException($"The audit anchor {FilePath} is not in its format: it was altered."); }
    }

    /// <summary>The anchor as this process last read or wrote it (read from the file once). Throws when the file was altered.</summary>
    public AnchoredHead? Current()
    {
        lock (gate)
        {
            if (!loaded) (current, loaded) = (Read(), true);
            return current;
        }
    }

    /// <summary>After a commit of a chain that reaches the anchor: anchors the new head. Another process may have moved
    /// the anchor further meanwhile; it never moves back.</summary>
    public void Advance(long seq, byte[] hash)
    {
        lock (gate)
        {
            if (loaded && current is { } c && seq <= c.Seq) return;
            Write(store.Load(), seq, hash);
            (current, loaded) = (new AnchoredHead(seq, hash), true);
        }
    }

    /// <summary>True the first time a broken chain is reported, so the log says it once, not at every request.</summary>
    public bool FirstReportOfBreak() => Interlocked.Exchange(ref reported, 1) == 0;

    /// <summary>At a restore: the restored chain's head becomes the anchor, even when it is behind the old one.</summary>
    public void Reset(long seq, byte[] hash)
    {
        lock (gate)
        {
            Write(store.Load(), seq, hash);
            (current, loaded) = (new AnchoredHead(seq, hash), true);
            reported = 0;
        }
    }

    /// <summary>After a master key rotation: the same head, sealed under the new key.</summary>
    public void Reseal(byte[] oldKey, byte[] newKey)
    {
        lock (gate)
        {
            AnchoredHead? head;
            try { head = Read(oldKey); }
            catch (AuditAnchorException) { return; } // altered (or already sealed under the new key): left for verify
            if (head is not null) Write(newKey, head.Seq, head.Hash);
        }
    }

    void Write(byte[] masterKey, long seq, byte[] hash)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{seq} {Convert.ToHexString(hash)} {Convert.ToHexString(Mac(masterKey, seq, hash))}\n");
        var temp = FilePath + ".new";
        Directory.CreateDirectory(store.KeyDirectory);
        using (var stream = new FileStream(temp, OwnerOnly.NewFile(overwrite: true)))
            stream.Write(Encoding.ASCII.GetBytes(text));
        File.Move(temp, FilePath, overwrite: true);
    }

    static byte[] Mac(byte[] masterKey, long seq, byte[] hash)
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: Purpose);
        byte[] message = [.. BitConverter.GetBytes(seq), .. hash];
        return HMACSHA256.HashData(key, message);
    }
}

public sealed class AuditAnchorException(string message) : HavenException(message);
