namespace Haven.Features.Organizations;

public enum OrganizationKind { Legal = 1, CourtProgram = 2, Shelter = 3, Health = 4, Counseling = 5, PeerOrganization = 6, Other = 7 }

public sealed class Organization
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public OrganizationKind Kind { get; set; }
    /// <summary>The organization key, sealed with the master key.</summary>
    public required byte[] WrappedKey { get; set; }
    /// <summary>Fingerprint of the master key that wraps <see cref="WrappedKey"/>.</summary>
    public required string MasterKeyFingerprint { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    /// <summary>What the organization must report when a screening finds a person under 18 in commercial sex,
    /// written by its admins; shown to staff on that result. Not personal data.</summary>
    public string? ReportingDuties { get; set; }
}

/// <summary>A care team inside an organization; clients belong to one team and only its members see them.</summary>
public sealed class Team
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public required string Name { get; set; }
}

public sealed class TeamMember
{
    public Guid OrganizationId { get; set; }
    public Guid TeamId { get; set; }
    public required string UserId { get; set; }
}
