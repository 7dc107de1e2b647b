namespace Haven.Features.Clients;

/// <summary>
/// A pseudonymous client record. Everything that could identify or locate the person lives in
/// <see cref="SealedDetails"/>, sealed with the client's own key; the row itself holds only ids and times.
/// </summary>
public sealed class Client
{
    /// <summary>Time-ordered (UUIDv7) so the audit events of one list page share index pages.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid TeamId { get; set; }
    /// <summary>A short, non-identifying reference staff can say aloud ("C-7KQ2MD4H").</summary>
    public required string Reference { get; set; }
    /// <summary>The client key, sealed with the organization key. Destroying it destroys the client.</summary>
    public required byte[] WrappedKey { get; set; }
    /// <summary>The <see cref="ClientDetails"/> as JSON, sealed with the client key by <see cref="ClientRecords"/>.</summary>
    public required byte[] SealedDetails { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>What a blind-index token stands for. NameWord and NamePhonetic serve conflict checks (every word of
/// every name, and its phonetic code); the others serve search.</summary>
public enum SearchTokenKind : byte { ChosenNameWord = 1, LegalName = 2, Phone = 3, NameWord = 4, NamePhonetic = 5 }

/// <summary>A keyed hash (blind index) of a normalized search term; no plaintext is stored.</summary>
public sealed class ClientSearchToken
{
    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Guid ClientId { get; set; }
    public SearchTokenKind Kind { get; set; }
    public required byte[] Hash { get; set; }
}

/// <summary>A staff member outside the client's team opened the record with a written reason.</summary>
public sealed class BreakGlassAccess
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid OrganizationId { get; set; }
    public Guid ClientId { get; set; }
    public required string UserId { get; set; }
    /// <summary>The reason, sealed with the organization key (staff may write names into it).</summary>
    public required byte[] Reason { get; set; }
    public DateTime At { get; set; } = DateTime.UtcNow;
    public DateTime ExpiresAt { get; set; }
}
