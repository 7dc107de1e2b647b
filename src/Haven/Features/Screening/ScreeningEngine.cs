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
    IReadOnlyList<string> Industries,
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
    static readonly int ElementSlots = Enum.GetValues<FederalElement>().Length + 1, ControlSlots = Enum.GetValues<HtcdsControl>().Length + 1;

    public static readonly IReadOnlyDictionary<Summary, string> SummaryTexts = new Dictionary<Summary, string>
    {
        [Summary.NoIndicatorsIdentified] = "No trafficking indicators identified",
        [Summary.IndicatorsPresent] = "Indicators present",
        [Summary.ConsiderFullAssessment] = "Consider a full assessment",
    };

    public static ScreeningResult Evaluate(AnswerSheet sheet)
    {
        var instrument = sheet.Instrument;
        // Indexed by catalogue position: which questions raised each indicator.
        var raisedBy = new List<string>?[IndicatorCatalogue.All.Count];
        var needs = new List<string>();
        var facts = new List<string>();
        var industries = new List<string>();
        var ageGiven = false;
        for (var i = 0; i < sheet.Answers.Length; i++)
        {
            if (sheet.Answers[i] is not { } answer) continue;
            var q = instrument.Questions[i];
            ageGiven |= instrument.AsksAge[i];
            var byAnswer = instrument.RaisesByAnswer[i];
            if (answer.Values is not null)
            {
                foreach (var value in answer.Values) Add(q.Id, byAnswer![value]);
            }
            else if (answer.Number is { } number)
            {
                if (number < q.Below?.Value) Add(q.Id, instrument.BelowRaises[i]!);
            }
            else if (byAnswer is not null && byAnswer.TryGetValue(answer.Value!, out var raises)) Add(q.Id, raises);
        }

        void Add(string questionId, CompiledRaises raises)
        {
            foreach (var index in raises.Indicators)
            {
                var by = raisedBy[index] ??= [];
                if (!by.Contains(questionId)) by.Add(questionId);
            }
            foreach (var need in raises.Needs) if (!needs.Contains(need)) needs.Add(need);
            foreach (var fact in raises.Facts) if (!facts.Contains(fact)) facts.Add(fact);
            foreach (var industry in raises.Industries) if (!industries.Contains(industry)) industries.Add(industry);
        }

        var present = new List<Indicator>();
        var findings = new List<IndicatorFinding>();
        var elements = new List<string>?[ElementSlots];
        var controls = new bool[ControlSlots];
        for (var n = 0; n < raisedBy.Length; n++)
        {
            if (raisedBy[n] is not { } by) continue;
            var indicator = IndicatorCatalogue.All[n];
            present.Add(indicator);
            findings.Add(new IndicatorFinding(indicator.Code, indicator.Kind, indicator.Label, indicator.Dimension, by));
            foreach (var element in indicator.Supports) (elements[(int)element] ??= []).Add(indicator.Code);
            if (indicator.Htcds is { } control) controls[(int)control] = true;
        }
        foreach (var fact in facts)
            foreach (var element in Facts.Supports(fact)) (elements[(int)element] ??= []).Add(fact);

        var group = facts.Contains(Facts.Minor) ? AgeGroup.Child : AgeGroup.Adult;
        TrackResult[] tracks = [Track(Exploitation.Labour, group, present), Track(Exploitation.Sexual, group, present)];
        var minorInCommercialSex = facts.Contains(Facts.Minor) && facts.Contains(Facts.CommercialSex);

        Summary? summary = instrument.Kind == InstrumentKind.Needs ? null
            : tracks[0].DecisionRuleMet || tracks[1].DecisionRuleMet || minorInCommercialSex ? Summary.ConsiderFullAssessment
            : present.Count > 0 ? Summary.IndicatorsPresent
            : Summary.NoIndicatorsIdentified;

        var elementFindings = new List<ElementFinding>();
        for (var e = 1; e < elements.Length; e++)
            if (elements[e] is { } by) elementFindings.Add(new ElementFinding((FederalElement)e, by));
        var controlList = new List<HtcdsControl>();
        for (var c = 1; c < controls.Length; c++)
            if (controls[c]) controlList.Add((HtcdsControl)c);

        return new ScreeningResult(
            instrument.Id, instrument.Version, summary, summary is { } s ? SummaryTexts[s] : null, group, ageGiven,
            findings, tracks, elementFindings, controlList, minorInCommercialSex, facts, needs, industries,
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
        // Strong, medium and weak counts per dimension (index = dimension - 1).
        var counts = new int[Dimensions.Length, 4];
        foreach (var i in present)
            if (i.Dimension is { } d && i.StrengthIn(set) is { } strength) counts[(int)d - 1, (int)strength]++;
        var dimensions = new DimensionResult[Dimensions.Length];
        for (var d = 0; d < dimensions.Length; d++)
        {
            int strong = counts[d, (int)Strength.Strong], medium = counts[d, (int)Strength.Medium], weak = counts[d, (int)Strength.Weak];
            dimensions[d] = new DimensionResult(Dimensions[d], DimensionPositive(strong, medium, weak), strong, medium, weak);
        }
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
        if (summary == Summary.ConsiderFullAssessment)
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
