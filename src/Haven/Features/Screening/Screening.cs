namespace Haven.Features.Screening;

public enum ScreeningStatus { InProgress = 1, Completed = 2, Stopped = 3 }

/// <summary>
/// One screening: the person agreed first, then answered what they chose to. It belongs to a client, or starts
/// anonymous and is attached to a client later. Answers and result are sealed with the client's key; an anonymous
/// screening has its own key (wrapped by the organization key) until it is attached.
/// </summary>
public sealed class Screening
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid? ClientId { get; set; }
    public required string InstrumentId { get; set; }
    public required string InstrumentVersion { get; set; }
    public required string Language { get; set; }
    public ScreeningStatus Status { get; set; }
    /// <summary>When the person agreed to be screened; a screening cannot exist without it.</summary>
    public DateTime AgreedAt { get; set; }
    /// <summary>The screening's own key while it is anonymous; null once attached to a client.</summary>
    public byte[]? WrappedKey { get; set; }
    /// <summary>The answers as JSON (question id to answer), sealed.</summary>
    public required byte[] SealedAnswers { get; set; }
    /// <summary>The <see cref="ScreeningResult"/> as JSON, sealed; set when the screening is completed.</summary>
    public byte[]? SealedResult { get; set; }
    public required string StartedBy { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}
