using System.Text.Json;
using System.Text.Json.Serialization;

namespace Haven.Features.Screening;

public enum InstrumentKind { Indicators = 1, Needs = 2, Court = 3 }

public enum QuestionType { YesNo = 1, Choice = 2, Multiple = 3, Number = 4, Date = 5, Text = 6 }

public enum TranslationStatus { Reviewed = 1, Draft = 2 }

/// <summary>Per-language text; English is required and is the fallback.</summary>
public sealed class LocalText : Dictionary<string, string>
{
    public LocalText() : base(StringComparer.OrdinalIgnoreCase) { }
}

/// <summary>What an answer raises: indicator codes, needs the person named, facts (see <see cref="Facts"/>), and the
/// ISIC sections (A to U) of work the person did, for the HTCDS labour industry field. <see cref="Track"/> says in
/// which work the indicators happened when the question itself is about one kind of work; without it, they count on
/// the track of the work the person named (see <see cref="ScreeningEngine"/>).</summary>
public sealed record Raises(List<string>? Indicators = null, List<string>? Needs = null, List<string>? Facts = null, List<string>? Industries = null,
    Exploitation? Track = null);

/// <summary>Skip logic: the question is shown only when another question's answer is one of these values.</summary>
public sealed record Condition(string Question, List<string> In);

public sealed record AnswerOption(string Id, LocalText Text, Raises? Raises = null);

/// <summary>A number answer below a value raises something (for example an age under 18 raises the fact "minor").</summary>
public sealed record NumberRule(double Value, Raises Raises);

/// <summary>A question. <see cref="Revised"/> is the instrument version in which its wording or meaning last changed:
/// an answer given to an earlier version is to a different question, so re-evaluation does not carry it over.</summary>
public sealed record Question(
    string Id,
    QuestionType Type,
    LocalText Text,
    LocalText? Guidance = null,
    Condition? ShowIf = null,
    List<AnswerOption>? Options = null,
    Dictionary<string, Raises>? Raises = null,
    NumberRule? Below = null,
    double? Min = null,
    double? Max = null,
    string? Revised = null);

public sealed record Section(string Id, LocalText Title, List<Question> Questions, LocalText? Guidance = null);

/// <summary>An instrument file as written. Loaded and checked by <see cref="InstrumentLibrary"/>, used through <see cref="Instrument"/>.</summary>
public sealed record InstrumentFile(
    string Id,
    string Version,
    InstrumentKind Kind,
    LocalText Title,
    Dictionary<string, TranslationStatus> Languages,
    List<Section> Sections,
    LocalText? Introduction = null,
    LocalText? ScreenerGuidance = null);

/// <summary>A checked instrument: questions in order, indexed, with the order in which skip logic is resolved.</summary>
public sealed class Instrument
{
    public const string English = "en";
    /// <summary>Values a yes / no question accepts. Every question can also be left unanswered.</summary>
    public static readonly IReadOnlyList<string> YesNoValues = ["yes", "no", "unsure", "prefer-not"];
    public const int TextMax = 2000;

    public InstrumentFile File { get; }
    public string Id => File.Id;
    public string Version => File.Version;
    public InstrumentKind Kind => File.Kind;
    public IReadOnlyList<Question> Questions { get; }
    public IReadOnlyDictionary<string, int> IndexOf { get; }
    /// <summary>For each question, the index of the question its display depends on, or -1.</summary>
    internal int[] DependsOn { get; }
    /// <summary>Question indexes with every dependency before its dependants.</summary>
    internal int[] ResolveOrder { get; }
    internal HashSet<string>?[] ShowValues { get; }
    internal Dictionary<string, AnswerOption>?[] OptionsById { get; }

    internal Instrument(InstrumentFile file, int[] resolveOrder)
    {
        File = file;
        Questions = [.. file.Sections.SelectMany(s => s.Questions)];
        IndexOf = Questions.Select((q, i) => (q.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        DependsOn = [.. Questions.Select(q => q.ShowIf is { } c ? IndexOf[c.Question] : -1)];
        ShowValues = [.. Questions.Select(q => q.ShowIf is { } c ? new HashSet<string>(c.In, StringComparer.Ordinal) : null)];
        OptionsById = [.. Questions.Select(q => q.Options?.ToDictionary(o => o.Id, StringComparer.Ordinal))];
        ResolveOrder = resolveOrder;
        RaisesByAnswer = [.. Questions.Select(q => q.Type == QuestionType.YesNo
            ? q.Raises?.ToDictionary(r => r.Key, r => Compile(r.Value), StringComparer.Ordinal)
            : q.Options?.ToDictionary(o => o.Id, o => Compile(o.Raises), StringComparer.Ordinal))];
        BelowRaises = [.. Questions.Select(q => q.Below is null ? null : Compile(q.Below.Raises))];
        AsksAge = [.. Questions.Select(q => new[] { q.Below?.Raises }.Concat(q.Raises?.Values.AsEnumerable() ?? []).Concat((q.Options ?? []).Select(o => o.Raises))
            .Any(r => r?.Facts?.Contains(Facts.Minor) == true))];
    }

    /// <summary>What each answer value (yes / no value or option id) raises, with indicators as catalogue positions.</summary>
    internal Dictionary<string, CompiledRaises>?[] RaisesByAnswer { get; }
    internal CompiledRaises?[] BelowRaises { get; }

    /// <summary>Indicators as catalogue positions, each with the forced-labour indicator it belongs to.</summary>
    static CompiledRaises Compile(Raises? raises)
    {
        var indicators = new List<int>();
        foreach (var code in raises?.Indicators ?? [])
        {
            indicators.Add(IndicatorCatalogue.IndexOf[code]);
            if (IndicatorCatalogue.ByCode[code].ForcedLabour is { } forced) indicators.Add(IndicatorCatalogue.IndexOf[forced]);
        }
        return new CompiledRaises([.. indicators.Distinct()], [.. raises?.Needs ?? []], [.. raises?.Facts ?? []], [.. raises?.Industries ?? []], raises?.Track);
    }

    /// <summary>Questions whose answer can say the person is under 18: an answer to one means the age was given.</summary>
    internal bool[] AsksAge { get; }

    public IEnumerable<string> Languages => File.Languages.Keys;

    /// <summary>The language to show: the one asked for if the instrument has it, else English (and says so).</summary>
    public (string Language, bool FellBack) Resolve(string? language)
    {
        if (string.IsNullOrWhiteSpace(language)) return (English, false);
        var match = File.Languages.Keys.FirstOrDefault(l => string.Equals(l, language, StringComparison.OrdinalIgnoreCase));
        return match is null ? (English, true) : (match, false);
    }

    public bool IsDraft(string language) => File.Languages.TryGetValue(language, out var s) && s == TranslationStatus.Draft;

    public static string Text(LocalText? text, string language) =>
        text is null ? "" : text.TryGetValue(language, out var t) ? t : text.GetValueOrDefault(English, "");
}

internal sealed record CompiledRaises(int[] Indicators, string[] Needs, string[] Facts, string[] Industries, Exploitation? Track);

/// <summary>An instrument file that was refused, and why.</summary>
public sealed record RefusedInstrument(string File, IReadOnlyList<string> Problems);

/// <summary>Loads instrument files and refuses any that are invalid, naming the file, the question and the problem.</summary>
public sealed class InstrumentLibrary
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public IReadOnlyDictionary<string, Instrument> Instruments { get; }
    public IReadOnlyList<RefusedInstrument> Refused { get; }

    InstrumentLibrary(Dictionary<string, Instrument> instruments, List<RefusedInstrument> refused)
    {
        Instruments = instruments;
        Refused = refused;
    }

    /// <summary>The instruments shipped with Haven, next to the program.</summary>
    public static string BuiltInDirectory => Path.Combine(AppContext.BaseDirectory, "Features", "Screening", "Instruments");

    public static InstrumentLibrary LoadDirectory(string directory)
    {
        var files = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).ToList() : [];
        return Load(files.Select(f => (Path.GetFileName(f), File.ReadAllText(f))));
    }

    public static InstrumentLibrary Load(IEnumerable<(string File, string Json)> files)
    {
        var instruments = new Dictionary<string, Instrument>(StringComparer.Ordinal);
        var refused = new List<RefusedInstrument>();
        foreach (var (file, json) in files)
        {
            var (instrument, problems) = Parse(file, json);
            if (instrument is not null && instruments.ContainsKey(instrument.Id))
                problems = [$"{file}: instrument id \"{instrument.Id}\" is already used by another file."];
            if (problems.Count > 0 || instrument is null) refused.Add(new RefusedInstrument(file, problems));
            else instruments[instrument.Id] = instrument;
        }
        return new InstrumentLibrary(instruments, refused);
    }

    public static (Instrument? Instrument, List<string> Problems) Parse(string file, string json)
    {
        InstrumentFile? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<InstrumentFile>(json, Json);
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 0 } path ? $" at {path}" : "";
            return (null, [$"{file}: not a valid instrument file{where}: {FirstLine(e.Message)}"]);
        }
        if (parsed is null) return (null, [$"{file}: the file is empty."]);
        var problems = InstrumentValidator.Check(file, parsed, out var order);
        return problems.Count > 0 ? (null, problems) : (new Instrument(parsed, order!), problems);
    }

    static string FirstLine(string message) => message.Split('\n')[0].Split(" Path:")[0].Trim();
}
