using System.Diagnostics;
using System.Text.Json;
using Haven.Features.Screening;

namespace Haven.Bench;

/// <summary>Engine evaluations per second for the full screen on one thread (one core).</summary>
public static class ScreeningThroughput
{
    public static void Run()
    {
        var library = InstrumentLibrary.LoadDirectory(InstrumentLibrary.BuiltInDirectory);
        var full = library.Instruments["full-screen"];
        // Every question answered: every third yes / no question "yes", every choice question its first two options.
        var answers = new Dictionary<string, JsonElement>();
        var yesNo = 0;
        foreach (var q in full.Questions)
        {
            object value = q.Type switch
            {
                QuestionType.YesNo => ++yesNo % 3 == 0 ? "yes" : "no",
                QuestionType.Multiple => q.Options!.Take(2).Select(o => o.Id).ToArray(),
                QuestionType.Choice => q.Options![0].Id,
                QuestionType.Number => 29,
                QuestionType.Date => "2026-01-31",
                _ => "synthetic note",
            };
            answers[q.Id] = JsonSerializer.SerializeToElement(value);
        }
        // Drop answers to follow-ups the skip logic hides.
        var shown = AnswerSheet.Visibility(full, [.. full.Questions.Select((q, i) => AnswerSheet.ParseOne(full, i, answers[q.Id]).Answer)]);
        foreach (var (q, i) in full.Questions.Select((q, i) => (q, i))) if (!shown[i]) answers.Remove(q.Id);
        var (sheet, errors) = AnswerSheet.Parse(full, answers);
        if (errors.Count > 0) throw new InvalidOperationException(string.Join("; ", errors.Keys));
        var result = ScreeningEngine.Evaluate(sheet!);

        Measure($"screening engine, full screen ({answers.Count} answers, {result.Indicators.Count} indicators found), evaluate only", () => ScreeningEngine.Evaluate(sheet!));
        Measure("screening engine, full screen, check answers and evaluate", () => ScreeningEngine.Evaluate(AnswerSheet.Parse(full, answers).Sheet!));
    }

    static void Measure(string label, Func<ScreeningResult> evaluate)
    {
        for (var i = 0; i < 20_000; i++) evaluate(); // warm-up and tiered compilation
        var watch = Stopwatch.StartNew();
        var count = 0;
        while (watch.ElapsedMilliseconds < 3000)
        {
            for (var i = 0; i < 1000; i++) evaluate();
            count += 1000;
        }
        Console.WriteLine($"{label}: {count / watch.Elapsed.TotalSeconds:N0} per second on one thread ({watch.Elapsed.TotalMilliseconds * 1000 / count:F2} µs each)");
    }
}
