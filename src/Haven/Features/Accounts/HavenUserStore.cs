using System.Security.Cryptography;
using System.Text;
using Haven.Data;
using Haven.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Accounts;

/// <summary>
/// Identity's store, with the second factor's secrets kept out of the clear: the authenticator key is sealed with a key
/// derived from the master key (bound to the user), and recovery codes are kept only as salted PBKDF2 hashes. A stolen
/// database or backup and a phished password are then not a sign-in.
/// </summary>
public sealed class HavenUserStore(HavenDb context, MasterKeyStore keys, IdentityErrorDescriber? describer = null)
    : UserStore<HavenUser, IdentityRole, HavenDb>(context, describer)
{
    public override async Task SetAuthenticatorKeyAsync(HavenUser user, string key, CancellationToken cancellationToken) =>
        await SetTokenAsync(user, SecondFactorSecrets.Provider, SecondFactorSecrets.AuthenticatorKey, SecondFactorSecrets.Seal(keys.Load(), user.Id, key), cancellationToken);

    public override async Task<string?> GetAuthenticatorKeyAsync(HavenUser user, CancellationToken cancellationToken) =>
        await GetTokenAsync(user, SecondFactorSecrets.Provider, SecondFactorSecrets.AuthenticatorKey, cancellationToken) is { } value
            ? SecondFactorSecrets.Open(keys.Load(), user.Id, value)
            : null;

    public override async Task ReplaceCodesAsync(HavenUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken) =>
        await SetTokenAsync(user, SecondFactorSecrets.Provider, SecondFactorSecrets.RecoveryCodes, SecondFactorSecrets.HashCodes(recoveryCodes), cancellationToken);

    public override async Task<bool> RedeemCodeAsync(HavenUser user, string code, CancellationToken cancellationToken)
    {
        var stored = await GetTokenAsync(user, SecondFactorSecrets.Provider, SecondFactorSecrets.RecoveryCodes, cancellationToken);
        if (stored is null || SecondFactorSecrets.Redeem(stored, code) is not { } remaining) return false;
        await SetTokenAsync(user, SecondFactorSecrets.Provider, SecondFactorSecrets.RecoveryCodes, remaining, cancellationToken);
        return true;
    }

    public override async Task<int> CountCodesAsync(HavenUser user, CancellationToken cancellationToken) =>
        await GetTokenAsync(user, SecondFactorSecrets.Provider, SecondFactorSecrets.RecoveryCodes, cancellationToken) is { } stored
            ? SecondFactorSecrets.Count(stored)
            : 0;
}

public static class SecondFactorSecrets
{
    // Identity's own names for the rows in AspNetUserTokens.
    public const string Provider = "[AspNetUserStore]", AuthenticatorKey = "AuthenticatorKey", RecoveryCodes = "RecoveryCodes";
    const string SealedPrefix = "sealed1:", HashedPrefix = "pbkdf2-sha256:";
    const int Iterations = 100_000, SaltSize = 16, HashSize = 32;
    static readonly byte[] Purpose = "haven/authenticator-key"u8.ToArray();

    public static string Seal(byte[] masterKey, string userId, string secret) =>
        SealedPrefix + Convert.ToBase64String(Crypto.Seal(Derive(masterKey), Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(userId)));

    /// <summary>Opens a sealed key; a key stored before sealing existed is read as it is (and sealed at the next start).</summary>
    public static string Open(byte[] masterKey, string userId, string value) => value.StartsWith(SealedPrefix, StringComparison.Ordinal)
        ? Encoding.UTF8.GetString(Crypto.Open(Derive(masterKey), Convert.FromBase64String(value[SealedPrefix.Length..]), Encoding.UTF8.GetBytes(userId)))
        : value;

    static byte[] Derive(byte[] masterKey) => HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: Purpose);

    /// <summary>"pbkdf2-sha256:salt:hash;hash;…": one salt per set, so a redemption costs one derivation, not one per code.</summary>
    public static string HashCodes(IEnumerable<string> codes)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        return Format(salt, codes.Select(c => Hash(salt, c)));
    }

    static string Format(byte[] salt, IEnumerable<byte[]> hashes) =>
        HashedPrefix + Convert.ToBase64String(salt) + ":" + string.Join(";", hashes.Select(Convert.ToBase64String));

    static byte[] Hash(byte[] salt, string code) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(code.Trim()), salt, Iterations, HashAlgorithmName.SHA256, HashSize);

    static (byte[] Salt, List<byte[]> Hashes)? Parse(string stored)
    {
        if (!stored.StartsWith(HashedPrefix, StringComparison.Ordinal)) return null;
        var parts = stored[HashedPrefix.Length..].Split(':');
        if (parts.Length != 2) return null;
        return (Convert.FromBase64String(parts[0]), parts[1].Split(';', StringSplitOptions.RemoveEmptyEntries).Select(Convert.FromBase64String).ToList());
    }

    /// <summary>The codes left after redeeming <paramref name="code"/>, or null when it is not one of them.</summary>
    public static string? Redeem(string stored, string code)
    {
        if (Parse(stored) is not var (salt, hashes))
        {
            // Codes stored before hashing existed: redeem as Identity did, and keep the rest hashed from now on.
            var plain = stored.Split(';', StringSplitOptions.RemoveEmptyEntries).ToList();
            return plain.Remove(code.Trim()) ? HashCodes(plain) : null;
        }
        var candidate = Hash(salt, code);
        var match = hashes.FindIndex(h => CryptographicOperations.FixedTimeEquals(h, candidate));
        if (match < 0) return null;
        hashes.RemoveAt(match);
        return Format(salt, hashes);
    }

    public static int Count(string stored) =>
        Parse(stored) is var (_, hashes) ? hashes.Count : stored.Split(';', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>At start: seals authenticator keys and hashes recovery codes stored in the clear by an earlier version.</summary>
    public static async Task SealStoredInClearAsync(HavenDb db, byte[] masterKey, CancellationToken ct = default)
    {
        var clear = await db.UserTokens.Where(t => t.LoginProvider == Provider
            && (t.Name == AuthenticatorKey && !t.Value!.StartsWith(SealedPrefix) || t.Name == RecoveryCodes && !t.Value!.StartsWith(HashedPrefix))).ToListAsync(ct);
        foreach (var token in clear)
            token.Value = token.Name == AuthenticatorKey ? Seal(masterKey, token.UserId, token.Value!) : HashCodes(token.Value!.Split(';', StringSplitOptions.RemoveEmptyEntries));
        if (clear.Count > 0) await db.SaveChangesAsync(ct);
    }

    /// <summary>After a master key rotation: seals every authenticator key again under the new master key.</summary>
    public static async Task ResealAsync(HavenDb db, byte[] oldKey, byte[] newKey, CancellationToken ct = default)
    {
        foreach (var token in await db.UserTokens.Where(t => t.LoginProvider == Provider && t.Name == AuthenticatorKey).ToListAsync(ct))
            token.Value = Seal(newKey, token.UserId, Open(oldKey, token.UserId, token.Value!));
    }
}
