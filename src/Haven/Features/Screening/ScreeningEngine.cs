namespace Haven.Features.Screening;

public enum Exploitation { Labour = 1, Sexual = 2 }

public enum AgeGroup { Adult = 1, Child = 2 }

/// <summary>The words a result uses. Never "victim" or "not a victim", never a score about the person.</summary>
public enum Summary { NoIndicatorsIdentified = 1, IndicatorsPresent = 2, ConsiderFullAssessment = 3 }

public sealed record IndicatorFinding(string Code, IndicatorKind Kind, string Label, Dimension? Dimension, IReadOnlyList<string> RaisedBy);

public sealed record DimensionResult(Dimension Dimension, bool Positive, int Strong, int Medium, int Weak);

/// <summary>One exploitation track under one of the four indicator sets.</summary>
public sealed record TrackResult(Exploitation Exploitation, IndicatorSet Set, IReadOnlyList<DimensionResult> Dimensions, bool DecisionRuleMet);

public sealed record ElementFinding(FederalElement Element, IReadOnlyList<string> SupportedBy);

public sealed record NextStep(string Code, string Text);

public sealed record ScreeningResult(
    string InstrumentId,
    string InstrumentVersion,
    Summary? Summary,
    string? SummaryText,
    AgeGroup AgeGroup,
    bool AgeGiven,
    IReadOnlyList<IndicatorFinding> Indicators,
    IReadOnlyList<TrackResult> Tracks,
    IReadOnlyList<ElementFinding> FederalElements,
    IReadOnlyList<HtcdsControl> MethodsOfControl,
    bool MinorInCommercialSex,
    IReadOnlyList<string> Facts,
    IReadOnlyList<string> Needs,
    IReadOnlyList<NextStep> NextSteps);

/// <summary>
/// Answers in, result out; no I/O. Finds the indicators the answers raise, applies the ILO/EC combination rule to
/// each dimension and the decision rule for the person's age group on both the labour and the sexual exploitation
/// track (the labour track is evaluated whatever work the person does), and lists the federal elements the
/// indicators may support, the needs named and next steps.
/// </summary>
public static class ScreeningEngine
{
    static readonly Dimension[] Dimensions = Enum.GetValues<Dimension>();

    public static readonly IReadOnlyDictionary<Summary, string> SummaryTexts = new Dictionary<Summary, string>
    {
        [Summary.NoIndicatorsIdentified] = "No trafficking indicators identified",
        [Summary.IndicatorsPresent] = "Indicators present",
        [Summary.ConsiderFullAssessment] = "Consider a full assessment",
    };

    public static ScreeningResult Evaluate(AnswerSheet sheet)
    {
        var instrument = sheet.Instrument;
        var raisedBy = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var needs = new List<string>();
        var facts = new List<string>();
        var ageGiven = false;
        for (var i = 0; i < sheet.Answers.Length; i++)
        {
            if (sheet.Answers[i] is not { } answer) continue;
            var q = instrument.Questions[i];
            ageGiven |= instrument.AsksAge[i];
            switch (q.Type)
            {
                case QuestionType.YesNo when q.Raises is not null && q.Raises.TryGetValue(answer.Value!, out var raises):
                    Add(q.Id, raises);
                    break;
                case QuestionType.Choice:
                    Add(q.Id, instrument.OptionsById[i]![answer.Value!].Raises);
                    break;
                case QuestionType.Multiple:
                    foreach (var value in answer.Values!) Add(q.Id, instrument.OptionsById[i]![value].Raises);
                    break;
                case QuestionType.Number when q.Below is not null:
                    if (answer.Number < q.Below.Value) Add(q.Id, q.Below.Raises);
                    break;
            }
        }

        void Add(string questionId, Raises? raises)
        {
            if (raises is null) return;
            foreach (var code in raises.Indicators ?? [])
            {
                Mark(code, questionId);
                // An operational or method-of-control indicator also counts as the forced-labour indicator it belongs to.
                if (IndicatorCatalogue.ByCode[code].ForcedLabour is { } forced) Mark(forced, questionId);
            }
            foreach (var need in raises.Needs ?? []) if (!needs.Contains(need)) needs.Add(need);
            foreach (var fact in raises.Facts ?? []) if (!facts.Contains(fact)) facts.Add(fact);
        }

        void Mark(string code, string questionId)
        {
            if (!raisedBy.TryGetValue(code, out var by)) raisedBy[code] = by = [];
            if (!by.Contains(questionId)) by.Add(questionId);
        }

        var present = raisedBy.Keys.Select(c => IndicatorCatalogue.ByCode[c]).OrderBy(i => i.Kind).ThenBy(i => i.Dimension).ThenBy(i => i.Code, StringComparer.Ordinal).ToList();
        var group = facts.Contains(Facts.Minor) ? AgeGroup.Child : AgeGroup.Adult;
        var tracks = new[] { Exploitation.Labour, Exploitation.Sexual }.Select(e => Track(e, group, present)).ToList();

        var elements = new Dictionary<FederalElement, List<string>>();
        foreach (var (element, by) in present.SelectMany(i => i.Supports.Select(e => (e, i.Code))).Concat(facts.SelectMany(f => Facts.Supports(f).Select(e => (e, f)))))
        {
            if (!elements.TryGetValue(element, out var list)) elements[element] = list = [];
            list.Add(by);
        }
        var minorInCommercialSex = facts.Contains(Facts.Minor) && facts.Contains(Facts.CommercialSex);

        Summary? summary = instrument.Kind == InstrumentKind.Needs ? null
            : tracks.Any(t => t.DecisionRuleMet) || minorInCommercialSex ? Screening.Summary.ConsiderFullAssessment
            : present.Count > 0 ? Screening.Summary.IndicatorsPresent
            : Screening.Summary.NoIndicatorsIdentified;

        return new ScreeningResult(
            instrument.Id, instrument.Version, summary, summary is { } s ? SummaryTexts[s] : null, group, ageGiven,
            [.. present.Select(i => new IndicatorFinding(i.Code, i.Kind, i.Label, i.Dimension, raisedBy[i.Code]))],
            tracks,
            [.. elements.OrderBy(e => e.Key).Select(e => new ElementFinding(e.Key, e.Value))],
            [.. present.Where(i => i.Htcds is not null).Select(i => i.Htcds!.Value).Distinct().Order()],
            minorInCommercialSex, facts, needs,
            NextSteps(summary, minorInCommercialSex, present, facts, needs));
    }

    static TrackResult Track(Exploitation exploitation, AgeGroup group, List<Indicator> present)
    {
        var set = (group, exploitation) switch
        {
            (AgeGroup.Adult, Exploitation.Labour) => IndicatorSet.AdultLabour,
            (AgeGroup.Adult, Exploitation.Sexual) => IndicatorSet.AdultSexual,
            (AgeGroup.Child, Exploitation.Labour) => IndicatorSet.ChildLabour,
            _ => IndicatorSet.ChildSexual,
        };
        var dimensions = Dimensions.Select(d =>
        {
            int strong = 0, medium = 0, weak = 0;
            foreach (var i in present)
            {
                if (i.Dimension != d) continue;
                switch (i.StrengthIn(set))
                {
                    case Strength.Strong: strong++; break;
                    case Strength.Medium: medium++; break;
                    case Strength.Weak: weak++; break;
                }
            }
            return new DimensionResult(d, DimensionPositive(strong, medium, weak), strong, medium, weak);
        }).ToList();
        bool Positive(Dimension d) => dimensions[(int)d - 1].Positive;
        return new TrackResult(exploitation, set, dimensions, DecisionRule(group, Positive));
    }

    /// <summary>The published combination rule: a dimension is positive with two strong indicators, or one strong
    /// and one medium or weak, or three medium, or two medium and one weak.</summary>
    public static bool DimensionPositive(int strong, int medium, int weak) =>
        strong >= 2 || strong >= 1 && medium + weak >= 1 || medium >= 3 || medium >= 2 && weak >= 1;

    /// <summary>The published decision rule. Adults: a recruitment dimension (deceptive, coercive or by abuse of
    /// vulnerability), exploitation, and coercion or abuse of vulnerability at destination. Children: a recruitment
    /// dimension and exploitation.</summary>
    public static bool DecisionRule(AgeGroup group, Func<Dimension, bool> positive)
    {
        var recruitment = positive(Dimension.DeceptiveRecruitment) || positive(Dimension.CoerciveRecruitment)
            || positive(Dimension.RecruitmentByAbuseOfVulnerability);
        var exploitation = positive(Dimension.ExploitativeConditions);
        return group == AgeGroup.Child
            ? recruitment && exploitation
            : recruitment && exploitation && (positive(Dimension.CoercionAtDestination) || positive(Dimension.AbuseOfVulnerabilityAtDestination));
    }

    static List<NextStep> NextSteps(Summary? summary, bool minorInCommercialSex, List<Indicator> present, List<string> facts, List<string> needs)
    {
        var steps = new List<NextStep>();
        if (minorInCommercialSex)
            steps.Add(new("minor-reporting", "The person was under 18 in commercial sex: follow your organization's reporting duties, shown below, and tell the person what you must report before you do."));
        if (summary == Screening.Summary.ConsiderFullAssessment)
            steps.Add(new("full-assessment", "Offer a full assessment with a trained advocate or attorney, if the person wants one."));
        var anyIndicator = present.Count > 0;
        if (anyIndicator && facts.Contains(Facts.NonCitizen))
            steps.Add(new("relief-immigration", "Open an immigration matter to screen for T or U visa relief."));
        if (facts.Contains(Facts.Arrested) || facts.Contains(Facts.CriminalRecord))
            steps.Add(new("relief-record", "Open a record relief matter to screen for vacatur, sealing or expungement."));
        if (present.Any(i => i.Htcds is HtcdsControl.Threats or HtcdsControl.PhysicalAbuse or HtcdsControl.SexualAbuse))
            steps.Add(new("safety-plan", "Make or update a safety plan with the person."));
        if (present.Any(i => i.Code is "CD.WITHHOLDING_WAGES" or "EX.LOW_PAY" or "EX.WAGE_MANIPULATION") && !needs.Contains("legal-wages"))
            steps.Add(new("referral:legal-wages", "Offer a referral for wages owed (labour rights)."));
        foreach (var need in needs)
            steps.Add(new($"referral:{need}", $"Offer a referral: {Needs.All[need]}."));
        return steps;
    }
}
