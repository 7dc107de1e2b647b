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

    [Fact]
    public void Every_entry_cites_its_source_and_every_federal_mapping_its_clause()
    {
        foreach (var i in IndicatorCatalogue.All)
        {
            Assert.StartsWith(i.Kind switch { IndicatorKind.Operational => "ILO/EC 2009", IndicatorKind.ForcedLabour => "ILO indicators of forced labour (2012)", _ => "HTCDS 2.0" }, i.Source);
            Assert.All(i.Supports, s => Assert.StartsWith("7102(", s.Clause));
            if (i.Situation is { } situation) Assert.True(Facts.Situations.ContainsKey(situation), i.Code);
            // A situation's abuse is an ILO means; under 7102(3) it is coercion only as abuse of the legal process or a scheme.
            if (i.Dimension is Dimension.RecruitmentByAbuseOfVulnerability or Dimension.AbuseOfVulnerabilityAtDestination)
                Assert.All(i.Supports.Where(s => s.Element == FederalElement.Coercion), s => Assert.Matches(@"7102\(3\)\((B|C)\)", s.Clause));
            // Exploitative conditions are never a means.
            if (i.Dimension == Dimension.ExploitativeConditions) Assert.Empty(i.Supports);
        }
        Assert.Equal(Enumerable.Range(1, 11), IndicatorCatalogue.All.Where(i => i.Kind == IndicatorKind.ForcedLabour).Select(i => i.Number));
        Assert.All(Enum.GetValues<FederalElement>(), e => Assert.StartsWith("7102(", IndicatorCatalogue.ElementClauses[e]));
    }

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
        Assert.Equal([Exploitation.Labour], found.Tracks);
        if (indicator.ForcedLabour is { } fl) Assert.Contains(result.Indicators, f => f.Code == fl);
        if (indicator.Htcds is { } h) Assert.Contains(h, result.MethodsOfControl);
        foreach (var support in indicator.Supports) Assert.Contains(result.FederalElements, e => e.Element == support.Element && e.SupportedBy.Contains(code));
        // One indicator is never the top of the ladder on its own: no single one is a decision rule or every federal element.
        Assert.Equal(Summary.ConsiderFullAssessment, result.Summary);
        Assert.Equal(ScreeningEngine.RulesVersion, result.RulesVersion);
    }

    [Fact]
    public void No_answers_means_no_trafficking_indicators_identified_never_a_label_and_services_are_still_offered()
    {
        var result = Evaluate(Probe(["CD.DOCUMENTS"]), []);
        Assert.Equal(Summary.NoIndicatorsIdentified, result.Summary);
        Assert.Equal("No trafficking indicators identified", result.SummaryText);
        Assert.Empty(result.Indicators);
        Assert.All(result.Tracks, t => Assert.False(t.DecisionRuleMet));
        Assert.Equal("services", Assert.Single(result.NextSteps).Code);
        foreach (var text in ScreeningEngine.SummaryTexts.Values) Assert.DoesNotContain("victim", text, StringComparison.OrdinalIgnoreCase);
    }

    // The ladder, row by row. Work: "labour" (other work), "sex" (trades sex), "both" (both, and said it happened in both).
    [Theory]
    [InlineData("", "labour", 30, false, Summary.NoIndicatorsIdentified)]
    [InlineData("", "sex", 30, false, Summary.NoIndicatorsIdentified)]
    [InlineData("EX.LOW_PAY", "labour", 30, false, Summary.ConsiderFullAssessment)]
    [InlineData("EX.EXCESSIVE_HOURS EX.LOW_PAY", "sex", 30, false, Summary.ConsiderFullAssessment)]
    // The decision rule: recruitment, exploitation and coercion at destination on the track of the work.
    [InlineData("DR.JOB DR.WAGES EX.EXCESSIVE_HOURS EX.LOW_PAY CD.DOCUMENTS CD.VIOLENCE", "labour", 30, false, Summary.IndicatorsPresent)]
    [InlineData("DR.JOB DR.WAGES EX.EXCESSIVE_HOURS EX.LOW_PAY CD.DOCUMENTS CD.VIOLENCE", "sex", 30, false, Summary.IndicatorsPresent)]
    // Without coercion at destination, and with no purpose under 7102(11)(B): some indicators only.
    [InlineData("DR.JOB DR.WAGES EX.EXCESSIVE_HOURS EX.LOW_PAY", "labour", 30, false, Summary.ConsiderFullAssessment)]
    // 7102(11)(B): an action, coercion (threats) and debt bondage, though the ILO/EC rule is not met.
    [InlineData("CD.DEBT_BONDAGE CD.THREAT_VIOLENCE", "labour", 30, false, Summary.IndicatorsPresent)]
    // 7102(11)(A): a commercial sex act induced by coercion.
    [InlineData("CD.THREAT_VIOLENCE", "sex", 30, false, Summary.IndicatorsPresent)]
    // The same threat in other work, with no servitude, peonage, debt bondage or slavery: not every element.
    [InlineData("CD.THREAT_VIOLENCE", "labour", 30, false, Summary.ConsiderFullAssessment)]
    // Abuse of vulnerability alone supports no federal means.
    [InlineData("AR.ECONOMIC AD.DEPENDENCY", "sex", 30, false, Summary.ConsiderFullAssessment)]
    // Under 18 in commercial sex, now or when it began, needs no means.
    [InlineData("", "sex", 16, false, Summary.IndicatorsPresent)]
    [InlineData("", "sex", 29, true, Summary.IndicatorsPresent)]
    [InlineData("", "labour", 16, false, Summary.NoIndicatorsIdentified)]
    [InlineData("", "labour", 29, true, Summary.NoIndicatorsIdentified)]
    [InlineData("DR.JOB DR.WAGES EX.EXCESSIVE_HOURS EX.LOW_PAY", "labour", 16, false, Summary.IndicatorsPresent)]
    public void The_ladder(string codes, string work, int age, bool startedUnder18, Summary expected)
    {
        var result = Evaluate(Ladder(codes.Split(' ', StringSplitOptions.RemoveEmptyEntries)), LadderAnswers(work, age, startedUnder18));
        Assert.Equal(expected, result.Summary);
        Assert.Equal("services", result.NextSteps[^1].Code);
        Assert.Equal(expected != Summary.NoIndicatorsIdentified, result.NextSteps.Any(s => s.Code == "full-assessment"));
    }

    [Fact]
    public void Sexual_exploitation_is_evaluated_only_for_someone_who_said_they_trade_sex_and_labour_for_any_other_work()
    {
        string[] all = ["DR.JOB", "DR.WAGES", "EX.EXCESSIVE_HOURS", "EX.LOW_PAY", "CD.DOCUMENTS", "CD.VIOLENCE"];
        var labour = Evaluate(Ladder(all), LadderAnswers("labour", 40, false));
        Assert.Equal([Exploitation.Labour], labour.Tracks.Select(t => t.Exploitation));
        Assert.True(labour.Tracks[0].DecisionRuleMet);
        Assert.DoesNotContain(Exploitation.Sexual, labour.Indicators.SelectMany(i => i.Tracks!));

        // Forced sex work: the sexual track meets the rule, and the labour track sees nothing from that work.
        var sex = Evaluate(Ladder(all), LadderAnswers("sex", 40, false));
        Assert.True(sex.Tracks.Single(t => t.Exploitation == Exploitation.Sexual).DecisionRuleMet);
        var labourTrack = sex.Tracks.Single(t => t.Exploitation == Exploitation.Labour);
        Assert.False(labourTrack.DecisionRuleMet);
        Assert.All(labourTrack.Dimensions, d => Assert.Equal(0, d.Strong + d.Medium + d.Weak));

        // Both kinds of work and not said where: the indicators count on neither track, and the next step asks.
        var unsaid = Evaluate(Ladder(all), LadderAnswers("both-unsaid", 40, false));
        Assert.True(unsaid.WorkNotAttributed);
        Assert.All(unsaid.Tracks, t => Assert.False(t.DecisionRuleMet));
        Assert.Equal(Summary.ConsiderFullAssessment, unsaid.Summary);
        Assert.Contains(unsaid.NextSteps, s => s.Code == "which-work");

        var both = Evaluate(Ladder(all), LadderAnswers("both", 40, false));
        Assert.All(both.Tracks, t => Assert.True(t.DecisionRuleMet));
        Assert.False(both.WorkNotAttributed);
    }

    [Fact]
    public void A_question_about_one_kind_of_work_counts_on_its_track_whatever_else_the_person_does()
    {
        var file = ProbeFile([], sexWorkQuestion: true);
        file.Sections[0].Questions.Add(new Question("clients", QuestionType.YesNo, En("Has someone made you see clients you refused?"),
            ShowIf: new Condition("work", ["yes"]), Raises: new() { ["yes"] = new Raises(Indicators: ["CD.FORCED_TASKS"], Track: Exploitation.Sexual) }));
        var result = Evaluate(Load(file), new() { ["work"] = "yes", ["clients"] = "yes" });
        Assert.Equal([Exploitation.Sexual], result.Indicators.Single(i => i.Code == "CD.FORCED_TASKS").Tracks);
    }

    [Fact]
    public void Under_18_now_and_under_18_when_it_began_are_different_facts()
    {
        var minor = Evaluate(Ladder([]), LadderAnswers("sex", 17, false));
        Assert.Equal(AgeGroup.Child, minor.AgeGroup);
        Assert.True(minor.MinorInCommercialSex);
        Assert.Equal("minor-reporting", minor.NextSteps[0].Code);
        Assert.Contains(minor.FederalElements, e => e.Element == FederalElement.CommercialSexAct);
        Assert.DoesNotContain(minor.FederalElements, e => e.Element is FederalElement.Force or FederalElement.Fraud or FederalElement.Coercion);

        // A 29-year-old who started before 18: adult rules, no child report, and the legal finding about the past.
        var adult = Evaluate(Ladder(["EX.LOW_PAY"]), LadderAnswers("sex", 29, true));
        Assert.Equal(AgeGroup.Adult, adult.AgeGroup);
        Assert.Equal([IndicatorSet.AdultLabour, IndicatorSet.AdultSexual], adult.Tracks.Select(t => t.Set));
        Assert.False(adult.MinorInCommercialSex);
        Assert.True(adult.UnderEighteenInCommercialSex);
        Assert.True(adult.Tracks.Single(t => t.Exploitation == Exploitation.Sexual).SevereForm);
        Assert.DoesNotContain(adult.NextSteps, s => s.Code == "minor-reporting");
        Assert.Contains(adult.NextSteps, s => s.Code == "under-18-before");

        // Started some work before 18, and also trades sex: commercial sex under 18 only from an answer about it.
        var mixed = Evaluate(Ladder([]), LadderAnswers("both", 29, true));
        Assert.False(mixed.UnderEighteenInCommercialSex);
        Assert.Equal(Summary.NoIndicatorsIdentified, mixed.Summary);
        Assert.Contains(mixed.NextSteps, s => s.Code == "ask-sex-under-18");
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
        Assert.Equal(["referral:housing", "referral:legal-immigration", "services"], result.NextSteps.Select(s => s.Code));
    }

    [Fact]
    public void Wage_theft_is_a_labour_rights_referral_not_coercion()
    {
        var result = Evaluate(Probe(["EX.LOW_PAY"]), new() { ["q"] = "yes" });
        Assert.Contains(result.NextSteps, s => s.Code == "referral:legal-employment");
        Assert.DoesNotContain(result.FederalElements, e => e.Element == FederalElement.Coercion);
        Assert.Equal(Summary.ConsiderFullAssessment, result.Summary);
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

    [Fact]
    public void Every_next_step_and_summary_reads_in_spanish()
    {
        string[] codes = ["minor-reporting", "under-18-before", "ask-age", "ask-sex-under-18", "full-assessment", "which-work", "relief-immigration", "relief-record", "safety-plan", "services"];
        foreach (var code in codes.Concat(Needs.All.Keys.Select(n => "referral:" + n)))
        {
            var es = ScreeningTexts.NextStep(code, "es");
            Assert.NotEqual(code, es);
            Assert.NotEqual(ScreeningTexts.NextStep(code, "en"), es);
        }
        foreach (var s in Enum.GetValues<Summary>()) Assert.NotEqual(ScreeningTexts.Summary(s, "en"), ScreeningTexts.Summary(s, "es"));
    }

    // Helpers: a one-question probe instrument whose "yes" raises the given indicators.
    static LocalText En(string text) => new() { ["en"] = text };

    const string ProbeWording = "Did someone use your situation against you or make you do this?";

    static InstrumentFile ProbeFile(string[] codes, bool minorQuestion = false, bool sexWorkQuestion = false)
    {
        var questions = new List<Question> { new("q", QuestionType.YesNo, En(ProbeWording), Raises: new() { ["yes"] = new Raises(Indicators: [.. codes]) }) };
        if (minorQuestion) questions.Add(new("age", QuestionType.Number, En("Age?"), Below: new NumberRule(18, new Raises(Facts: [Facts.Minor])), Min: 0, Max: 120));
        if (sexWorkQuestion) questions.Add(new("work", QuestionType.YesNo, En("Do you trade sex?"), Raises: new() { ["yes"] = new Raises(Facts: [Facts.CommercialSex]) }));
        return new InstrumentFile("probe", "1.0", InstrumentKind.Indicators, En("Probe"), new() { ["en"] = TranslationStatus.Reviewed }, [new Section("s", En("S"), questions)]);
    }

    static Instrument Probe(string[] codes, bool minorQuestion = false, bool sexWorkQuestion = false) => Load(ProbeFile(codes, minorQuestion, sexWorkQuestion));

    /// <summary>A probe with the questions a ladder row needs: age, started before 18, trades sex, other work, and where it happened.</summary>
    static Instrument Ladder(string[] codes)
    {
        var file = ProbeFile(codes, minorQuestion: true, sexWorkQuestion: true);
        file.Sections[0].Questions.AddRange([
            new("started", QuestionType.YesNo, En("Started before 18?"), Raises: new() { ["yes"] = new Raises(Facts: [Facts.UnderEighteenAtStart]) }),
            new("other", QuestionType.YesNo, En("Other work?"), Raises: new() { ["yes"] = new Raises(Facts: [Facts.LaborOrServices]) }),
            new("where", QuestionType.Choice, En("Where?"), Options: [
                new AnswerOption("sex", En("Sex work"), new Raises(Facts: [Facts.InSexWork])),
                new AnswerOption("other", En("Other"), new Raises(Facts: [Facts.InOtherWork])),
                new AnswerOption("both", En("Both"), new Raises(Facts: [Facts.InSexWork, Facts.InOtherWork]))]),
        ]);
        return Load(file);
    }

    static Dictionary<string, object> LadderAnswers(string work, int age, bool startedUnder18)
    {
        var answers = new Dictionary<string, object> { ["q"] = "yes", ["age"] = age };
        if (startedUnder18) answers["started"] = "yes";
        if (work is "sex" or "both" or "both-unsaid") answers["work"] = "yes";
        if (work is "labour" or "both" or "both-unsaid") answers["other"] = "yes";
        if (work == "both") answers["where"] = "both";
        return answers;
    }

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
        Assert.DoesNotContain("TraffickingStatus", JsonSerializer.Serialize(outcome));
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
            { "age": 35, "work": ["farm", "construction", "sex-work"], "which-work": "other-work", "job-different": "yes", "conditions-different": "yes",
              "long-hours": "yes", "pay-different": "yes", "documents-kept": "yes", "hurt": "yes" }
            """);
        var outcome = HtcdsExchange.From(result);
        // It happened in the farm and building work: forced labour, and not sexual exploitation because the person also trades sex.
        Assert.Equal(["ForcedLabour"], outcome.TypeOfExploitation);
        Assert.Equal(["A_AgricultureForestryAndFishing", "F_Construction"], outcome.ForcedLabourIndustry);
    }

    [Fact]
    public void A_minor_in_commercial_sex_is_sexual_exploitation()
    {
        var outcome = HtcdsExchange.From(Evaluate("court-screen", """{ "age": 16, "trades-sex": "yes" }"""));
        Assert.Equal(["SexualExploitation"], outcome.TypeOfExploitation);
    }

    [Fact]
    public void Forced_domestic_work_is_forced_labour_only_and_forced_sex_work_sexual_exploitation_only()
    {
        const string coerced = """
            "job-different": "yes", "conditions-different": "yes", "long-hours": "yes", "pay-different": "yes", "documents-kept": "yes", "watched": "yes"
            """;
        Assert.Equal(["ForcedLabour"], HtcdsExchange.From(Evaluate("full-screen", $$"""{ "age": 41, "work": ["domestic"], {{coerced}} }""")).TypeOfExploitation);
        var sex = HtcdsExchange.From(Evaluate("full-screen", $$"""{ "age": 41, "work": ["sex-work"], {{coerced}} }"""));
        Assert.Equal(["SexualExploitation"], sex.TypeOfExploitation);
        Assert.Empty(sex.ForcedLabourIndustry);
    }

    [Fact]
    public void Every_isic_section_letter_maps_to_an_htcds_field_name() =>
        Assert.All(HtcdsExchange.IsicSections, s => Assert.StartsWith(s.Key + "_", s.Value));
}
