using System.Text.Json;
using System.Text.Json.Serialization;

namespace Haven.Features.Relief;

/// <summary>
/// A rule file: the record-relief law of one jurisdiction as ordered, declarative data. It names the text it encodes,
/// with effective dates and sources. Adding a state is adding a file in Features/Relief/Rules (docs/relief-rules.md).
/// </summary>
public sealed class ReliefRuleFile
{
    public required string Jurisdiction { get; init; }
    public required string Name { get; init; }
    /// <summary>Which text of which provisions the file encodes, and as of when.</summary>
    public required string Encodes { get; init; }
    /// <summary>What an attorney must confirm before the file is relied on (dates, lists that may be incomplete).</summary>
    public string? Verify { get; init; }
    /// <summary>The codes offense sections may come from ("PL"), each with its known articles, or none for any number.</summary>
    public required Dictionary<string, List<int>?> Sections { get; init; }
    public required List<ReliefRule> Reliefs { get; init; }
}

public sealed class ReliefRule
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Provision { get; init; }
    /// <summary>The version of the text: the session law or rule that last amended it.</summary>
    public required string Text { get; init; }
    /// <summary>When the text took effect, where a check depends on it; null where no check does.</summary>
    public DateOnly? Effective { get; init; }
    public required string Source { get; init; }
    /// <summary>What a charge must be for this relief to be considered at all; otherwise no finding is given.</summary>
    public List<ReliefCheck> Applies { get; init; } = [];
    /// <summary>Elements in order: the first that fails decides; unknown facts make it "needs attorney review".</summary>
    public List<ReliefCheck> Checks { get; init; } = [];
    /// <summary>The outcome when every element is met.</summary>
    public required ReliefCheck Result { get; init; }
}

/// <summary>
/// One element. <see cref="Test"/> names what is checked (docs/relief-rules.md lists them); <see cref="Outcome"/> and
/// <see cref="Reason"/> say what follows when it is not met; <see cref="Met"/> is said when it is.
/// </summary>
public sealed class ReliefCheck
{
    public required string Test { get; init; }
    public List<string> In { get; init; } = [];
    public List<string> Except { get; init; } = [];
    /// <summary>Offenses that count as documented trafficking when the person was under 18 (commercial sex).</summary>
    public List<string> MinorOffenses { get; init; } = [];
    public int Years { get; init; }
    public int Months { get; init; }
    public Dictionary<string, int> YearsByLevel { get; init; } = [];
    public string From { get; init; } = "record";
    public bool ResetOnLaterConviction { get; init; }
    public int Count { get; init; }
    public int Felonies { get; init; }
    public DateOnly? Date { get; init; }
    public string Outcome { get; init; } = "not_eligible";
    public string? Reason { get; init; }
    public string? Met { get; init; }
    public string? Unknown { get; init; }
    public string? Deadline { get; init; }
    public string? Provision { get; init; }
}

public static class ReliefRuleFiles
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Features", "Relief", "Rules");

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Reads a rule file's JSON (snake_case, comments allowed, no unknown fields); a mistake names the file.</summary>
    public static T Read<T>(string json, string name) where T : class
    {
        try { return JsonSerializer.Deserialize<T>(json, Json) ?? throw new JsonException("the file is empty"); }
        catch (JsonException e) { throw new InvalidDataException($"Rule file {name}: {e.Message}"); }
    }

    static readonly Lazy<ReliefEngine> builtIn = new(() => new ReliefEngine(LoadFolder(Folder)));

    /// <summary>The rule files shipped with Haven.</summary>
    public static ReliefEngine BuiltIn => builtIn.Value;

    public static List<ReliefRuleFile> LoadFolder(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(f => Parse(File.ReadAllText(f), Path.GetFileName(f)))];

    /// <summary>Reads and checks one rule file; a mistake names the file and what is wrong.</summary>
    public static ReliefRuleFile Parse(string json, string name)
    {
        var file = Read<ReliefRuleFile>(json, name);
        var problems = new List<string>();
        foreach (var relief in file.Reliefs)
            foreach (var check in relief.Applies.Concat(relief.Checks).Append(relief.Result))
                if (ReliefEngine.Problem(check, relief) is { } problem) problems.Add($"{relief.Id}: {problem}");
        if (file.Reliefs.GroupBy(r => r.Id).FirstOrDefault(g => g.Count() > 1) is { } twice) problems.Add($"relief id '{twice.Key}' is used twice");
        if (problems.Count > 0) throw new InvalidDataException($"Rule file {name}: {string.Join("; ", problems)}.");
        return file;
    }
}
