using System.Text.RegularExpressions;

namespace Haven.Features.Screening;

/// <summary>Checks an instrument file. Each problem names the file, the question (or section) and what is wrong.</summary>
public static partial class InstrumentValidator
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^\d+\.\d+(\.\d+)?$")]
    private static partial Regex VersionPattern();

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
        // Guidance is for the screener: English is enough, other languages are optional.
        void Guidance(string where, LocalText? text)
        {
            if (text is not null && !text.ContainsKey(Instrument.English)) Problem(where, "guidance needs English text.");
        }
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
            void CheckRaises(string what, Raises? raises)
            {
                if (raises is null) return;
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
                    CheckRaises($"option \"{option.Id}\"", option.Raises);
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

        var order = ResolveOrder(questions, out var cycle);
        if (cycle is not null)
        {
            Problem($"question \"{cycle[0]}\"", $"display conditions form a cycle: {string.Join(" → ", cycle)}.");
            return problems;
        }
        resolveOrder = order;
        return problems;
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
