namespace Haven.Features.SafetyPlans;

/// <summary>A client's safety plan, one per client, sealed with the client's key as one blob.</summary>
public sealed class SafetyPlan
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid ClientId { get; set; }
    /// <summary><see cref="SafetyPlanContent"/> as JSON, sealed with the client key.</summary>
    public required byte[] SealedContent { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>What the plan says. Every part is optional; the client decides what goes in.</summary>
public sealed record SafetyPlanContent
{
    public string? SafeContactMethods { get; init; }
    public string? SafeContactTimes { get; init; }
    /// <summary>A word or phrase that means "I cannot talk" or "I need help now".</summary>
    public string? CodeWords { get; init; }
    public string? IfContactedByExploiter { get; init; }
    public string? SafePlaces { get; init; }
    public string? TrustedContacts { get; init; }
    public string? Other { get; init; }

    public static readonly string[] Fields =
        [nameof(SafeContactMethods), nameof(SafeContactTimes), nameof(CodeWords), nameof(IfContactedByExploiter), nameof(SafePlaces), nameof(TrustedContacts), nameof(Other)];

    public string? this[string field] => field switch
    {
        nameof(SafeContactMethods) => SafeContactMethods,
        nameof(SafeContactTimes) => SafeContactTimes,
        nameof(CodeWords) => CodeWords,
        nameof(IfContactedByExploiter) => IfContactedByExploiter,
        nameof(SafePlaces) => SafePlaces,
        nameof(TrustedContacts) => TrustedContacts,
        nameof(Other) => Other,
        _ => null,
    };

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => Fields.All(f => string.IsNullOrWhiteSpace(this[f]));
}
