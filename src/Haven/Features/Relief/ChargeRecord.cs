namespace Haven.Features.Relief;

public enum OffenseLevel { Violation, Misdemeanor, FelonyA, FelonyB, FelonyC, FelonyD, FelonyE }

public enum Disposition { Convicted, Dismissed, Acquitted, Pending, Acd }

/// <summary>Whether the charge is tied to the person's trafficking: not at all, by their own account, or by official documentation.</summary>
public enum TraffickingNexus { None, Claimed, Documented }

public enum ReliefOutcome { Eligible, NotEligible, NeedsReview, AlreadySealed }

/// <summary>
/// One charge on a person's record, as the record CSV gives it (docs/record-csv.md). The person is a reference
/// the organization chooses, never a name.
/// </summary>
public sealed record ChargeRecord(
    string RecordId,
    string PersonRef,
    string Jurisdiction,
    string? Court,
    string? Docket,
    DateOnly? ArrestDate,
    string OffenseSection,
    OffenseLevel Level,
    Disposition Disposition,
    DateOnly? DispositionDate,
    DateOnly? SentenceDate,
    DateOnly? ReleaseDate,
    DateOnly? SupervisionEndDate,
    TraffickingNexus Nexus,
    DateOnly? VictimFrom,
    DateOnly? VictimUntil)
{
    public bool IsFelony => Level >= OffenseLevel.FelonyA;

    public bool IsConviction => Disposition == Disposition.Convicted;

    /// <summary>When the sentence was served: the later of sentencing and release from incarceration.</summary>
    public DateOnly? SentenceServed => ReleaseDate is { } r && (SentenceDate is not { } s || r > s) ? r : SentenceDate;
}

/// <summary>What the engine found for one charge and one kind of relief.</summary>
public sealed record ReliefFinding(
    string RecordId,
    string Relief,
    ReliefOutcome Outcome,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<string> Provisions,
    ReliefDeadline? Deadline = null)
{
    /// <summary>The deciding reason as the rule file words it, before dates are filled in: what summaries count.</summary>
    public string Because { get; init; } = "";
}

/// <summary>A date the engine found that someone must act on or check: it becomes a task on the matter.</summary>
public sealed record ReliefDeadline(DateOnly Due, string What);

/// <summary>The names the CSV and the API use for the enums.</summary>
public static class ReliefNames
{
    public static readonly IReadOnlyDictionary<string, OffenseLevel> Levels = new Dictionary<string, OffenseLevel>(StringComparer.OrdinalIgnoreCase)
    {
        ["violation"] = OffenseLevel.Violation,
        ["misdemeanor"] = OffenseLevel.Misdemeanor,
        ["felony-A"] = OffenseLevel.FelonyA,
        ["felony-B"] = OffenseLevel.FelonyB,
        ["felony-C"] = OffenseLevel.FelonyC,
        ["felony-D"] = OffenseLevel.FelonyD,
        ["felony-E"] = OffenseLevel.FelonyE,
    };

    public static readonly IReadOnlyDictionary<string, Disposition> Dispositions = new Dictionary<string, Disposition>(StringComparer.OrdinalIgnoreCase)
    {
        ["convicted"] = Disposition.Convicted,
        ["dismissed"] = Disposition.Dismissed,
        ["acquitted"] = Disposition.Acquitted,
        ["pending"] = Disposition.Pending,
        ["acd"] = Disposition.Acd,
    };

    public static readonly IReadOnlyDictionary<string, TraffickingNexus> Nexuses = new Dictionary<string, TraffickingNexus>(StringComparer.OrdinalIgnoreCase)
    {
        ["none"] = TraffickingNexus.None,
        ["claimed"] = TraffickingNexus.Claimed,
        ["documented"] = TraffickingNexus.Documented,
    };

    public static string Of(ReliefOutcome outcome) => outcome switch
    {
        ReliefOutcome.Eligible => "eligible",
        ReliefOutcome.NotEligible => "not_eligible",
        ReliefOutcome.NeedsReview => "needs_review",
        _ => "already_sealed",
    };

    public static ReliefOutcome OutcomeOf(string name) => name switch
    {
        "eligible" => ReliefOutcome.Eligible,
        "not_eligible" => ReliefOutcome.NotEligible,
        "needs_review" => ReliefOutcome.NeedsReview,
        "already_sealed" => ReliefOutcome.AlreadySealed,
        _ => throw new FormatException($"'{name}' is not an outcome; use eligible, not_eligible, needs_review or already_sealed."),
    };

    public static string Of(OffenseLevel level) => level switch
    {
        OffenseLevel.Violation => "violation",
        OffenseLevel.Misdemeanor => "misdemeanor",
        OffenseLevel.FelonyA => "felony-A",
        OffenseLevel.FelonyB => "felony-B",
        OffenseLevel.FelonyC => "felony-C",
        OffenseLevel.FelonyD => "felony-D",
        _ => "felony-E",
    };

    public static string Of(Disposition disposition) => disposition.ToString().ToLowerInvariant();
}
