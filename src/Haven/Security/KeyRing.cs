using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Haven.Data;
using Microsoft.EntityFrameworkCore;

namespace Haven.Security;

/// <summary>
/// Envelope keys: the master key wraps one key per organization, which wraps one key per client.
/// Unwrapped organization keys are cached for the life of the process; the master key is read
/// from its store each time it is needed so a rotation done by the CLI is picked up.
/// </summary>
public sealed class KeyRing(MasterKeyStore store)
{
    readonly ConcurrentDictionary<Guid, OrganizationKeys> cache = new();

    public MasterKeyStore Store => store;

    public (byte[] Wrapped, string Fingerprint) NewOrganizationKey(Guid organizationId)
    {
        var master = store.Load();
        var key = Crypto.NewKey();
        cache[organizationId] = new OrganizationKeys(organizationId, key);
        return (Crypto.Seal(master, key, Crypto.Bind(organizationId)), Crypto.Fingerprint(master));
    }

    public async Task<OrganizationKeys> ForOrganizationAsync(HavenDb db, Guid organizationId, CancellationToken ct = default)
    {
        if (cache.TryGetValue(organizationId, out var keys)) return keys;
        var wrapped = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.WrappedKey).SingleAsync(ct);
        keys = new OrganizationKeys(organizationId, Unwrap(store.Load(), organizationId, wrapped));
        cache[organizationId] = keys;
        return keys;
    }

    public static byte[] Unwrap(byte[] master, Guid organizationId, byte[] wrapped)
    {
        try { return Crypto.Open(master, wrapped, Crypto.Bind(organizationId)); }
        catch (CryptographicException)
        {
            throw new MasterKeyException("The master key does not open this organization's key. Is the right master key configured?");
        }
    }

    public void Forget() => cache.Clear();
}

/// <summary>One organization's unwrapped key and the keys derived from it.</summary>
public sealed class OrganizationKeys
{
    readonly byte[] key;
    readonly byte[] indexKey;

    public OrganizationKeys(Guid organizationId, byte[] key)
    {
        OrganizationId = organizationId;
        this.key = key;
        // A separate derived key for blind indexes, so index hashes never reuse the wrapping key.
        indexKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: "haven/blind-index/v1"u8.ToArray());
    }

    public Guid OrganizationId { get; }

    public byte[] WrapClientKey(Guid clientId, byte[] clientKey) => Crypto.Seal(key, clientKey, Crypto.Bind(clientId));

    public byte[] UnwrapClientKey(Guid clientId, byte[] wrapped) => Crypto.Open(key, wrapped, Crypto.Bind(clientId));

    /// <summary>Seals organization-level text such as a break-the-glass reason.</summary>
    public byte[] Seal(string text) => Crypto.Seal(key, Encoding.UTF8.GetBytes(text), Crypto.Bind(OrganizationId));

    public string Open(byte[] sealedText) => Encoding.UTF8.GetString(Crypto.Open(key, sealedText, Crypto.Bind(OrganizationId)));

    /// <summary>Keyed hash of an already-normalized term, truncated to 16 bytes.</summary>
    public byte[] BlindIndex(byte kind, string normalizedTerm)
    {
        Span<byte> input = stackalloc byte[1 + Encoding.UTF8.GetMaxByteCount(normalizedTerm.Length)];
        input[0] = kind;
        var length = 1 + Encoding.UTF8.GetBytes(normalizedTerm, input[1..]);
        return HMACSHA256.HashData(indexKey, input[..length])[..16];
    }
}
