using Haven.Features.Clients;

namespace Haven.Features.Conflicts;

public enum AdverseRole { Trafficker = 1, Recruiter = 2, Employer = 3, Abuser = 4, Other = 5 }

/// <summary>
/// A person or business on the other side of a matter (a named trafficker, an abusive employer). Its own
/// record with its own key, wrapped by the organization key; names are findable only through blind indexes.
/// </summary>
public sealed class AdverseParty
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid MatterId { get; set; }
    public Guid ClientId { get; set; }
    public AdverseRole Role { get; set; }
    public required byte[] WrappedKey { get; set; }
    /// <summary><see cref="AdversePartyDetails"/> as JSON, sealed with the party's key.</summary>
    public required byte[] SealedDetails { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed record AdversePartyDetails(string Name, IReadOnlyList<string> Aliases);

public sealed class AdversePartyToken
{
    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Guid PartyId { get; set; }
    public SearchTokenKind Kind { get; set; }
    public required byte[] Hash { get; set; }
}

public enum ConflictOutcome { NoConflict = 1, Conflict = 2, NeedsReview = 3 }

/// <summary>A conflict check and what the staff member concluded. The names checked are sealed with the organization key.</summary>
public sealed class ConflictCheck
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public required byte[] SealedNames { get; set; }
    public int Hits { get; set; }
    public ConflictOutcome? Outcome { get; set; }
    public required string CheckedBy { get; set; }
    public DateTime CheckedAt { get; set; }
    public DateTime? DecidedAt { get; set; }
}
