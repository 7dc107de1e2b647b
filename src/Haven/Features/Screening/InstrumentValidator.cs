using System.Text.RegularExpressions;

namespace Haven.Features.Screening;

/// <summary>Checks an instrument file. Each problem names the file, the question (or section) and what is wrong.</summary>
public static partial class InstrumentValidator
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^\d+\.\d+(\.\d+)?$")]
    private static partial Regex VersionPattern();

    // Indicators describe what someone else did: the wording that raises one must name another person or their act.
    [GeneratedRegex(@"\b(someone|somebody|anyone|anybody|no one|nobody|they|them|people|person|boss|employer|recruiter|partner|made|make|makes|forced|force|threaten\w*|taken|sold|lied|promised|told)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ActorWording();

    // Abuse of vulnerability, and conditions that are indicators only when imposed: the wording must say someone used
    // or imposed the situation (ILO 2012, "abuse of vulnerability"), not only that the situation exists.
    [GeneratedRegex(@"\b(use|used|uses|using|advantage|abus\w*|impos\w*|make you|made you|makes you|made to|forced?|cannot refuse|can't refuse|say no|said no)\b", RegexOptions.IgnoreCase)]
    private static partial Regex UseWording();

    [GeneratedRegex(@"\bsex", RegexOptions.IgnoreCase)]
    private static partial Regex SexWording();

    public static List<string> Check(string file, InstrumentFile instrument, out int[]? resolveOrder)
    {
        var problems = new List<string>();
        void Problem(string where, string what) => problems.Add($"{file}: {where}: {what}");
        resolveOrder = null;

        if (!IdPattern().IsMatch(instrument.Id)) Problem("instrument", $"id \"{instrument.Id}\" must be lower-case letters, digits and hyphens.");
        if (!VersionPattern().IsMatch(instrument.Version)) Problem("instrument", $"version \"{instrument.Version}\" must look like 1.0 or 1.0.0.");
        if (!instrument.Languages.ContainsKey(Instrument.English)) Problem("instrument", "languages must include \"en\" (English is the fallback).");
        var languages = instrument.Languages.Keys.ToList();
        void Translated(string where, string field, LocalText? text, bool required = true)
        {
            if (text is null)
            {
                if (required) Problem(where, $"{field} is missing.");
                return;
            }
            foreach (var language in languages)
                if (!text.TryGetValue(language, out var value) || string.IsNullOrWhiteSpace(value))
                    Problem(where, $"{field} is missing the translation key \"{language}\".");
            foreach (var key in text.Keys.Where(k => !instrument.Languages.ContainsKey(k)))
                Problem(where, $"{field} has text in \"{key}\", a language the instrument does not declare.");
        }
        Translated("instrument", "title", instrument.Title);
        Translated("instrument", "introduction", instrument.Introduction, required: false);
        // Guidance is for the screener, who works in the screening's language: it is translated like everything else.
        void Guidance(string where, LocalText? text) => Translated(where, "guidance", text, required: false);
        Guidance("instrument", instrument.ScreenerGuidance);
        if (instrument.Sections.Count == 0) Problem("instrument", "has no sections.");

        var questions = instrument.Sections.SelectMany(s => s.Questions).ToList();
        var seenSections = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in instrument.Sections)
        {
            var where = $"section \"{section.Id}\"";
            if (!seenSections.Add(section.Id)) Problem(where, "duplicate section id.");
            Translated(where, "title", section.Title);
            Guidance(where, section.Guidance);
            if (section.Questions.Count == 0) Problem(where, "has no questions.");
        }

        var byId = new Dictionary<string, Question>(StringComparer.Ordinal);
        foreach (var q in questions)
        {
            var where = $"question \"{q.Id}\"";
            if (!IdPattern().IsMatch(q.Id)) Problem(where, "id must be lower-case letters, digits and hyphens.");
            if (!byId.TryAdd(q.Id, q)) Problem(where, "duplicate question id.");
            Translated(where, "text", q.Text);
            Guidance(where, q.Guidance);
            void CheckRaises(string what, Raises? raises, string? optionText = null)
            {
                if (raises is null) return;
                var wording = Instrument.Text(q.Text, Instrument.English) + " " + optionText;
                foreach (var problem in MeaningProblems(what, wording, raises)) Problem(where, problem);
                foreach (var code in raises.Indicators ?? [])
                    if (!IndicatorCatalogue.ByCode.ContainsKey(code)) Problem(where, $"{what} raises unknown indicator code \"{code}\".");
                foreach (var need in raises.Needs ?? [])
                    if (!Needs.All.ContainsKey(need)) Problem(where, $"{what} names unknown need \"{need}\".");
                foreach (var fact in raises.Facts ?? [])
                    if (!Facts.All.Contains(fact)) Problem(where, $"{what} sets unknown fact \"{fact}\".");
                foreach (var industry in raises.Industries ?? [])
                    if (!HtcdsExchange.IsicSections.ContainsKey(industry)) Problem(where, $"{what} names \"{industry}\", which is not an ISIC section letter (A to U).");
            }

            var hasOptions = q.Type is QuestionType.Choice or QuestionType.Multiple;
            if (hasOptions)
            {
                if (q.Options is not { Count: >= 2 }) Problem(where, "a choice question needs at least two options.");
                var optionIds = new HashSet<string>(StringComparer.Ordinal);
                foreach (var option in q.Options ?? [])
                {
                    if (!IdPattern().IsMatch(option.Id)) Problem(where, $"option id \"{option.Id}\" must be lower-case letters, digits and hyphens.");
                    if (!optionIds.Add(option.Id)) Problem(where, $"duplicate option id \"{option.Id}\".");
                    Translated(where, $"option \"{option.Id}\" text", option.Text);
                    CheckRaises($"option \"{option.Id}\"", option.Raises, Instrument.Text(option.Text, Instrument.English));
                }
            }
            else if (q.Options is not null) Problem(where, $"a {Name(q.Type)} question cannot have options.");

            if (q.Raises is not null)
            {
                if (q.Type != QuestionType.YesNo) Problem(where, "only yes / no questions raise by answer; choice questions raise per option.");
                foreach (var (answer, raises) in q.Raises)
                {
                    if (!Instrument.YesNoValues.Contains(answer)) Problem(where, $"raises for \"{answer}\", which is not one of {string.Join(", ", Instrument.YesNoValues)}.");
                    CheckRaises($"answer \"{answer}\"", raises);
                }
            }
            if (q.Below is not null)
            {
                if (q.Type != QuestionType.Number) Problem(where, "only number questions can raise below a value.");
                CheckRaises("a number below " + q.Below.Value, q.Below.Raises);
            }
            if ((q.Min is not null || q.Max is not null) && q.Type != QuestionType.Number) Problem(where, "min and max apply only to number questions.");
            if (q.Revised is { } revised && (!VersionPattern().IsMatch(revised)
                || VersionPattern().IsMatch(instrument.Version) && CompareVersions(revised, instrument.Version) > 0))
                Problem(where, $"revised \"{revised}\" must be a version no later than the instrument's ({instrument.Version}).");
            if (q.Min > q.Max) Problem(where, "min is above max.");
        }

        // Skip logic: conditions name a known question and values it can take, and never form a cycle.
        foreach (var q in questions.Where(q => q.ShowIf is not null))
        {
            var where = $"question \"{q.Id}\"";
            var condition = q.ShowIf!;
            if (!byId.TryGetValue(condition.Question, out var source))
            {
                Problem(where, $"display condition refers to unknown question \"{condition.Question}\".");
                continue;
            }
            if (condition.In.Count == 0) Problem(where, "display condition lists no answers.");
            var allowed = source.Type switch
            {
                QuestionType.YesNo => Instrument.YesNoValues.ToHashSet(),
                QuestionType.Choice or QuestionType.Multiple => (source.Options ?? []).Select(o => o.Id).ToHashSet(),
                _ => null,
            };
            if (allowed is null) Problem(where, $"display condition refers to \"{source.Id}\", a {Name(source.Type)} question; conditions need a yes / no or choice question.");
            else foreach (var value in condition.In.Where(v => !allowed.Contains(v)))
                Problem(where, $"display condition value \"{value}\" is not an answer of \"{source.Id}\".");
        }
        if (problems.Count > 0) return problems;

        // A question about one kind of work is asked only of someone who said they do it.
        foreach (var q in questions)
            foreach (var (what, _, raises) in AllRaises(q))
                if (raises.Track is { } track && raises.Indicators is { Count: > 0 } && !AskedOnlyAfter(q, byId, track == Exploitation.Sexual ? Facts.CommercialSex : Facts.LaborOrServices))
                    Problem($"question \"{q.Id}\"", track == Exploitation.Sexual
                        ? $"{what} puts indicators on the sexual exploitation track, but the question is not asked only of someone who said they trade sex (show it only after such an answer)."
                        : $"{what} puts indicators on the labour track, but the question is not asked only of someone who named work other than sex work (show it only after such an answer).");
        if (problems.Count > 0) return problems;

        var order = ResolveOrder(questions, out var cycle);
        if (cycle is not null)
        {
            Problem($"question \"{cycle[0]}\"", $"display conditions form a cycle: {string.Join(" → ", cycle)}.");
            return problems;
        }
        resolveOrder = order;
        return problems;
    }

    /// <summary>
    /// Checks that what an answer raises is what its wording says: a situation is recorded, never an indicator; an
    /// indicator needs wording about someone else's act, and an abuse-of-vulnerability or imposed-conditions
    /// indicator wording that says someone used or imposed the situation; commercial sex is recorded only from an
    /// answer about commercial sex, and never with other work.
    /// </summary>
    static IEnumerable<string> MeaningProblems(string what, string wording, Raises raises)
    {
        var indicators = (raises.Indicators ?? []).Where(IndicatorCatalogue.ByCode.ContainsKey).Select(c => IndicatorCatalogue.ByCode[c]).ToList();
        var facts = raises.Facts ?? [];
        if (indicators.Count > 0 && facts.FirstOrDefault(Facts.IsSituation) is { } situation)
            yield return $"{what} records the person's situation (\"{situation}\") and also raises {indicators[0].Code}. A situation alone is not an indicator: record it, and ask in another question whether someone used it.";
        foreach (var i in indicators)
        {
            if (!ActorWording().IsMatch(wording))
                yield return $"{what} raises {i.Code}, but the wording asks about the person's own situation, not about what someone else did. Indicators need a question about someone's act.";
            else if (i.Situation is { } s && !UseWording().IsMatch(wording))
                yield return $"{what} raises {i.Code}, which is the abuse or imposition of a situation (\"{Facts.Situations[s]}\"), but the wording does not ask whether someone used or imposed it.";
        }
        var recordsSex = facts.Contains(Facts.CommercialSex) || facts.Contains(Facts.CommercialSexUnderEighteen);
        if (recordsSex && !SexWording().IsMatch(wording))
            yield return $"{what} records commercial sex, but its wording does not ask about trading sex.";
        if (recordsSex && (facts.Contains(Facts.LaborOrServices) || raises.Industries is { Count: > 0 }))
            yield return $"{what} records commercial sex and other work together; they are separate answers.";
    }

    /// <summary>Everything a question can raise: per yes / no value, per option (with its id), or below a number.</summary>
    static IEnumerable<(string What, string? Value, Raises Raises)> AllRaises(Question q)
    {
        foreach (var (answer, raises) in q.Raises ?? []) yield return ($"answer \"{answer}\"", answer, raises);
        foreach (var option in q.Options ?? []) if (option.Raises is { } r) yield return ($"option \"{option.Id}\"", option.Id, r);
        if (q.Below is { } below) yield return ($"a number below {below.Value}", null, below.Raises);
    }

    /// <summary>Whether the question is shown only after an answer (somewhere up its chain of display conditions) that records the fact.</summary>
    static bool AskedOnlyAfter(Question q, Dictionary<string, Question> byId, string fact)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var at = q; at.ShowIf is { } condition && seen.Add(at.Id) && byId.TryGetValue(condition.Question, out var source); at = source)
        {
            var recording = AllRaises(source).Where(r => r.Raises.Facts?.Contains(fact) == true).Select(r => r.Value).ToHashSet();
            if (condition.In.All(recording.Contains)) return true;
        }
        return false;
    }

    /// <summary>Compares two versions like 1.0 or 1.0.1, part by part.</summary>
    internal static int CompareVersions(string a, string b)
    {
        var (x, y) = (a.Split('.').Select(int.Parse).ToArray(), b.Split('.').Select(int.Parse).ToArray());
        for (var i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            var c = (i < x.Length ? x[i] : 0).CompareTo(i < y.Length ? y[i] : 0);
            if (c != 0) return c;
        }
        return 0;
    }

    /// <summary>Orders questions so that every condition's question comes first; reports a cycle if there is one.</summary>
    static int[] ResolveOrder(List<Question> questions, out List<string>? cycle)
    {
        var index = questions.Select((q, i) => (q.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var state = new int[questions.Count]; // 0 new, 1 on the path, 2 done
        var order = new List<int>(questions.Count);
        cycle = null;
        for (var start = 0; start < questions.Count; start++)
        {
            // Each question depends on at most one other, so the walk from a question is a chain.
            var path = new List<int>();
            for (var at = start; state[at] != 2;)
            {
                if (state[at] == 1)
                {
                    cycle = [.. path.Skip(path.IndexOf(at)).Select(i => questions[i].Id), questions[at].Id];
                    return [];
                }
                state[at] = 1;
                path.Add(at);
                if (questions[at].ShowIf is not { } condition) break;
                at = index[condition.Question];
            }
            for (var i = path.Count - 1; i >= 0; i--)
            {
                state[path[i]] = 2;
                order.Add(path[i]);
            }
        }
        return [.. order];
    }

    static string Name(QuestionType type) => type switch
    {
        QuestionType.YesNo => "yes / no",
        QuestionType.Multiple => "multiple choice",
        _ => type.ToString().ToLowerInvariant(),
    };
}
