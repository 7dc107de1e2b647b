namespace Haven.Features.Matters;

public enum MatterType { Services = 1, Immigration = 2, CriminalDefense = 3, RecordRelief = 4, Family = 5, Housing = 6, Employment = 7, Civil = 8, Other = 9 }

public enum MatterStatus { Open = 1, Pending = 2, Closed = 3 }

/// <summary>
/// A piece of work for a client: a case, an application, a service episode. Its number ("M-1042") is what
/// staff say aloud and what calendar entries show; the outcome is sealed with the client's key.
/// </summary>
public sealed class Matter
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid ClientId { get; set; }
    public Guid TeamId { get; set; }
    /// <summary>Per organization, from 1001 up; shown as M-1001.</summary>
    public int Number { get; set; }
    public MatterType Type { get; set; }
    public MatterStatus Status { get; set; } = MatterStatus.Open;
    public DateOnly OpenedOn { get; set; }
    public DateOnly? ClosedOn { get; set; }
    /// <summary>The outcome in words, sealed with the client key; null until there is one.</summary>
    public byte[]? SealedOutcome { get; set; }
    public DateTime UpdatedAt { get; set; }

    public string Reference => $"M-{Number}";
}

public enum NoteVisibility { Team = 1, Privileged = 2 }

/// <summary>
/// A note on a matter, sealed with the client's key. Privileged notes (attorney work product, attorney–client
/// communications) are read only by attorneys working on the client through their team, never through
/// break-the-glass; everyone else sees that such a note exists and nothing more.
/// </summary>
public sealed class Note
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid ClientId { get; set; }
    public Guid MatterId { get; set; }
    public NoteVisibility Visibility { get; set; }
    public required byte[] SealedBody { get; set; }
    public required string AuthorId { get; set; }
    public DateTime CreatedAt { get; set; }
}
