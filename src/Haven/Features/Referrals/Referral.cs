namespace Haven.Features.Referrals;

/// <summary>FHIR Task status names, as the referral's state.</summary>
public enum ReferralStatus { Draft = 0, Requested = 1, Accepted = 2, Rejected = 3, Cancelled = 4, InProgress = 5, OnHold = 6, Failed = 7, Completed = 8 }

/// <summary>Why a referral changed: a fixed list, so no free text (and no personal data) travels with a status.</summary>
public enum ReferralReason
{
    None = 0,
    NoCapacity = 1,
    NotEligible = 2,
    CannotContact = 3,
    PersonDeclined = 4,
    ServiceNotSuitable = 5,
    PersonWithdrew = 6,
    ServiceProvided = 7,
    DidNotAttend = 8,
    Other = 9,
}

/// <summary>How a referral to a provider that is not on Haven was sent.</summary>
public enum HandDelivery { None = 0, Phone = 1, Email = 2, Fax = 3, InPerson = 4, Letter = 5 }

/// <summary>
/// A referral from a client's record to a service. The packet is what the disclosure guard allowed: sealed with the
/// receiving organization's key when the provider is on Haven, with the referring organization's key when it was sent
/// by hand (so the record shows what was shared).
/// </summary>
public sealed class Referral
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>The referring organization.</summary>
    public Guid OrganizationId { get; set; }
    public Guid ClientId { get; set; }
    public required string CreatedBy { get; set; }
    public required string ServiceId { get; set; }
    public required string ServiceName { get; set; }
    public Guid? ReceivingOrganizationId { get; set; }
    public HandDelivery SentByHand { get; set; }
    public ReferralStatus Status { get; set; }
    public ReferralReason Reason { get; set; }
    public Consent.DataCategory Requested { get; set; }
    public Consent.DataCategory Shared { get; set; }
    public byte[]? SealedPacket { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SentAt { get; set; }
    public DateTime? AcceptedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One change of a referral's state: the loop both sides see, and the timing the statistics read.</summary>
public sealed class ReferralChange
{
    public long Id { get; set; }
    public Guid ReferralId { get; set; }
    public DateTime At { get; set; }
    public ReferralStatus Status { get; set; }
    public ReferralReason Reason { get; set; }
    /// <summary>The organization whose staff made the change.</summary>
    public Guid ByOrganizationId { get; set; }
}
