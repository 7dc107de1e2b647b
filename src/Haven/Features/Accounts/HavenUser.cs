using Microsoft.AspNetCore.Identity;

namespace Haven.Features.Accounts;

public sealed class HavenUser : IdentityUser
{
    public Guid OrganizationId { get; set; }
    /// <summary>The name colleagues see; staff choose it, it is not a client's data.</summary>
    public string DisplayName { get; set; } = "";
    /// <summary>The last TOTP time step accepted, so no code is accepted twice.</summary>
    public long LastTotpStep { get; set; }
}

public static class Roles
{
    public const string NetworkAdmin = nameof(NetworkAdmin);
    public const string OrgAdmin = nameof(OrgAdmin);
    public const string Attorney = nameof(Attorney);
    public const string Advocate = nameof(Advocate);
    public const string PeerNavigator = nameof(PeerNavigator);
    public const string Screener = nameof(Screener);
    public const string Moderator = nameof(Moderator);
    public const string Researcher = nameof(Researcher);

    public static readonly string[] All = [NetworkAdmin, OrgAdmin, Attorney, Advocate, PeerNavigator, Screener, Moderator, Researcher];

    /// <summary>Roles whose work is with individual clients.</summary>
    public static readonly string[] ClientWork = [OrgAdmin, Attorney, Advocate, PeerNavigator, Screener];
}

/// <summary>A personal API token. Only a SHA-256 hash of the secret is stored.</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public required string UserId { get; set; }
    public required byte[] SecretHash { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
