using System.Globalization;

namespace Haven.Features.Relief;

/// <summary>
/// The immigration-options rule file: facts an attorney or trained advocate records (yes, no or a date; anything
/// unrecorded is unknown), the options with their elements in order, and the inadmissibility grounds that may need a
/// waiver. See docs/relief-rules.md.
/// </summary>
public sealed class ImmigrationRuleFile
{
    public required string Name { get; init; }
    public required string Encodes { get; init; }
    public string? Verify { get; init; }
    public required List<ImmigrationFact> Facts { get; init; }
    public required List<ImmigrationOption> Options { get; init; }
    public required List<InadmissibilityGround> Grounds { get; init; }
}

public sealed class ImmigrationFact
{
    public required string Id { get; init; }
    /// <summary>"yes-no" or "date".</summary>
    public required string Kind { get; init; }
    public required string Question { get; init; }
}

public sealed class ImmigrationOption
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Provision { get; init; }
    public required string Text { get; init; }
    public required string Source { get; init; }
    /// <summary>Who alone can start this option, when it is not the person (Continued Presence: federal law enforcement).</summary>
    public string? DependsOn { get; init; }
    public required List<ImmigrationElement> Elements { get; init; }
}

public sealed class ImmigrationElement
{
    public required string Label { get; init; }
    public string? Provision { get; init; }
    public required Condition When { get; init; }
    /// <summary>Weighed by the adjudicator: met facts still need an attorney's judgment.</summary>
    public bool Discretionary { get; init; }
    public List<string> Evidence { get; init; } = [];
}

/// <summary>A condition on the facts: a fact's answer, all of, any of, not, an age limit, or a time limit from a date.</summary>
public sealed class Condition
{
    public string? Fact { get; init; }
    public string Is { get; init; } = "yes";
    public List<Condition>? All { get; init; }
    public List<Condition>? Any { get; init; }
    public Condition? Not { get; init; }
    /// <summary>With a date fact (a birth date): met while the person is younger than this many years.</summary>
    public int? UnderAge { get; init; }
    /// <summary>With a date fact: met until this many years (or months) after it; the date is a deadline.</summary>
    public int? WithinYears { get; init; }
    public int? WithinMonths { get; init; }
    public string? Deadline { get; init; }
}

public sealed class InadmissibilityGround
{
    public required string Id { get; init; }
    public required string Label { get; init; }
    public required string Provision { get; init; }
    public required Condition When { get; init; }
    /// <summary>Option id to the waiver that may cover this ground for it.</summary>
    public required Dictionary<string, string> Waivers { get; init; }
}

public enum ElementState { Met, Unmet, Unknown }

public enum OptionOutcome { Possible, NeedsReview, NotMet }

public sealed record ElementResult(string Label, ElementState State, bool Discretionary, string? Provision);

public sealed record OptionDeadline(DateOnly Due, string What, int DaysLeft);

public sealed record GroundFlag(string Label, string Provision, bool Known, string? Waiver);

public sealed record OptionResult(
    string Id,
    string Name,
    string Provision,
    OptionOutcome Outcome,
    IReadOnlyList<ElementResult> Elements,
    IReadOnlyList<string> Evidence,
    IReadOnlyList<OptionDeadline> Deadlines,
    IReadOnlyList<GroundFlag> Grounds,
    string? DependsOn);

/// <summary>Plain C#, no I/O: facts in, options with each element met, unmet or unknown out.</summary>
public sealed class ImmigrationOptions(ImmigrationRuleFile file)
{
    public static readonly string RuleFile = Path.Combine(ReliefRuleFiles.Folder, "immigration", "us-immigration.json");

    static readonly Lazy<ImmigrationOptions> builtIn = new(() => new ImmigrationOptions(Parse(File.ReadAllText(RuleFile), Path.GetFileName(RuleFile))));

    public static ImmigrationOptions BuiltIn => builtIn.Value;

    public ImmigrationRuleFile Rules => file;

    /// <summary>Reads and checks the rule file: every condition names a fact of the right kind.</summary>
    public static ImmigrationRuleFile Parse(string json, string name)
    {
        var rules = ReliefRuleFiles.Read<ImmigrationRuleFile>(json, name);
        var kinds = rules.Facts.ToDictionary(f => f.Id, f => f.Kind);
        var problems = new List<string>();
        void Check(Condition c, string where)
        {
            var parts = new object?[] { c.Fact, c.All, c.Any, c.Not }.Count(p => p is not null);
            if (parts != 1) problems.Add($"{where}: a condition is exactly one of fact, all, any or not");
            if (c.Fact is { } fact)
            {
                if (!kinds.TryGetValue(fact, out var kind)) problems.Add($"{where}: unknown fact '{fact}'");
                else if ((c.UnderAge ?? c.WithinYears ?? c.WithinMonths) is not null ? kind != "date" : kind != "yes-no") problems.Add($"{where}: fact '{fact}' is a {kind}");
                else if (kind == "yes-no" && c.Is is not ("yes" or "no")) problems.Add($"{where}: is must be yes or no");
            }
            foreach (var inner in (c.All ?? []).Concat(c.Any ?? []).Append(c.Not).OfType<Condition>()) Check(inner, where);
        }
        foreach (var f in rules.Facts.Where(f => f.Kind is not ("yes-no" or "date"))) problems.Add($"fact '{f.Id}': kind must be yes-no or date");
        foreach (var o in rules.Options) foreach (var e in o.Elements) Check(e.When, $"{o.Id}/{e.Label}");
        foreach (var g in rules.Grounds)
        {
            Check(g.When, g.Id);
            foreach (var option in g.Waivers.Keys.Where(k => rules.Options.All(o => o.Id != k))) problems.Add($"{g.Id}: waiver for unknown option '{option}'");
        }
        if (problems.Count > 0) throw new InvalidDataException($"Rule file {name}: {string.Join("; ", problems)}.");
        return rules;
    }

    /// <summary>
    /// Checks recorded facts: each must be a fact of the file, "yes"/"no" or a date as its kind says, and no date after
    /// <paramref name="asOf"/>. Returns the problems by fact id; empty when all is well.
    /// </summary>
    public Dictionary<string, string> Problems(IReadOnlyDictionary<string, string> facts, DateOnly asOf)
    {
        var problems = new Dictionary<string, string>();
        var kinds = file.Facts.ToDictionary(f => f.Id, f => f.Kind);
        foreach (var (id, value) in facts)
        {
            if (!kinds.TryGetValue(id, out var kind)) problems[id] = $"'{id}' is not a fact the immigration rules ask about.";
            else if (kind == "yes-no" && value is not ("yes" or "no" or "unknown")) problems[id] = "Answer yes, no or unknown.";
            else if (kind == "date" && value != "unknown")
            {
                if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) problems[id] = "Give the date as YYYY-MM-DD.";
                else if (date > asOf) problems[id] = $"The date is after {asOf:yyyy-MM-dd}.";
            }
        }
        return problems;
    }

    /// <summary>Every option with its elements, evidence, deadlines and the grounds to flag. Facts must have passed <see cref="Problems"/>.</summary>
    public List<OptionResult> Evaluate(IReadOnlyDictionary<string, string> facts, DateOnly asOf)
    {
        var grounds = file.Grounds.Select(g => (Ground: g, State: State(g.When, facts, asOf, null))).Where(g => g.State != ElementState.Unmet).ToList();
        return [.. file.Options.Select(option =>
        {
            var deadlines = new List<OptionDeadline>();
            var elements = option.Elements.Select(e => new ElementResult(e.Label, State(e.When, facts, asOf, deadlines), e.Discretionary, e.Provision)).ToList();
            var outcome = elements.Any(e => e.State == ElementState.Unmet) ? OptionOutcome.NotMet
                : elements.Any(e => e.State == ElementState.Unknown || e.Discretionary) ? OptionOutcome.NeedsReview
                : OptionOutcome.Possible;
            var evidence = outcome == OptionOutcome.NotMet ? [] : option.Elements.SelectMany(e => e.Evidence).Distinct().ToList();
            var flags = grounds.Select(g => new GroundFlag(g.Ground.Label, g.Ground.Provision, g.State == ElementState.Met, g.Ground.Waivers.GetValueOrDefault(option.Id))).ToList();
            return new OptionResult(option.Id, option.Name, option.Provision, outcome, elements, evidence,
                [.. deadlines.DistinctBy(d => d.What).OrderBy(d => d.Due)], flags, option.DependsOn);
        })];
    }

    static ElementState State(Condition c, IReadOnlyDictionary<string, string> facts, DateOnly asOf, List<OptionDeadline>? deadlines)
    {
        if (c.All is { } all)
        {
            var states = all.Select(x => State(x, facts, asOf, deadlines)).ToList();
            return states.Contains(ElementState.Unmet) ? ElementState.Unmet : states.Contains(ElementState.Unknown) ? ElementState.Unknown : ElementState.Met;
        }
        if (c.Any is { } any)
        {
            var states = any.Select(x => State(x, facts, asOf, deadlines)).ToList();
            return states.Contains(ElementState.Met) ? ElementState.Met : states.Contains(ElementState.Unknown) ? ElementState.Unknown : ElementState.Unmet;
        }
        if (c.Not is { } not)
            return State(not, facts, asOf, deadlines) switch { ElementState.Met => ElementState.Unmet, ElementState.Unmet => ElementState.Met, _ => ElementState.Unknown };
        if (!facts.TryGetValue(c.Fact!, out var value) || value == "unknown") return ElementState.Unknown;
        if ((c.UnderAge ?? c.WithinYears ?? c.WithinMonths) is null) return value == c.Is ? ElementState.Met : ElementState.Unmet;
        var date = DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var due = c.UnderAge is { } age ? date.AddYears(age) : date.AddYears(c.WithinYears ?? 0).AddMonths(c.WithinMonths ?? 0);
        var met = asOf < due;
        if (met && c.Deadline is { } what) deadlines?.Add(new OptionDeadline(due, what, due.DayNumber - asOf.DayNumber));
        return met ? ElementState.Met : ElementState.Unmet;
    }
}
