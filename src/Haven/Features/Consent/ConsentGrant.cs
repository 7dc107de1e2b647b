namespace Haven.Features.Consent;

/// <summary>What a grant may cover. Flags, so one grant can name several categories.</summary>
[Flags]
public enum DataCategory
{
    None = 0,
    Identity = 1,
    Contact = 2,
    ScreeningResults = 4,
    Immigration = 8,
    CriminalRecord = 16,
    Health = 32,
    CaseNotes = 64,
    Documents = 128,
}

/// <summary>Who a grant is to: one organization of the network, or a class of recipient.</summary>
public enum RecipientClass
{
    Organization = 0,
    ServiceProvider = 1,
    Attorney = 2,
    LawEnforcement = 3,
    ImmigrationAuthority = 4,
    Researcher = 5,
    FamilyMember = 6,
    Other = 7,
    Court = 8,
}

public enum ConsentMethod { Verbal = 1, Written = 2 }

/// <summary>How client data leaves the organization. Every one of these passes the disclosure guard.</summary>
public enum DisclosureChannel { Letter = 1, Export = 2, ApiRead = 3, ReferralPacket = 4, CourtLetter = 5 }

/// <summary>
/// A client's consent to share named categories of their data with one recipient for one purpose, until it
/// expires or the client revokes it. The purpose and the wording read to the client are sealed with the
/// client's key; the rest is what the guard needs and holds no personal data.
/// </summary>
public sealed class ConsentGrant
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid ClientId { get; set; }
    public DataCategory Categories { get; set; }
    public RecipientClass RecipientClass { get; set; }
    /// <summary>Set when <see cref="RecipientClass"/> is <see cref="RecipientClass.Organization"/>.</summary>
    public Guid? RecipientOrganizationId { get; set; }
    /// <summary><see cref="ConsentTerms"/> as JSON, sealed with the client key.</summary>
    public required byte[] SealedTerms { get; set; }
    public ConsentMethod Method { get; set; }
    /// <summary>The language the wording was given in (a short code such as "es").</summary>
    public required string Language { get; set; }
    public bool InterpreterUsed { get; set; }
    public DateTime GivenAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public required string RecordedBy { get; set; }
}

/// <summary>The sealed part of a grant: why, and exactly what the client was told.</summary>
public sealed record ConsentTerms(string Purpose, string Wording);

/// <summary>
/// The record of one outbound flow of client data, allowed or refused: who asked, through which channel,
/// for which recipient and categories, what the guard allowed and on which grants.
/// </summary>
public sealed class Disclosure
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid ClientId { get; set; }
    public DisclosureChannel Channel { get; set; }
    public RecipientClass RecipientClass { get; set; }
    public Guid? RecipientOrganizationId { get; set; }
    public DataCategory Requested { get; set; }
    public DataCategory Allowed { get; set; }
    /// <summary>The grants that allowed it, comma-separated ids (empty when refused).</summary>
    public string GrantIds { get; set; } = "";
    public required string ActorId { get; set; }
    public DateTime At { get; set; }
}
