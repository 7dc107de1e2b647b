using System.Diagnostics;
using System.Text.Json;
using Haven.Features.Screening;

namespace Haven.Bench;

/// <summary>Engine evaluations per second for the full screen on one thread (one core).</summary>
public static class ScreeningThroughput
{
    public static void Run()
    {
        var (full, answers) = FullScreenAnswers();
        var (sheet, errors) = AnswerSheet.Parse(full, answers);
        if (errors.Count > 0) throw new InvalidOperationException(string.Join("; ", errors.Keys));
        var result = ScreeningEngine.Evaluate(sheet!);

        Measure($"screening engine, full screen ({answers.Count} answers, {result.Indicators.Count} indicators found), evaluate only", () => ScreeningEngine.Evaluate(sheet!));
        Measure("screening engine, full screen, check answers and evaluate", () => ScreeningEngine.Evaluate(AnswerSheet.Parse(full, answers).Sheet!));
    }

    /// <summary>Starts and completes a full screen for a client through the API; returns the result page's path.</summary>
    public static async Task<string> CompleteFullScreenAsync(string baseUrl, string token, Guid clientId)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var started = await http.PostAsync("/api/screenings", Body(new { instrument = "full-screen", clientId, agreed = true }));
        started.EnsureSuccessStatusCode();
        var id = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        var (_, answers) = FullScreenAnswers();
        (await http.PutAsync($"/api/screenings/{id}/answers", Body(new { answers, complete = true }))).EnsureSuccessStatusCode();
        return $"/screenings/{id}/result";
    }

    static StringContent Body(object value) => new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    static (Instrument Full, Dictionary<string, JsonElement> Answers) FullScreenAnswers()
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
        return (full, answers);
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
