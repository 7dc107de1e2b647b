using System.Globalization;

namespace Haven.Features.Relief;

/// <summary>
/// Evaluates record-relief rule files against one person's charges as of a date. Plain C#, no I/O: the client
/// pages, the API and the bulk screener all call Evaluate. Each finding carries its reasons and the
/// provisions applied; an unknown fact or a discretionary decision is "needs attorney review", never a guess.
/// </summary>
public sealed class ReliefEngine
{
    readonly Dictionary<string, ReliefRuleFile> files;
    readonly Dictionary<string, List<Compiled>> reliefs;

    public ReliefEngine(IEnumerable<ReliefRuleFile> ruleFiles)
    {
        files = ruleFiles.ToDictionary(f => f.Jurisdiction.ToUpperInvariant());
        reliefs = files.ToDictionary(f => f.Key, f => f.Value.Reliefs.Select(r => new Compiled(r)).ToList());
    }

    public IReadOnlyCollection<ReliefRuleFile> Files => files.Values;

    public IEnumerable<string> Jurisdictions => files.Keys;

    /// <summary>Whether the jurisdiction's rules know the section's code and, for codes with articles listed, its article.</summary>
    public bool KnowsSection(string jurisdiction, string section)
    {
        if (!files.TryGetValue(jurisdiction, out var file)) return false;
        var space = section.LastIndexOf(' ');
        if (space <= 0 || space == section.Length - 1) return false;
        var number = section[(space + 1)..];
        if (!char.IsDigit(number[0])) return false;
        if (!file.Sections.TryGetValue(section[..space], out var articles)) return false;
        if (articles is null) return true;
        var dot = number.IndexOf('.');
        return dot > 0 && int.TryParse(number.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var article) && articles.Contains(article);
    }

    /// <summary>Adds a finding for each relief that applies to each of the person's charges.</summary>
    public void Evaluate(IReadOnlyList<ChargeRecord> person, DateOnly asOf, DateOnly? birthDate, List<ReliefFinding> findings)
    {
        var context = new Person(person, asOf, birthDate);
        foreach (var record in person)
        {
            if (!reliefs.TryGetValue(record.Jurisdiction, out var rules)) continue;
            foreach (var rule in rules)
                if (rule.Evaluate(record, context) is { } finding) findings.Add(finding);
        }
    }

    public List<ReliefFinding> Evaluate(IReadOnlyList<ChargeRecord> person, DateOnly asOf, DateOnly? birthDate = null)
    {
        var findings = new List<ReliefFinding>();
        Evaluate(person, asOf, birthDate, findings);
        return findings;
    }

    /// <summary>What is wrong with a check as written in a rule file, or null.</summary>
    public static string? Problem(ReliefCheck check, ReliefRule rule)
    {
        if (!Tests.Contains(check.Test)) return $"unknown test '{check.Test}' (known: {string.Join(", ", Tests)})";
        try { ReliefNames.OutcomeOf(check.Outcome); }
        catch (FormatException e) { return e.Message; }
        if (check.Test is "disposition" && check.In.FirstOrDefault(d => !ReliefNames.Dispositions.ContainsKey(d)) is { } d1) return $"'{d1}' is not a disposition";
        if (check.Test is "level" or "not_level" && check.In.FirstOrDefault(l => l != "felony" && !ReliefNames.Levels.ContainsKey(l)) is { } l1) return $"'{l1}' is not an offense level";
        if (check.Test is "nexus" && check.In.FirstOrDefault(n => !ReliefNames.Nexuses.ContainsKey(n)) is { } n1) return $"'{n1}' is not a trafficking nexus";
        if (check.Test is "years_since" && check.Years <= 0 && check.Months <= 0 && check.YearsByLevel.Count == 0) return "years_since needs years, months or years_by_level";
        if (check.Test is "years_since" && check.From is not ("record" or "disposition" or "latest_conviction")) return "from must be record, disposition or latest_conviction";
        if (check.Test is "on_or_after" && check.Date is null) return "on_or_after needs a date";
        if (check.Test is "in_force" && check.Date is null && rule.Effective is null) return "in_force needs the relief's effective date";
        return null;
    }

    static readonly string[] Tests =
    [
        "always", "in_force", "on_or_after", "disposition", "level", "not_level", "offense", "not_offense", "nexus",
        "during_victimization", "years_since", "convictions_at_most", "no_pending", "supervision_ended", "due_diligence",
    ];

    /// <summary>What is worked out once per person: their convictions and pending charges.</summary>
    sealed class Person(IReadOnlyList<ChargeRecord> records, DateOnly asOf, DateOnly? birthDate)
    {
        public IReadOnlyList<ChargeRecord> Records => records;
        public DateOnly AsOf => asOf;
        public DateOnly? BirthDate => birthDate;
        int convictions = -1, felonies;

        public int Convictions { get { Count(); return convictions; } }
        public int Felonies { get { Count(); return felonies; } }
        public bool AnyPending => records.Any(r => r.Disposition == Disposition.Pending);

        void Count()
        {
            if (convictions >= 0) return;
            convictions = 0;
            foreach (var r in records)
                if (r.IsConviction && r.Level != OffenseLevel.Violation) { convictions++; if (r.IsFelony) felonies++; }
        }
    }

    enum Verdict { Met, Failed, Unknown }

    /// <summary>A relief with its checks read once: patterns split, outcomes parsed.</summary>
    sealed class Compiled(ReliefRule rule)
    {
        readonly Check[] applies = [.. rule.Applies.Select(c => new Check(c, rule))];
        readonly Check[] checks = [.. rule.Checks.Select(c => new Check(c, rule))];
        readonly Check result = new(rule.Result, rule);
        readonly string[] provisions = [rule.Provision];

        public ReliefFinding? Evaluate(ChargeRecord record, Person person)
        {
            foreach (var a in applies)
                if (a.Test(record, person, out _) != Verdict.Met) return null;
            List<string>? reasons = null;
            List<string>? unknown = null;
            ReliefDeadline? deadline = null;
            foreach (var c in checks)
            {
                var verdict = c.Test(record, person, out var date);
                if (verdict == Verdict.Met)
                {
                    if (c.Met is { } met && c.Shows(record, person)) (reasons ??= []).Add(c.Say(met, record, person, date));
                    continue;
                }
                if (verdict == Verdict.Unknown) { (unknown ??= []).Add(c.Say(c.UnknownText, record, person, date)); continue; }
                if (c.Deadline is { } what && date is { } due) deadline = new ReliefDeadline(due, c.Say(what, record, person, date));
                // With an earlier fact unknown, only a definite bar decides; anything else needs review.
                if (unknown is not null && c.Outcome is not (ReliefOutcome.NotEligible or ReliefOutcome.AlreadySealed)) break;
                (reasons ??= []).Add(c.Say(c.Reason, record, person, date));
                return new ReliefFinding(record.RecordId, rule.Id, c.Outcome, reasons, c.Provisions, deadline) { Because = c.Reason };
            }
            if (unknown is not null)
            {
                (reasons ??= []).AddRange(unknown);
                return new ReliefFinding(record.RecordId, rule.Id, ReliefOutcome.NeedsReview, reasons, provisions, deadline) { Because = unknown[0] };
            }
            (reasons ??= []).Add(result.Say(result.Reason, record, person, null));
            return new ReliefFinding(record.RecordId, rule.Id, result.Outcome, reasons, provisions, deadline) { Because = result.Reason };
        }
    }

    sealed class Check
    {
        readonly ReliefCheck c;
        readonly string[] exact, prefixes, exceptExact, exceptPrefixes, minorExact, minorPrefixes;
        readonly HashSet<Disposition> dispositions = [];
        readonly HashSet<OffenseLevel> levels = [];
        readonly HashSet<TraffickingNexus> nexuses = [];
        readonly DateOnly? effective;

        public Check(ReliefCheck check, ReliefRule rule)
        {
            c = check;
            effective = check.Date ?? rule.Effective;
            Outcome = ReliefNames.OutcomeOf(check.Outcome);
            Provisions = check.Provision is { } p && p != rule.Provision ? [rule.Provision, p] : [rule.Provision];
            (exact, prefixes) = Patterns(check.In);
            (exceptExact, exceptPrefixes) = Patterns(check.Except);
            (minorExact, minorPrefixes) = Patterns(check.MinorOffenses);
            foreach (var v in check.In)
            {
                if (ReliefNames.Dispositions.TryGetValue(v, out var d)) dispositions.Add(d);
                if (ReliefNames.Nexuses.TryGetValue(v, out var n)) nexuses.Add(n);
                if (ReliefNames.Levels.TryGetValue(v, out var l)) levels.Add(l);
                if (v == "felony") levels.UnionWith([OffenseLevel.FelonyA, OffenseLevel.FelonyB, OffenseLevel.FelonyC, OffenseLevel.FelonyD, OffenseLevel.FelonyE]);
            }
        }

        public ReliefOutcome Outcome { get; }
        public string[] Provisions { get; }
        public string? Met => c.Met;
        public string? Deadline => c.Deadline;
        public string Reason => c.Reason ?? c.Test;

        /// <summary>Whether a met element is worth saying: the time since the trafficking only once it is long.</summary>
        public bool Shows(ChargeRecord r, Person person) =>
            c.Test != "due_diligence" || (r.VictimUntil is { } until && person.AsOf > until.AddYears(c.Years));

        public string UnknownText => c.Unknown ?? c.Test switch
        {
            "during_victimization" => "the arrest date or the dates of the trafficking are not given",
            "years_since" => "the sentence date is not given",
            "nexus" => "whether the charge is tied to trafficking is not known",
            _ => "a fact this element needs is not given",
        };

        static (string[] Exact, string[] Prefixes) Patterns(List<string> patterns) =>
            ([.. patterns.Where(p => !p.EndsWith('*')).Select(RecordCsv.NormalizeSection)],
             [.. patterns.Where(p => p.EndsWith('*')).Select(p => RecordCsv.NormalizeSection(p[..^1]))]);

        static bool Matches(string section, string[] exact, string[] prefixes)
        {
            foreach (var e in exact) if (section == e) return true;
            foreach (var p in prefixes) if (section.StartsWith(p, StringComparison.Ordinal)) return true;
            return false;
        }

        public Verdict Test(ChargeRecord r, Person person, out DateOnly? date)
        {
            date = null;
            switch (c.Test)
            {
                case "always": return Verdict.Failed;
                case "in_force":
                    date = effective;
                    return person.AsOf >= effective ? Verdict.Met : Verdict.Failed;
                case "on_or_after":
                    date = c.Date;
                    return person.AsOf >= c.Date ? Verdict.Met : Verdict.Failed;
                case "disposition": return dispositions.Contains(r.Disposition) ? Verdict.Met : Verdict.Failed;
                case "level": return levels.Contains(r.Level) ? Verdict.Met : Verdict.Failed;
                case "not_level":
                    return levels.Contains(r.Level) && !Matches(r.OffenseSection, exceptExact, exceptPrefixes) ? Verdict.Failed : Verdict.Met;
                case "offense": return Matches(r.OffenseSection, exact, prefixes) ? Verdict.Met : Verdict.Failed;
                case "not_offense":
                    return Matches(r.OffenseSection, exact, prefixes) && !Matches(r.OffenseSection, exceptExact, exceptPrefixes) ? Verdict.Failed : Verdict.Met;
                case "nexus":
                    if (nexuses.Contains(r.Nexus)) return Verdict.Met;
                    // A person under 18 in commercial sex is a trafficking victim under federal law, without force, fraud or coercion.
                    if (person.BirthDate is { } born && r.ArrestDate is { } arrested && arrested < born.AddYears(18)
                        && Matches(r.OffenseSection, minorExact, minorPrefixes) && nexuses.Contains(TraffickingNexus.Documented)) return Verdict.Met;
                    return Verdict.Failed;
                case "during_victimization":
                    if (r.ArrestDate is not { } arrest || r.VictimFrom is not { } from) return Verdict.Unknown;
                    if (arrest < from) return Verdict.Failed;
                    if (r.VictimUntil is { } until) return arrest <= until ? Verdict.Met : Verdict.Failed;
                    return Verdict.Unknown;
                case "years_since": return YearsSince(r, person, out date);
                case "convictions_at_most":
                    return person.Convictions <= c.Count && person.Felonies <= c.Felonies ? Verdict.Met : Verdict.Failed;
                case "no_pending": return person.AnyPending ? Verdict.Failed : Verdict.Met;
                case "supervision_ended":
                    date = r.SupervisionEndDate;
                    return r.SupervisionEndDate is { } end && end > person.AsOf ? Verdict.Failed : Verdict.Met;
                case "due_diligence":
                    // Never decides: the court weighs the time taken, and safety concerns excuse delay.
                    return Verdict.Met;
                default: throw new InvalidOperationException("unknown test " + c.Test);
            }
        }

        Verdict YearsSince(ChargeRecord r, Person person, out DateOnly? date)
        {
            date = null;
            DateOnly start;
            if (c.From == "latest_conviction")
            {
                DateOnly? latest = null;
                foreach (var other in person.Records)
                {
                    if (!other.IsConviction || other.Level == OffenseLevel.Violation) continue;
                    if (other.SentenceServed is not { } served) return Verdict.Unknown;
                    if (latest is null || served > latest) latest = served;
                }
                if (latest is not { } l) return Verdict.Unknown;
                start = l;
            }
            else if (c.From == "disposition")
            {
                if (r.DispositionDate is not { } decided) return Verdict.Unknown;
                start = decided;
            }
            else
            {
                if (r.SentenceServed is not { } served) return Verdict.Unknown;
                start = served;
                if (c.ResetOnLaterConviction)
                    foreach (var other in person.Records)
                        if (other.IsConviction && other.Level != OffenseLevel.Violation && other.DispositionDate > r.DispositionDate
                            && other.SentenceServed is { } later && later > start) start = later;
            }
            var years = c.Years;
            if (c.YearsByLevel.Count > 0)
            {
                var name = ReliefNames.Of(r.Level);
                if (!c.YearsByLevel.TryGetValue(name, out years) && !(r.IsFelony && c.YearsByLevel.TryGetValue("felony", out years))) return Verdict.Unknown;
            }
            var due = start.AddYears(years).AddMonths(c.Months);
            date = due;
            return person.AsOf >= due ? Verdict.Met : Verdict.Failed;
        }

        public string Say(string text, ChargeRecord r, Person person, DateOnly? date)
        {
            if (!text.Contains('{')) return text;
            return text
                .Replace("{date}", date?.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) ?? "an unknown date")
                .Replace("{section}", r.OffenseSection)
                .Replace("{years}", r.VictimUntil is { } until ? ((person.AsOf.DayNumber - until.DayNumber) / 365).ToString(CultureInfo.InvariantCulture) : "some");
        }
    }
}
