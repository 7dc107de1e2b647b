using System.Globalization;
using System.Text.Json;
using Haven.Features.Clients;

namespace Haven.Features.Screening;

/// <summary>One answer: a value (yes / no, an option id, a date as yyyy-MM-dd, text), several option ids, or a number.</summary>
public sealed record Answer(string? Value = null, IReadOnlyList<string>? Values = null, double? Number = null)
{
    public JsonElement ToJson() => Values is not null ? JsonSerializer.SerializeToElement(Values)
        : Number is { } n ? JsonSerializer.SerializeToElement(n) : JsonSerializer.SerializeToElement(Value);
}

/// <summary>The answers to one instrument, indexed like its questions; null where a question was skipped.</summary>
public sealed class AnswerSheet
{
    public Instrument Instrument { get; }
    public Answer?[] Answers { get; }

    AnswerSheet(Instrument instrument, Answer?[] answers)
    {
        Instrument = instrument;
        Answers = answers;
    }

    /// <summary>The answers as an object from question id to answer, for storing and for the API.</summary>
    public Dictionary<string, JsonElement> ToJson() =>
        Answers.Select((a, i) => (a, i)).Where(p => p.a is not null)
            .ToDictionary(p => Instrument.Questions[p.i].Id, p => p.a!.ToJson(), StringComparer.Ordinal);

    /// <summary>Checks answers (an object from question id to answer) against the instrument: unknown questions,
    /// wrong types, values the question does not offer and answers to questions hidden by the skip logic.</summary>
    public static (AnswerSheet? Sheet, Dictionary<string, string[]> Errors) Parse(Instrument instrument, IReadOnlyDictionary<string, JsonElement>? answers)
    {
        var sheet = new Answer?[instrument.Questions.Count];
        var errors = Apply(instrument, sheet, answers);
        return errors.Count > 0 ? (null, errors) : (new AnswerSheet(instrument, sheet), errors);
    }

    /// <summary>Applies answers given now on top of <paramref name="answers"/> (null clears one) and names every problem
    /// with them, including an answer to a question the skip logic hides. Earlier answers are not checked again.</summary>
    public static Dictionary<string, string[]> Apply(Instrument instrument, Answer?[] answers, IReadOnlyDictionary<string, JsonElement>? given)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var answered = new List<int>();
        foreach (var (id, element) in given ?? new Dictionary<string, JsonElement>())
        {
            if (!instrument.IndexOf.TryGetValue(id, out var index))
            {
                errors[id] = [$"\"{id}\" is not a question of instrument \"{instrument.Id}\"."];
                continue;
            }
            if (element.ValueKind == JsonValueKind.Null)
            {
                answers[index] = null; // skipped, or cleared
                continue;
            }
            var (answer, problem) = ParseOne(instrument, index, element);
            if (problem is not null) errors[id] = [problem];
            else
            {
                answers[index] = answer;
                answered.Add(index);
            }
        }
        var shown = Visibility(instrument, answers);
        foreach (var index in answered.Where(i => !shown[i]))
            errors[instrument.Questions[index].Id] = [Hidden(instrument.Questions[index])];
        return errors;
    }

    public static string Hidden(Question q) =>
        $"\"{q.Id}\" is hidden by the skip logic: it is asked only when \"{q.ShowIf!.Question}\" is {string.Join(" or ", q.ShowIf.In.Select(v => $"\"{v}\""))}.";

    /// <summary>Which questions are shown, given the answers so far. Answers to hidden questions are dropped.</summary>
    public static bool[] Visibility(Instrument instrument, Answer?[] answers)
    {
        var shown = new bool[answers.Length];
        foreach (var i in instrument.ResolveOrder)
        {
            var source = instrument.DependsOn[i];
            if (source < 0)
            {
                shown[i] = true;
                continue;
            }
            var allowed = instrument.ShowValues[i]!;
            shown[i] = shown[source] && answers[source] is { } a
                && (a.Value is not null && allowed.Contains(a.Value) || a.Values is not null && a.Values.Any(allowed.Contains));
        }
        return shown;
    }

    /// <summary>Builds a sheet from answers already checked (a page that saves question by question); hidden answers are dropped.</summary>
    public static AnswerSheet FromChecked(Instrument instrument, Answer?[] answers)
    {
        var shown = Visibility(instrument, answers);
        return new AnswerSheet(instrument, [.. answers.Select((a, i) => shown[i] ? a : null)]);
    }

    public static (Answer? Answer, string? Problem) ParseOne(Instrument instrument, int index, JsonElement element)
    {
        var q = instrument.Questions[index];
        switch (q.Type)
        {
            case QuestionType.YesNo:
                if (element.ValueKind != JsonValueKind.String) return (null, $"\"{q.Id}\" takes one of {string.Join(", ", Instrument.YesNoValues)}.");
                var yesNo = element.GetString()!;
                return Instrument.YesNoValues.Contains(yesNo) ? (new Answer(yesNo), null)
                    : (null, $"\"{yesNo}\" is not an answer to \"{q.Id}\"; it takes one of {string.Join(", ", Instrument.YesNoValues)}.");
            case QuestionType.Choice:
                if (element.ValueKind != JsonValueKind.String) return (null, $"\"{q.Id}\" takes one option id: {OptionList(q)}.");
                var choice = element.GetString()!;
                return instrument.OptionsById[index]!.ContainsKey(choice) ? (new Answer(choice), null)
                    : (null, $"\"{choice}\" is not an option of \"{q.Id}\"; its options are {OptionList(q)}.");
            case QuestionType.Multiple:
                if (element.ValueKind != JsonValueKind.Array || element.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                    return (null, $"\"{q.Id}\" takes a list of option ids: {OptionList(q)}.");
                var values = element.EnumerateArray().Select(e => e.GetString()!).Distinct().ToList();
                var unknown = values.FirstOrDefault(v => !instrument.OptionsById[index]!.ContainsKey(v));
                return unknown is null ? (new Answer(Values: values), null)
                    : (null, $"\"{unknown}\" is not an option of \"{q.Id}\"; its options are {OptionList(q)}.");
            case QuestionType.Number:
                if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var number) || !double.IsFinite(number))
                    return (null, $"\"{q.Id}\" takes a number.");
                if (number < q.Min || number > q.Max) return (null, $"\"{q.Id}\" takes a number from {q.Min} to {q.Max}.");
                return (new Answer(Number: number), null);
            case QuestionType.Date:
                if (element.ValueKind != JsonValueKind.String
                    || !DateOnly.TryParseExact(element.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    return (null, $"\"{q.Id}\" takes a date as yyyy-mm-dd.");
                return (new Answer(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), null);
            default:
                if (element.ValueKind != JsonValueKind.String) return (null, $"\"{q.Id}\" takes text.");
                var text = element.GetString()!.Trim();
                if (text.Length > Instrument.TextMax || !ClientValidation.IsMultiLinePlainText(text))
                    return (null, $"\"{q.Id}\" takes plain text of at most {Instrument.TextMax} characters.");
                return (text.Length == 0 ? null : new Answer(text), null);
        }
    }

    static string OptionList(Question q) => string.Join(", ", (q.Options ?? []).Select(o => o.Id));
}
