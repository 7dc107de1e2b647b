using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Haven.Features.Accounts;

/// <summary>
/// TOTP (RFC 6238, SHA-1, 6 digits, 30-second steps, one step of drift) that accepts each code once:
/// the last accepted time step is kept on the user, so a code seen over someone's shoulder is useless.
/// </summary>
public sealed class SingleUseAuthenticatorProvider(TimeProvider time) : AuthenticatorTokenProvider<HavenUser>
{
    public const string Name = "HavenAuthenticator";

    public override async Task<bool> ValidateAsync(string purpose, string token, UserManager<HavenUser> manager, HavenUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key) || token.Length != 6 || !int.TryParse(token, out var code)) return false;
        var secret = Base32.Decode(key);
        var step = time.GetUtcNow().ToUnixTimeSeconds() / 30;
        for (var s = step - 1; s <= step + 1; s++)
        {
            if (s <= user.LastTotpStep || Totp.Compute(secret, s) != code) continue;
            user.LastTotpStep = s;
            return (await manager.UpdateAsync(user)).Succeeded;
        }
        return false;
    }
}

public static class Totp
{
    public static int Compute(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[20];
        HMACSHA1.HashData(secret, counter, hash);
        var offset = hash[^1] & 0x0F;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7FFFFFFF;
        return binary % 1_000_000;
    }
}

public static class Base32
{
    const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static byte[] Decode(string text)
    {
        var clean = text.Trim().TrimEnd('=').Replace(" ", "").ToUpperInvariant();
        var output = new byte[clean.Length * 5 / 8];
        int buffer = 0, bits = 0, index = 0;
        foreach (var c in clean)
        {
            var value = Alphabet.IndexOf(c);
            if (value < 0) throw new FormatException("Not base32.");
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                output[index++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return output;
    }
}
