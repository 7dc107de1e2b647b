namespace Haven.Features.Relief;

/// <summary>A client's relief file, one per client: their charges, immigration facts and relief plan, sealed with the client's key as one blob.</summary>
public sealed class ReliefFile
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid ClientId { get; set; }
    /// <summary><see cref="ReliefFileContent"/> as JSON, sealed with the client key.</summary>
    public required byte[] SealedContent { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed record ReliefFileContent
{
    public List<ChargeRecord> Charges { get; init; } = [];
    /// <summary>Immigration facts by id: "yes", "no" or a date; facts not recorded are unknown.</summary>
    public Dictionary<string, string> Facts { get; init; } = [];
    public List<PlanStep> Plan { get; init; } = [];
}

public enum PlanStatus { Pursue = 1, Filed = 2, Granted = 3, Denied = 4, NotPursuing = 5 }

/// <summary>What the client and attorney decided to do about one relief (for one charge, or an immigration option).</summary>
public sealed record PlanStep(string Relief, string? RecordId, PlanStatus Status);
