using System.Security.Cryptography;
using System.Text;
using Haven.Data;
using Haven.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Accounts;

/// <summary>Personal API tokens: "hvn_" and 43 random characters, shown once, stored as a SHA-256 hash.</summary>
public sealed class ApiTokens(HavenDb db, AuditLog audit, TimeProvider time)
{
    public const string Prefix = "hvn_";
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(365);

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public async Task<(string Token, ApiToken Record)> CreateAsync(HavenUser user, TimeSpan lifetime, CancellationToken ct = default)
    {
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
            throw new ArgumentOutOfRangeException(nameof(lifetime), "A token lives between one minute and 365 days.");
        var token = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var record = new ApiToken
        {
            OrganizationId = user.OrganizationId,
            UserId = user.Id,
            SecretHash = Hash(token),
            CreatedAt = time.GetUtcNow().UtcDateTime,
            ExpiresAt = time.GetUtcNow().UtcDateTime + lifetime,
        };
        db.ApiTokens.Add(record);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ApiTokenCreated, user.Id, user.OrganizationId, record.Id), ct);
        return (token, record);
    }

    public async Task<int> RevokeAllAsync(HavenUser user, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var count = await db.ApiTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        // Calendar feed addresses are credentials too.
        count += await db.CalendarFeeds.Where(f => f.UserId == user.Id && f.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(f => f.RevokedAt, now), ct);
        if (count > 0) await audit.RecordAsync(new AuditEntry(AuditEventType.ApiTokenRevoked, user.Id, user.OrganizationId, null), ct);
        return count;
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Parses durations like 30m, 12h, 90d.</summary>
    public static bool TryParseLifetime(string? text, out TimeSpan lifetime)
    {
        lifetime = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length < 2 || !int.TryParse(text[..^1], out var n) || n <= 0) return false;
        lifetime = char.ToLowerInvariant(text[^1]) switch
        {
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => TimeSpan.Zero,
        };
        return lifetime >= TimeSpan.FromMinutes(1) && lifetime <= MaxLifetime;
    }
}
