namespace Haven.Features.Deadlines;

public enum TaskKind { CourtDate = 1, FilingDeadline = 2, Appointment = 3, FollowUp = 4 }

/// <summary>
/// Something due on a matter: a court date, a filing deadline, an appointment or a follow-up, assigned to
/// one staff member, with reminders some days before. Its details are sealed with the client's key; the
/// kind, the time and the matter number are all a calendar ever shows.
/// </summary>
public sealed class CaseTask
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid ClientId { get; set; }
    public Guid MatterId { get; set; }
    public TaskKind Kind { get; set; }
    /// <summary>When it is due, in UTC.</summary>
    public DateTime DueAt { get; set; }
    public required string AssigneeId { get; set; }
    /// <summary>Days before the due time to remind, comma-separated ("7,1").</summary>
    public string Reminders { get; set; } = "";
    /// <summary>What to do, in words, sealed with the client key (may be empty).</summary>
    public byte[]? SealedDetails { get; set; }
    public DateTime? CompletedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A staff member's calendar subscription: a secret URL, of which only a hash is kept; revocable.</summary>
public sealed class CalendarFeed
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public required string UserId { get; set; }
    public required byte[] SecretHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
