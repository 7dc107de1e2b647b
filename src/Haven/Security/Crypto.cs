using System.Security.Cryptography;

namespace Haven.Security;

/// <summary>
/// AES-256-GCM sealing used for every layer of the envelope (master → organization → client → field).
/// Layout: version byte, 12-byte nonce, 16-byte tag, ciphertext. The associated data binds a
/// ciphertext to its owner (an organization or client id) so blobs cannot be swapped between rows.
/// </summary>
public static class Crypto
{
    public const byte Version1 = 1;
    const int NonceSize = 12, TagSize = 16, Header = 1 + NonceSize + TagSize;

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(32);

    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var output = new byte[Header + plaintext.Length];
        output[0] = Version1;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(key, TagSize);
        gcm.Encrypt(nonce, plaintext, output.AsSpan(Header), output.AsSpan(1 + NonceSize, TagSize), associatedData);
        return output;
    }

    public static byte[] Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> associatedData)
    {
        if (sealedData.Length < Header || sealedData[0] != Version1)
            throw new CryptographicException("Unknown ciphertext version.");
        var plaintext = new byte[sealedData.Length - Header];
        using var gcm = new AesGcm(key, TagSize);
        gcm.Decrypt(sealedData.Slice(1, NonceSize), sealedData[Header..], sealedData.Slice(1 + NonceSize, TagSize), plaintext, associatedData);
        return plaintext;
    }

    public static byte[] Bind(Guid owner) => owner.ToByteArray();

    /// <summary>Short public fingerprint of a key, stored beside what it wraps to detect a wrong key early.</summary>
    public static string Fingerprint(ReadOnlySpan<byte> key) => Convert.ToHexString(SHA256.HashData(key))[..16];
}
