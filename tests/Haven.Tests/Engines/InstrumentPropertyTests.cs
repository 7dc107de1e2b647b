using System.Text.Json;
using Haven.Features.Screening;

namespace Haven.Tests.Engines;

/// <summary>
/// Properties of the shipped instruments, checked over every answer each question can take and over many random
/// answer sheets: the classes of defect that conflated sex work, poverty and papers with trafficking cannot return.
/// </summary>
public sealed class InstrumentPropertyTests
{
    static readonly InstrumentLibrary Library = InstrumentLibrary.LoadDirectory(InstrumentLibrary.BuiltInDirectory);

    public static TheoryData<string> Instruments() => [.. Library.Instruments.Keys.Order()];

    /// <summary>Every single answer a question can take, alone on a sheet (with what shows the question).</summary>
    static IEnumerable<(string Question, string Value, ScreeningResult Result)> SingleAnswers(Instrument instrument)
    {
        for (var i = 0; i < instrument.Questions.Count; i++)
        {
            var q = instrument.Questions[i];
            IEnumerable<(string Value, Answer Answer)> values = q.Type switch
            {
                QuestionType.YesNo => Instrument.YesNoValues.Select(v => (v, new Answer(v))),
                QuestionType.Choice => q.Options!.Select(o => (o.Id, new Answer(o.Id))),
                QuestionType.Multiple => q.Options!.Select(o => (o.Id, new Answer(Values: [o.Id]))),
                QuestionType.Number => [("10", new Answer(Number: 10)), ("40", new Answer(Number: 40))],
                _ => [],
            };
            foreach (var (value, answer) in values)
            {
                var answers = new Answer?[instrument.Questions.Count];
                answers[i] = answer;
                // Show the question: answer its display condition's question with the first value that shows it.
                for (var at = q; at.ShowIf is { } c;)
                {
                    var source = instrument.IndexOf[c.Question];
                    var src = instrument.Questions[source];
                    answers[source] = src.Type == QuestionType.Multiple ? new Answer(Values: [c.In[0]]) : new Answer(c.In[0]);
                    at = src;
                }
                yield return (q.Id, value, ScreeningEngine.Evaluate(AnswerSheet.FromChecked(instrument, answers)));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Instruments))]
    public void No_answer_about_the_persons_own_situation_alone_raises_an_indicator(string id)
    {
        var instrument = Library.Instruments[id];
        foreach (var (question, value, result) in SingleAnswers(instrument))
            if (result.Facts.Any(Facts.IsSituation))
                Assert.True(result.Indicators.Count == 0, $"{id}: {question} = {value} records a situation and raises {string.Join(", ", result.Indicators.Select(i => i.Code))}");
    }

    [Theory]
    [MemberData(nameof(Instruments))]
    public void No_answer_raises_sexual_exploitation_unless_commercial_sex_was_answered(string id)
    {
        var instrument = Library.Instruments[id];
        foreach (var result in SingleAnswers(instrument).Select(s => s.Result).Concat(RandomSheets(instrument, 3000)))
        {
            var commercialSex = result.Facts.Contains(Facts.CommercialSex) || result.Facts.Contains(Facts.CommercialSexUnderEighteen);
            if (!commercialSex)
            {
                Assert.DoesNotContain(result.Tracks, t => t.Exploitation == Exploitation.Sexual);
                Assert.DoesNotContain("SexualExploitation", HtcdsExchange.From(result).TypeOfExploitation);
                Assert.DoesNotContain(result.Indicators, i => i.Tracks!.Contains(Exploitation.Sexual));
            }
            // A sex worker's indicators count on the labour track only for work other than sex work.
            if (commercialSex && !result.Facts.Contains(Facts.LaborOrServices))
                Assert.DoesNotContain(result.Indicators, i => i.Tracks!.Contains(Exploitation.Labour));
        }
    }

    [Theory]
    [MemberData(nameof(Instruments))]
    public void Every_result_has_next_steps_ending_with_the_offer_of_services(string id)
    {
        var instrument = Library.Instruments[id];
        var skipped = ScreeningEngine.Evaluate(AnswerSheet.FromChecked(instrument, new Answer?[instrument.Questions.Count]));
        var preferNot = ScreeningEngine.Evaluate(AnswerSheet.FromChecked(instrument,
            [.. instrument.Questions.Select(q => q.Type == QuestionType.YesNo ? new Answer("prefer-not") : null)]));
        foreach (var result in new[] { skipped, preferNot }.Concat(SingleAnswers(instrument).Select(s => s.Result)).Concat(RandomSheets(instrument, 3000)))
        {
            Assert.NotEmpty(result.NextSteps);
            Assert.Equal("services", result.NextSteps[^1].Code);
        }
        if (instrument.Kind != InstrumentKind.Needs)
        {
            Assert.Equal(Summary.NoIndicatorsIdentified, skipped.Summary);
            Assert.Equal(Summary.NoIndicatorsIdentified, preferNot.Summary);
        }
    }

    [Theory]
    [MemberData(nameof(Instruments))]
    public void The_ladder_holds_on_every_random_sheet(string id)
    {
        foreach (var result in RandomSheets(Library.Instruments[id], 3000))
        {
            if (result.Summary is null) continue;
            var top = result.Tracks.Any(t => t.DecisionRuleMet || t.SevereForm);
            Assert.Equal(top ? Summary.IndicatorsPresent : result.Indicators.Count > 0 ? Summary.ConsiderFullAssessment : Summary.NoIndicatorsIdentified, result.Summary);
            if (result.UnderEighteenInCommercialSex) Assert.Equal(Summary.IndicatorsPresent, result.Summary);
            // Child rules and the reporting step are for someone under 18 now, never for an adult who started young.
            Assert.Equal(result.Facts.Contains(Facts.Minor), result.AgeGroup == AgeGroup.Child);
            Assert.Equal(result.MinorInCommercialSex, result.NextSteps.Any(s => s.Code == "minor-reporting"));
        }
    }

    // Every track can be reached: with every answer that raises something, each screen meets the decision rule on the
    // labour track for someone in other work, and on the sexual exploitation track for someone who trades sex.
    [Theory]
    [InlineData("court-screen", Exploitation.Labour)]
    [InlineData("court-screen", Exploitation.Sexual)]
    [InlineData("short-screen", Exploitation.Labour)]
    [InlineData("short-screen", Exploitation.Sexual)]
    [InlineData("full-screen", Exploitation.Labour)]
    [InlineData("full-screen", Exploitation.Sexual)]
    public void Each_screen_can_find_each_track(string id, Exploitation track)
    {
        var instrument = Library.Instruments[id];
        bool Sex(Raises? r) => r?.Facts?.Contains(Facts.CommercialSex) == true;
        bool OtherWork(Raises? r) => r?.Facts?.Contains(Facts.LaborOrServices) == true;
        bool Fits(Raises? r) => track == Exploitation.Sexual ? !OtherWork(r) : !Sex(r);
        var answers = new Answer?[instrument.Questions.Count];
        for (var i = 0; i < answers.Length; i++)
        {
            var q = instrument.Questions[i];
            answers[i] = q.Type switch
            {
                QuestionType.YesNo when q.Raises?.Values.Any(Sex) == true => new Answer(track == Exploitation.Sexual ? "yes" : "no"),
                QuestionType.YesNo => new Answer(q.Raises?.FirstOrDefault(r => r.Value.Indicators is { Count: > 0 }).Key ?? "yes"),
                QuestionType.Multiple => new Answer(Values: [.. q.Options!.Where(o => o.Raises is not null && Fits(o.Raises)).Select(o => o.Id)]),
                QuestionType.Choice => new Answer(q.Options!.First(o => o.Raises?.Facts?.Contains(track == Exploitation.Sexual ? Facts.InSexWork : Facts.InOtherWork) == true).Id),
                QuestionType.Number => new Answer(Number: 35),
                _ => null,
            };
        }
        var result = ScreeningEngine.Evaluate(AnswerSheet.FromChecked(instrument, answers));
        Assert.True(result.Tracks.Single(t => t.Exploitation == track).DecisionRuleMet, $"{id}: {track}");
        if (track == Exploitation.Sexual) Assert.False(result.Tracks.Single(t => t.Exploitation == Exploitation.Labour).DecisionRuleMet);
        else Assert.Equal([Exploitation.Labour], result.Tracks.Select(t => t.Exploitation));
        Assert.Equal(Summary.IndicatorsPresent, result.Summary);
    }

    static IEnumerable<ScreeningResult> RandomSheets(Instrument instrument, int count)
    {
        var random = new Random(7102);
        for (var n = 0; n < count; n++)
        {
            var answers = new Answer?[instrument.Questions.Count];
            for (var i = 0; i < answers.Length; i++)
            {
                if (random.Next(4) == 0) continue;
                var q = instrument.Questions[i];
                answers[i] = q.Type switch
                {
                    QuestionType.YesNo => new Answer(Instrument.YesNoValues[random.Next(Instrument.YesNoValues.Count)]),
                    QuestionType.Choice => new Answer(q.Options![random.Next(q.Options.Count)].Id),
                    QuestionType.Multiple => new Answer(Values: [.. q.Options!.Where(_ => random.Next(3) == 0).Select(o => o.Id)]),
                    QuestionType.Number => new Answer(Number: random.Next(12, 70)),
                    _ => null,
                };
            }
            yield return ScreeningEngine.Evaluate(AnswerSheet.FromChecked(instrument, answers));
        }
    }

    // docs/screening-rules.md is generated from the catalogue and the instruments; it must be the generated text exactly.
    [Fact]
    public void The_screening_rules_document_is_what_the_code_generates()
    {
        var path = Path.Combine(Infrastructure.HavenProcess.RepositoryRoot, "docs", "screening-rules.md");
        var expected = ScreeningRulesDocument.Render(Library);
        Assert.True(File.Exists(path) && File.ReadAllText(path).Replace("\r\n", "\n") == expected,
            "docs/screening-rules.md differs from the rules in code: run `dotnet run --project src/Haven -- screening rules > docs/screening-rules.md`.");
        foreach (var code in IndicatorCatalogue.All.Select(i => i.Code)) Assert.Contains($"`{code}`", expected);
        foreach (var q in Library.Instruments.Values.SelectMany(i => i.Questions)) Assert.Contains($"`{q.Id}`: ", expected);
    }

    [Fact]
    public void Spanish_screens_carry_spanish_guidance_everywhere()
    {
        foreach (var instrument in Library.Instruments.Values.Where(i => i.Languages.Contains("es")))
        {
            Assert.False(string.IsNullOrWhiteSpace(Instrument.Text(instrument.File.ScreenerGuidance, "es")) && instrument.File.ScreenerGuidance is not null);
            foreach (var q in instrument.Questions.Where(q => q.Guidance is not null))
                Assert.True(q.Guidance!.ContainsKey("es"), $"{instrument.Id}: {q.Id}");
        }
        _ = JsonSerializer.Serialize(Library.Instruments.Keys);
    }
}
