using System.Globalization;

namespace Haven.Features.ServiceDirectory;

/// <summary>Weekly opening hours from an HSDS schedule: days (MO…SU) and a time range; closes before opens means past midnight.</summary>
public sealed record OpeningHours(IReadOnlySet<DayOfWeek> Days, TimeOnly Opens, TimeOnly Closes)
{
    static readonly Dictionary<string, DayOfWeek> DayCodes = new()
    {
        ["MO"] = DayOfWeek.Monday,
        ["TU"] = DayOfWeek.Tuesday,
        ["WE"] = DayOfWeek.Wednesday,
        ["TH"] = DayOfWeek.Thursday,
        ["FR"] = DayOfWeek.Friday,
        ["SA"] = DayOfWeek.Saturday,
        ["SU"] = DayOfWeek.Sunday,
    };

    /// <summary>Reads a weekly schedule (freq WEEKLY or none, byday, opens_at, closes_at); null when it says no hours.</summary>
    public static OpeningHours? Parse(string? freq, string? byday, string? opensAt, string? closesAt)
    {
        if (freq is not null && !freq.Equals("WEEKLY", StringComparison.OrdinalIgnoreCase)) return null;
        if (!TimeOnly.TryParse(opensAt, CultureInfo.InvariantCulture, out var opens) || !TimeOnly.TryParse(closesAt, CultureInfo.InvariantCulture, out var closes)) return null;
        var days = (byday ?? "MO,TU,WE,TH,FR,SA,SU").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => DayCodes.GetValueOrDefault(d.Length >= 2 ? d[^2..].ToUpperInvariant() : d, (DayOfWeek)(-1))).Where(d => (int)d >= 0).ToHashSet();
        return days.Count == 0 ? null : new OpeningHours(days, opens, closes);
    }

    /// <summary>The short form kept on a service row: "MO,TU 09:00 17:00".</summary>
    public string Compact => $"{string.Join(',', Days.Order().Select(d => DayCodes.First(c => c.Value == d).Key))} {Opens:HH\\:mm} {Closes:HH\\:mm}";

    public static OpeningHours? FromCompact(string compact) =>
        compact.Split(' ') is [var days, var opens, var closes] ? Parse(null, days, opens, closes) : null;

    public bool IsOpen(DateTime local)
    {
        var time = TimeOnly.FromDateTime(local);
        if (Opens <= Closes) return Days.Contains(local.DayOfWeek) && time >= Opens && time <= Closes;
        // Past midnight: open from Opens on a listed day until Closes the next morning.
        return (Days.Contains(local.DayOfWeek) && time >= Opens) || (Days.Contains(local.AddDays(-1).DayOfWeek) && time <= Closes);
    }
}

public sealed record Capacity(int Available, int Maximum, string Unit, DateTime UpdatedAt);

/// <summary>A service as matching sees it. Distance is null for a confidential site (only its general area is known).</summary>
public sealed record MatchCandidate(
    string ServiceId,
    string Name,
    string? Area,
    IReadOnlySet<string> Needs,
    IReadOnlySet<string> Attributes,
    IReadOnlySet<string> Languages,
    int? MinimumAge,
    int? MaximumAge,
    double? DistanceMetres,
    bool Confidential,
    IReadOnlyList<OpeningHours> Hours,
    Capacity? Capacity,
    DateTime? VerifiedAt,
    Guid? ListedBy);

/// <summary>What the person needs and requires. Every list is "any of" for needs and languages, "all of" for attributes.</summary>
public sealed record MatchRequest(
    IReadOnlyList<string> Needs,
    IReadOnlyList<string> Languages,
    IReadOnlyList<string> RequiredAttributes,
    int? Age = null,
    double? RadiusMetres = null,
    DateTime? OpenAt = null,
    bool NeedsCapacity = false);

public sealed record Match(MatchCandidate Service, string Explanation, bool Stale);

public sealed record LeftOut(MatchCandidate Service, IReadOnlyList<string> Reasons);

public sealed record MatchOutcome(IReadOnlyList<Match> Matches, IReadOnlyList<LeftOut> LeftOut);

/// <summary>
/// Ranks services for a person's needs and says why, in plain words: what each match meets, how far, how fresh its
/// capacity is; and for close candidates left out, what they lacked. No I/O: candidates come in, words go out.
/// </summary>
public static class MatchingEngine
{
    public static MatchOutcome Rank(IEnumerable<MatchCandidate> candidates, MatchRequest request, DateTime now, TimeSpan staleAfter, int take = 25, int leftOut = 5)
    {
        var matches = new List<(MatchCandidate C, int Needs, string Text)>();
        var misses = new List<(MatchCandidate C, List<string> Reasons)>();
        foreach (var c in candidates)
        {
            var reasons = new List<string>();
            var meets = new List<string>();
            var needs = request.Needs.Where(c.Needs.Contains).ToList();
            if (request.Needs.Count > 0 && needs.Count == 0) reasons.Add("meets none of the needs");
            meets.AddRange(needs.Select(n => Screening.Needs.All.TryGetValue(n, out var label) ? label.ToLowerInvariant() : n));

            if (request.Languages.Count > 0)
            {
                var spoken = request.Languages.Where(l => c.Languages.Contains(l.ToLowerInvariant())).ToList();
                if (spoken.Count == 0) reasons.Add("no " + string.Join(" or ", request.Languages.Select(LanguageName)));
                else meets.AddRange(spoken.Select(LanguageName));
            }
            foreach (var attribute in request.RequiredAttributes)
            {
                var label = DirectoryVocabulary.Attributes.GetValueOrDefault(attribute, attribute);
                if (c.Attributes.Contains(attribute)) meets.Add(Lower(label));
                else reasons.Add("not " + Lower(label));
            }
            if (request.Age is { } age && ((c.MinimumAge is { } min && age < min) || (c.MaximumAge is { } max && age > max)))
                reasons.Add($"serves ages {c.MinimumAge?.ToString(CultureInfo.InvariantCulture) ?? "0"} to {c.MaximumAge?.ToString(CultureInfo.InvariantCulture) ?? "any"}");
            if (request.RadiusMetres is { } radius && c.DistanceMetres is { } distance && distance > radius)
                reasons.Add($"{Km(distance)} away, beyond {Km(radius)}");
            if (request.OpenAt is { } at && c.Hours.Count > 0 && !c.Hours.Any(h => h.IsOpen(at)))
                reasons.Add("closed at " + at.ToString("dddd HH:mm", CultureInfo.InvariantCulture));
            if (request.NeedsCapacity && c.Capacity is { Available: <= 0 } full)
                reasons.Add($"no {full.Unit} free (updated {Ago(now - full.UpdatedAt)})");

            if (reasons.Count > 0) { misses.Add((c, reasons)); continue; }
            var parts = new List<string> { "meets: " + (meets.Count > 0 ? string.Join(", ", meets) : "the search") };
            parts.Add(c.DistanceMetres is { } d ? Km(d) : c.Confidential ? $"confidential location{(c.Area is null ? "" : " in " + c.Area)}" : "distance not known");
            if (c.Capacity is { } cap) parts.Add($"{cap.Available} {cap.Unit} free, updated {Ago(now - cap.UpdatedAt)}");
            if (request.OpenAt is not null && c.Hours.Count == 0) parts.Add("hours not listed");
            matches.Add((c, needs.Count, string.Join("; ", parts)));
        }
        var ranked = matches
            .OrderByDescending(m => m.Needs)
            .ThenBy(m => m.C.DistanceMetres ?? double.MaxValue)
            .ThenBy(m => m.C.Name, StringComparer.Ordinal)
            .Take(take)
            .Select(m => new Match(m.C, m.Text, IsStale(m.C.VerifiedAt, now, staleAfter)))
            .ToList();
        // Close candidates: one thing missing, nearest first.
        var close = misses.Where(m => m.Reasons.Count == 1 && !m.Reasons[0].StartsWith("meets none", StringComparison.Ordinal))
            .OrderBy(m => m.C.DistanceMetres ?? double.MaxValue).Take(leftOut)
            .Select(m => new LeftOut(m.C, m.Reasons)).ToList();
        return new MatchOutcome(ranked, close);
    }

    /// <summary>A listing never verified, or not verified within the configured time, is stale.</summary>
    public static bool IsStale(DateTime? verifiedAt, DateTime now, TimeSpan staleAfter) => verifiedAt is not { } v || now - v > staleAfter;

    public static string Km(double metres) => metres < 10_000
        ? (metres / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " km"
        : (metres / 1000).ToString("0", CultureInfo.InvariantCulture) + " km";

    public static string Ago(TimeSpan span) => span.TotalMinutes < 2 ? "just now"
        : span.TotalHours < 2 ? $"{(int)span.TotalMinutes} minutes ago"
        : span.TotalDays < 2 ? $"{(int)span.TotalHours} hours ago"
        : $"{(int)span.TotalDays} days ago";

    static string Lower(string label) => label.Length > 1 && !char.IsUpper(label[1]) ? char.ToLowerInvariant(label[0]) + label[1..] : label;

    static readonly Dictionary<string, string> LanguageNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "English",
        ["es"] = "Spanish",
        ["zh"] = "Chinese",
        ["ko"] = "Korean",
        ["vi"] = "Vietnamese",
        ["tl"] = "Tagalog",
        ["ru"] = "Russian",
        ["ht"] = "Haitian Creole",
        ["fr"] = "French",
        ["ar"] = "Arabic",
        ["pt"] = "Portuguese",
        ["th"] = "Thai",
    };

    public static IReadOnlyDictionary<string, string> Languages => LanguageNames;

    public static string LanguageName(string code) => LanguageNames.GetValueOrDefault(code, code);
}
