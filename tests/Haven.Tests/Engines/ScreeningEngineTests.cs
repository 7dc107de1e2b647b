using System.Text.Json;
using Haven.Features.Screening;

namespace Haven.Tests.Engines;

public sealed class ScreeningEngineTests
{
    // The combination rule, row by row: (strong, medium, weak) → positive.
    [Theory]
    [InlineData(0, 0, 0, false)]
    [InlineData(1, 0, 0, false)]
    [InlineData(2, 0, 0, true)]
    [InlineData(1, 1, 0, true)]
    [InlineData(1, 0, 1, true)]
    [InlineData(0, 1, 0, false)]
    [InlineData(0, 2, 0, false)]
    [InlineData(0, 3, 0, true)]
    [InlineData(0, 2, 1, true)]
    [InlineData(0, 1, 1, false)]
    [InlineData(0, 1, 2, false)]
    [InlineData(0, 0, 1, false)]
    [InlineData(0, 0, 3, false)]
    [InlineData(0, 0, 9, false)]
    [InlineData(3, 4, 5, true)]
    public void Combination_rule(int strong, int medium, int weak, bool positive) =>
        Assert.Equal(positive, ScreeningEngine.DimensionPositive(strong, medium, weak));

    // The decision rule over every combination of the six dimensions, against the rule written out by hand.
    [Fact]
    public void Decision_rule_for_adults_and_children_over_every_combination_of_dimensions()
    {
        for (var mask = 0; mask < 64; mask++)
        {
            bool Positive(Dimension d) => (mask >> ((int)d - 1) & 1) == 1;
            var recruitment = Positive(Dimension.DeceptiveRecruitment) || Positive(Dimension.CoerciveRecruitment) || Positive(Dimension.RecruitmentByAbuseOfVulnerability);
            var exploitation = Positive(Dimension.ExploitativeConditions);
            var destination = Positive(Dimension.CoercionAtDestination) || Positive(Dimension.AbuseOfVulnerabilityAtDestination);
            Assert.Equal(recruitment && exploitation && destination, ScreeningEngine.DecisionRule(AgeGroup.Adult, Positive));
            Assert.Equal(recruitment && exploitation, ScreeningEngine.DecisionRule(AgeGroup.Child, Positive));
        }
    }

    [Fact]
    public void Catalogue_codes_are_unique_and_every_mapping_points_at_something_real()
    {
        Assert.Equal(IndicatorCatalogue.All.Count, IndicatorCatalogue.All.Select(i => i.Code).Distinct().Count());
        foreach (var i in IndicatorCatalogue.All)
        {
            if (i.Kind == IndicatorKind.Operational)
            {
                Assert.NotNull(i.Dimension);
                Assert.Equal(4, i.Strengths.Count);
                Assert.StartsWith(Prefix(i.Dimension!.Value), i.Code);
            }
            else Assert.Null(i.Dimension);
            if (i.ForcedLabour is { } fl) Assert.Equal(IndicatorKind.ForcedLabour, IndicatorCatalogue.ByCode[fl].Kind);
            if (i.Htcds is { } h) Assert.True(Enum.IsDefined(h));
        }
        // Six dimensions, the ILO's eleven forced-labour indicators, and every HTCDS method of control but "Other" reached.
        Assert.Equal(6, IndicatorCatalogue.All.Where(i => i.Dimension is not null).Select(i => i.Dimension).Distinct().Count());
        Assert.Equal(11, IndicatorCatalogue.All.Count(i => i.Kind == IndicatorKind.ForcedLabour));
        var reached = IndicatorCatalogue.All.Where(i => i.Htcds is not null).Select(i => i.Htcds!.Value).ToHashSet();
        Assert.Equal(Enum.GetValues<HtcdsControl>().Where(h => h != HtcdsControl.Other).ToHashSet(), reached);
        // Each dimension has indicators in every set, with at least one strong or enough mediums to be positive.
        foreach (var set in Enum.GetValues<IndicatorSet>())
            foreach (var d in Enum.GetValues<Dimension>())
            {
                var strengths = IndicatorCatalogue.All.Where(i => i.Dimension == d).Select(i => i.StrengthIn(set)).ToList();
                Assert.True(ScreeningEngine.DimensionPositive(strengths.Count(s => s == Strength.Strong), strengths.Count(s => s == Strength.Medium), strengths.Count(s => s == Strength.Weak)), $"{set} {d}");
            }
    }

    static string Prefix(Dimension d) => d switch
    {
        Dimension.DeceptiveRecruitment => "DR.",
        Dimension.CoerciveRecruitment => "CR.",
        Dimension.RecruitmentByAbuseOfVulnerability => "AR.",
        Dimension.ExploitativeConditions => "EX.",
        Dimension.CoercionAtDestination => "CD.",
        _ => "AD.",
    };

    // Each indicator maps to its forced-labour indicator, HTCDS field and federal elements as the catalogue says.
    public static TheoryData<string> IndicatorCodes() => [.. IndicatorCatalogue.All.Select(i => i.Code)];

    [Theory]
    [MemberData(nameof(IndicatorCodes))]
    public void Raising_one_indicator_reports_its_mappings(string code)
    {
        var indicator = IndicatorCatalogue.ByCode[code];
        var result = Evaluate(Probe([code]), new() { ["q"] = "yes" });
        var found = Assert.Single(result.Indicators, f => f.Code == code);
        Assert.Equal(["q"], found.RaisedBy);
        if (indicator.ForcedLabour is { } fl) Assert.Contains(result.Indicators, f => f.Code == fl);
        if (indicator.Htcds is { } h) Assert.Contains(h, result.MethodsOfControl);
        foreach (var element in indicator.Supports) Assert.Contains(result.FederalElements, e => e.Element == element && e.SupportedBy.Contains(code));
        Assert.Equal(Summary.IndicatorsPresent, result.Summary);
    }

    [Fact]
    public void No_answers_means_no_trafficking_indicators_identified_never_a_label()
    {
        var result = Evaluate(Probe(["CD.DOCUMENTS"]), []);
        Assert.Equal(Summary.NoIndicatorsIdentified, result.Summary);
        Assert.Equal("No trafficking indicators identified", result.SummaryText);
        Assert.Empty(result.Indicators);
        Assert.All(result.Tracks, t => Assert.False(t.DecisionRuleMet));
        foreach (var text in ScreeningEngine.SummaryTexts.Values) Assert.DoesNotContain("victim", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_adult_meeting_recruitment_exploitation_and_coercion_gets_consider_a_full_assessment_on_both_tracks()
    {
        // Deceptive recruitment: one strong and one medium. Exploitation: one strong and one medium. Coercion: two strong.
        var result = Evaluate(Probe(["DR.JOB", "DR.WAGES", "EX.EXCESSIVE_HOURS", "EX.LOW_PAY", "CD.DOCUMENTS", "CD.VIOLENCE"]), new() { ["q"] = "yes" });
        Assert.Equal(Summary.ConsiderFullAssessment, result.Summary);
        Assert.Equal(AgeGroup.Adult, result.AgeGroup);
        Assert.False(result.AgeGiven);
        var labour = Assert.Single(result.Tracks, t => t.Exploitation == Exploitation.Labour);
        Assert.Equal(IndicatorSet.AdultLabour, labour.Set);
        Assert.True(labour.DecisionRuleMet);
        Assert.True(result.Tracks.Single(t => t.Exploitation == Exploitation.Sexual).DecisionRuleMet);
        Assert.Contains(result.NextSteps, s => s.Code == "full-assessment");
        Assert.Contains(result.NextSteps, s => s.Code == "safety-plan");
    }

    [Fact]
    public void An_adult_without_coercion_at_destination_does_not_meet_the_rule_but_indicators_are_present()
    {
        var result = Evaluate(Probe(["DR.JOB", "DR.WAGES", "EX.EXCESSIVE_HOURS", "EX.LOW_PAY"]), new() { ["q"] = "yes" });
        Assert.Equal(Summary.IndicatorsPresent, result.Summary);
        Assert.All(result.Tracks, t => Assert.False(t.DecisionRuleMet));
        Assert.Contains(result.NextSteps, s => s.Code == "referral:legal-wages");
    }

    [Fact]
    public void A_child_needs_only_recruitment_and_exploitation()
    {
        var instrument = Probe(["DR.JOB", "DR.WAGES", "EX.EXCESSIVE_HOURS", "EX.LOW_PAY"], minorQuestion: true);
        var result = Evaluate(instrument, new() { ["q"] = "yes", ["age"] = 16 });
        Assert.Equal(AgeGroup.Child, result.AgeGroup);
        Assert.True(result.AgeGiven);
        Assert.All(result.Tracks, t => Assert.True(t.DecisionRuleMet));
        Assert.Equal([IndicatorSet.ChildLabour, IndicatorSet.ChildSexual], result.Tracks.Select(t => t.Set));
        var adult = Evaluate(instrument, new() { ["q"] = "yes", ["age"] = 30 });
        Assert.Equal(AgeGroup.Adult, adult.AgeGroup);
        Assert.True(adult.AgeGiven);
        Assert.All(adult.Tracks, t => Assert.False(t.DecisionRuleMet));
    }

    [Fact]
    public void A_person_under_18_in_commercial_sex_is_flagged_without_any_means()
    {
        var instrument = Probe([], minorQuestion: true, sexWorkQuestion: true);
        var result = Evaluate(instrument, new() { ["age"] = 17, ["work"] = "yes" });
        Assert.True(result.MinorInCommercialSex);
        Assert.Equal(Summary.ConsiderFullAssessment, result.Summary);
        Assert.Equal("minor-reporting", result.NextSteps[0].Code);
        Assert.Contains(result.FederalElements, e => e.Element == FederalElement.CommercialSexAct);
        Assert.DoesNotContain(result.FederalElements, e => e.Element is FederalElement.Force or FederalElement.Fraud or FederalElement.Coercion);
    }

    [Fact]
    public void Sex_work_alone_raises_no_indicator_and_the_labour_track_is_still_evaluated()
    {
        var instrument = Probe(["CD.WITHHOLDING_WAGES", "EX.EXCESSIVE_HOURS", "EX.LOW_PAY"], minorQuestion: true, sexWorkQuestion: true);
        var adult = Evaluate(instrument, new() { ["age"] = 34, ["work"] = "yes" });
        Assert.False(adult.MinorInCommercialSex);
        Assert.Equal(Summary.NoIndicatorsIdentified, adult.Summary);
        Assert.Empty(adult.Indicators);
        Assert.Contains(Facts.CommercialSex, adult.Facts);

        var withConditions = Evaluate(instrument, new() { ["age"] = 34, ["work"] = "yes", ["q"] = "yes" });
        var labour = withConditions.Tracks.Single(t => t.Exploitation == Exploitation.Labour);
        Assert.True(labour.Dimensions.Single(d => d.Dimension == Dimension.ExploitativeConditions).Positive);
    }

    [Fact]
    public void Needs_become_referral_steps_and_a_needs_check_has_no_summary()
    {
        var file = ProbeFile([]) with { Kind = InstrumentKind.Needs };
        file.Sections[0].Questions[0] = file.Sections[0].Questions[0] with { Raises = new() { ["yes"] = new Raises(Needs: ["housing", "legal-immigration"]) } };
        var instrument = Load(file);
        var result = Evaluate(instrument, new() { ["q"] = "yes" });
        Assert.Null(result.Summary);
        Assert.Equal(["housing", "legal-immigration"], result.Needs);
        Assert.Equal(["referral:housing", "referral:legal-immigration"], result.NextSteps.Select(s => s.Code));
    }

    [Fact]
    public void Relief_steps_follow_the_facts()
    {
        var file = ProbeFile(["CD.DOCUMENTS"]);
        file.Sections[0].Questions.Add(new Question("status", QuestionType.YesNo, En("Status?"), Raises: new() { ["yes"] = new Raises(Facts: [Facts.NonCitizen, Facts.Arrested]) }));
        var result = Evaluate(Load(file), new() { ["q"] = "yes", ["status"] = "yes" });
        Assert.Contains(result.NextSteps, s => s.Code == "relief-immigration");
        Assert.Contains(result.NextSteps, s => s.Code == "relief-record");
    }

    // Helpers: a one-question probe instrument whose "yes" raises the given indicators.
    static LocalText En(string text) => new() { ["en"] = text };

    static InstrumentFile ProbeFile(string[] codes, bool minorQuestion = false, bool sexWorkQuestion = false)
    {
        var questions = new List<Question> { new("q", QuestionType.YesNo, En("Probe?"), Raises: new() { ["yes"] = new Raises(Indicators: [.. codes]) }) };
        if (minorQuestion) questions.Add(new("age", QuestionType.Number, En("Age?"), Below: new NumberRule(18, new Raises(Facts: [Facts.Minor])), Min: 0, Max: 120));
        if (sexWorkQuestion) questions.Add(new("work", QuestionType.YesNo, En("Sex work?"), Raises: new() { ["yes"] = new Raises(Facts: [Facts.CommercialSex]) }));
        return new InstrumentFile("probe", "1.0", InstrumentKind.Indicators, En("Probe"), new() { ["en"] = TranslationStatus.Reviewed }, [new Section("s", En("S"), questions)]);
    }

    static Instrument Probe(string[] codes, bool minorQuestion = false, bool sexWorkQuestion = false) => Load(ProbeFile(codes, minorQuestion, sexWorkQuestion));

    static Instrument Load(InstrumentFile file)
    {
        var (instrument, problems) = InstrumentLibrary.Parse("probe.json", JsonSerializer.Serialize(file, InstrumentLibrary.Json));
        Assert.Empty(problems);
        return instrument!;
    }

    static ScreeningResult Evaluate(Instrument instrument, Dictionary<string, object> answers)
    {
        var json = answers.ToDictionary(a => a.Key, a => JsonSerializer.SerializeToElement(a.Value));
        var (sheet, errors) = AnswerSheet.Parse(instrument, json);
        Assert.Empty(errors);
        return ScreeningEngine.Evaluate(sheet!);
    }
}

public sealed class HtcdsExchangeTests
{
    static ScreeningResult Evaluate(string instrumentId, string answers)
    {
        var library = InstrumentLibrary.LoadDirectory(InstrumentLibrary.BuiltInDirectory);
        var (sheet, errors) = AnswerSheet.Parse(library.Instruments[instrumentId], JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(answers));
        Assert.Empty(errors);
        return ScreeningEngine.Evaluate(sheet!);
    }

    [Fact]
    public void Every_method_of_control_field_is_present_and_true_only_where_an_indicator_maps_to_it()
    {
        var outcome = HtcdsExchange.From(Evaluate("short-screen", """{ "documents-kept": "yes", "police-threat": "yes", "work": ["farm"] }"""));
        Assert.Equal(17, outcome.MethodsOfControl.Count);
        Assert.True(outcome.MethodsOfControl["MethodsOfControlWithholdsDocuments"]);
        Assert.True(outcome.MethodsOfControl["MethodsOfControlThreatOfLawEnforcement"]);
        // The threat also counts as the ILO forced-labour indicator "intimidation and threats", which HTCDS records as Threats.
        Assert.True(outcome.MethodsOfControl["MethodsOfControlThreats"]);
        Assert.Equal(3, outcome.MethodsOfControl.Count(m => m.Value));
        // Indicators alone are not a type of exploitation, and no industry is exchanged without one.
        Assert.Empty(outcome.TypeOfExploitation);
        Assert.Empty(outcome.ForcedLabourIndustry);
    }

    [Fact]
    public void A_labour_rule_met_gives_forced_labour_and_the_isic_sections_of_the_work()
    {
        var result = Evaluate("full-screen", """
            { "age": 35, "work": ["farm", "construction", "sex-work"], "job-different": "yes", "pay-different": "yes",
              "long-hours": "yes", "documents-kept": "yes", "hurt": "yes" }
            """);
        var outcome = HtcdsExchange.From(result);
        Assert.Contains("ForcedLabour", outcome.TypeOfExploitation);
        Assert.Equal(["A_AgricultureForestryAndFishing", "F_Construction"], outcome.ForcedLabourIndustry);
    }

    [Fact]
    public void A_minor_in_commercial_sex_is_sexual_exploitation()
    {
        var outcome = HtcdsExchange.From(Evaluate("court-screen", """{ "age": 16, "trades-sex": "yes" }"""));
        Assert.Equal(["SexualExploitation"], outcome.TypeOfExploitation);
    }

    [Fact]
    public void Every_isic_section_letter_maps_to_an_htcds_field_name() =>
        Assert.All(HtcdsExchange.IsicSections, s => Assert.StartsWith(s.Key + "_", s.Value));
}
