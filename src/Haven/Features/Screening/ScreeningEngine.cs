namespace Haven.Features.Screening;

public enum Exploitation { Labour = 1, Sexual = 2 }

public enum AgeGroup { Adult = 1, Child = 2 }

/// <summary>The words a result uses, from the top of the ladder down. Never "victim" or "not a victim", never a
/// score about the person.</summary>
public enum Summary { NoIndicatorsIdentified = 1, IndicatorsPresent = 2, ConsiderFullAssessment = 3 }

/// <summary>One indicator the answers raised, the questions that raised it and the tracks it counts on (empty when
/// the person named both kinds of work and did not say in which one it happened).</summary>
public sealed record IndicatorFinding(string Code, IndicatorKind Kind, string Label, Dimension? Dimension, IReadOnlyList<string> RaisedBy,
    IReadOnlyList<Exploitation>? Tracks = null);

public sealed record DimensionResult(Dimension Dimension, bool Positive, int Strong, int Medium, int Weak);

public sealed record ElementFinding(FederalElement Element, IReadOnlyList<string> SupportedBy, string? Clause = null);

/// <summary>One exploitation track under one of the four indicator sets: the ILO/EC dimensions and decision rule,
/// and the 22 U.S.C. 7102 elements from what happened in that work. <see cref="SevereForm"/> is true when the
/// answers support every element of 7102(11)(A) (sexual) or 7102(11)(B) (labour).</summary>
public sealed record TrackResult(Exploitation Exploitation, IndicatorSet Set, IReadOnlyList<DimensionResult> Dimensions, bool DecisionRuleMet,
    IReadOnlyList<ElementFinding>? FederalElements = null, bool SevereForm = false);

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
    IReadOnlyList<NextStep> NextSteps,
    // Added with rules 2.0; a result stored before has null here.
    string? RulesVersion = null,
    bool UnderEighteenInCommercialSex = false,
    bool WorkNotAttributed = false)
{
    /// <summary>The rules that produced this result; results stored before versions were recorded are "1.0".</summary>
    public string Rules => RulesVersion ?? "1.0";
}

/// <summary>
/// Answers in, result out; no I/O.
/// <list type="number">
/// <item>Finds the indicators the answers raise and the facts they record. A situation (poverty, no papers, the
/// language) is a fact, never an indicator.</item>
/// <item>Puts each indicator on the track of the work where it happened: sexual exploitation only when the person
/// answered that they trade sex; labour for any other work, and for everyone who named no work. A person who named
/// both says where; until they do, the indicators count on neither track.</item>
/// <item>Applies the ILO/EC combination rule to each dimension and the decision rule for the person's age group now
/// (under 18 now: the child rule), and the elements of 22 U.S.C. 7102(11) on each track.</item>
/// <item>Gives the ladder: "Indicators present" when a track meets the decision rule or every federal element, or
/// the person was under 18 in commercial sex; "Consider a full assessment" for other indicators; otherwise "No
/// trafficking indicators identified". Every result ends with the offer of services.</item>
/// </list>
/// </summary>
public static class ScreeningEngine
{
    /// <summary>The version of these rules. Stored results keep the version that produced them; a result from an
    /// earlier version can be evaluated again under the current rules.</summary>
    public const string RulesVersion = "2.0";

    static readonly Dimension[] Dimensions = Enum.GetValues<Dimension>();
    static readonly int ElementSlots = Enum.GetValues<FederalElement>().Length + 1, ControlSlots = Enum.GetValues<HtcdsControl>().Length + 1;
    const int LabourBit = 1, SexualBit = 2, ContextBit = 4;

    public static readonly IReadOnlyDictionary<Summary, string> SummaryTexts = new Dictionary<Summary, string>
    {
        [Summary.NoIndicatorsIdentified] = "No trafficking indicators identified",
        [Summary.IndicatorsPresent] = "Indicators present",
        [Summary.ConsiderFullAssessment] = "Consider a full assessment",
    };

    public static ScreeningResult Evaluate(AnswerSheet sheet)
    {
        var instrument = sheet.Instrument;
        // Indexed by catalogue position: which questions raised each indicator, and on which tracks.
        var raisedBy = new List<string>?[IndicatorCatalogue.All.Count];
        var trackBits = new int[IndicatorCatalogue.All.Count];
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
            var bits = raises.Track switch { Exploitation.Labour => LabourBit, Exploitation.Sexual => SexualBit, _ => ContextBit };
            foreach (var index in raises.Indicators)
            {
                var by = raisedBy[index] ??= [];
                if (!by.Contains(questionId)) by.Add(questionId);
                trackBits[index] |= bits;
            }
            foreach (var need in raises.Needs) if (!needs.Contains(need)) needs.Add(need);
            foreach (var fact in raises.Facts) if (!facts.Contains(fact)) facts.Add(fact);
            foreach (var industry in raises.Industries) if (!industries.Contains(industry)) industries.Add(industry);
        }

        // Which work the answers are about. Commercial sex is only ever what the person said about commercial sex.
        var minorNow = facts.Contains(Facts.Minor);
        var commercialSex = facts.Contains(Facts.CommercialSex) || facts.Contains(Facts.CommercialSexUnderEighteen);
        var otherWork = facts.Contains(Facts.LaborOrServices);
        var contextBits = !commercialSex ? LabourBit
            : !otherWork ? SexualBit
            : (facts.Contains(Facts.InSexWork) ? SexualBit : 0) | (facts.Contains(Facts.InOtherWork) ? LabourBit : 0);
        // Under 18 in commercial sex, now or when it began: "started this work before 18" speaks of commercial sex
        // only when commercial sex is the only work the person named.
        var underEighteenInCommercialSex = commercialSex
            && (minorNow || facts.Contains(Facts.CommercialSexUnderEighteen) || facts.Contains(Facts.UnderEighteenAtStart) && !otherWork);
        var minorInCommercialSex = minorNow && commercialSex;

        var group = minorNow ? AgeGroup.Child : AgeGroup.Adult;
        var findings = new List<IndicatorFinding>();
        var labour = new TrackBuilder(Exploitation.Labour, group);
        var sexual = new TrackBuilder(Exploitation.Sexual, group);
        var union = new List<string>?[ElementSlots];
        var controls = new bool[ControlSlots];
        var notAttributed = false;
        for (var n = 0; n < raisedBy.Length; n++)
        {
            if (raisedBy[n] is not { } by) continue;
            var indicator = IndicatorCatalogue.All[n];
            var bits = (trackBits[n] & ~ContextBit) | ((trackBits[n] & ContextBit) != 0 ? contextBits : 0);
            if (!commercialSex) bits &= ~SexualBit;
            List<Exploitation> tracks = [];
            if ((bits & LabourBit) != 0) { labour.Add(indicator); tracks.Add(Exploitation.Labour); }
            if ((bits & SexualBit) != 0) { sexual.Add(indicator); tracks.Add(Exploitation.Sexual); }
            if (tracks.Count == 0 && indicator.Kind == IndicatorKind.Operational) notAttributed = true;
            findings.Add(new IndicatorFinding(indicator.Code, indicator.Kind, indicator.Label, indicator.Dimension, by, tracks));
            foreach (var support in indicator.Supports) (union[(int)support.Element] ??= []).Add(indicator.Code);
            if (indicator.Htcds is { } control) controls[(int)control] = true;
        }
        if (commercialSex)
        {
            var fact = facts.Contains(Facts.CommercialSex) ? Facts.CommercialSex : Facts.CommercialSexUnderEighteen;
            sexual.AddFact(FederalElement.CommercialSexAct, fact);
            (union[(int)FederalElement.CommercialSexAct] ??= []).Add(fact);
        }

        List<TrackResult> trackResults = [labour.Build(underEighteen: false)];
        if (commercialSex) trackResults.Add(sexual.Build(underEighteenInCommercialSex));
        var top = trackResults.Any(t => t.DecisionRuleMet || t.SevereForm);

        Summary? summary = instrument.Kind == InstrumentKind.Needs ? null
            : top ? Summary.IndicatorsPresent
            : findings.Count > 0 ? Summary.ConsiderFullAssessment
            : Summary.NoIndicatorsIdentified;

        var elementFindings = new List<ElementFinding>();
        for (var e = 1; e < union.Length; e++)
            if (union[e] is { } by) elementFindings.Add(new ElementFinding((FederalElement)e, [.. by.Distinct()], IndicatorCatalogue.ElementClauses[(FederalElement)e]));
        var controlList = new List<HtcdsControl>();
        for (var c = 1; c < controls.Length; c++)
            if (controls[c]) controlList.Add((HtcdsControl)c);

        var present = findings.Select(f => IndicatorCatalogue.ByCode[f.Code]).ToList();
        return new ScreeningResult(
            instrument.Id, instrument.Version, summary, summary is { } s ? SummaryTexts[s] : null, group, ageGiven,
            findings, trackResults, elementFindings, controlList, minorInCommercialSex, facts, needs, industries,
            NextSteps(summary, minorInCommercialSex, underEighteenInCommercialSex, ageGiven, notAttributed, present, facts, needs),
            RulesVersion, underEighteenInCommercialSex, notAttributed);
    }

    /// <summary>Counts one track's indicators per dimension and gathers its federal elements.</summary>
    sealed class TrackBuilder(Exploitation exploitation, AgeGroup group)
    {
        readonly IndicatorSet set = (group, exploitation) switch
        {
            (AgeGroup.Adult, Exploitation.Labour) => IndicatorSet.AdultLabour,
            (AgeGroup.Adult, Exploitation.Sexual) => IndicatorSet.AdultSexual,
            (AgeGroup.Child, Exploitation.Labour) => IndicatorSet.ChildLabour,
            _ => IndicatorSet.ChildSexual,
        };
        // Strong, medium and weak counts per dimension (index = dimension - 1).
        readonly int[,] counts = new int[Dimensions.Length, 4];
        readonly List<string>?[] elements = new List<string>?[ElementSlots];

        public void Add(Indicator i)
        {
            if (i.Dimension is { } d && i.StrengthIn(set) is { } strength) counts[(int)d - 1, (int)strength]++;
            foreach (var support in i.Supports) AddFact(support.Element, i.Code);
        }

        public void AddFact(FederalElement element, string by) => (elements[(int)element] ??= []).Add(by);

        bool Has(FederalElement e) => elements[(int)e] is not null;

        public TrackResult Build(bool underEighteen)
        {
            var dimensions = new DimensionResult[Dimensions.Length];
            for (var d = 0; d < dimensions.Length; d++)
            {
                int strong = counts[d, (int)Strength.Strong], medium = counts[d, (int)Strength.Medium], weak = counts[d, (int)Strength.Weak];
                dimensions[d] = new DimensionResult(Dimensions[d], DimensionPositive(strong, medium, weak), strong, medium, weak);
            }
            var means = Has(FederalElement.Force) || Has(FederalElement.Fraud) || Has(FederalElement.Coercion);
            // 7102(11)(A): a commercial sex act induced by force, fraud or coercion, or by a person under 18.
            // 7102(11)(B): an action, for labor or services, through force, fraud or coercion, for the purpose of
            // involuntary servitude, peonage, debt bondage or slavery.
            var severe = exploitation == Exploitation.Sexual
                ? Has(FederalElement.CommercialSexAct) && (underEighteen || Has(FederalElement.Action) && means)
                : Has(FederalElement.Action) && means && (Has(FederalElement.InvoluntaryServitude) || Has(FederalElement.Peonage)
                    || Has(FederalElement.DebtBondage) || Has(FederalElement.Slavery));
            var found = new List<ElementFinding>();
            for (var e = 1; e < elements.Length; e++)
                if (elements[e] is { } by) found.Add(new ElementFinding((FederalElement)e, [.. by.Distinct()], IndicatorCatalogue.ElementClauses[(FederalElement)e]));
            return new TrackResult(exploitation, set, dimensions, DecisionRule(group, d => dimensions[(int)d - 1].Positive), found, severe);
        }
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

    /// <summary>Next steps in English; pages show them in the screening's language from their codes (<see cref="ScreeningTexts"/>).</summary>
    static List<NextStep> NextSteps(Summary? summary, bool minorInCommercialSex, bool underEighteenInCommercialSex, bool ageGiven, bool notAttributed,
        List<Indicator> present, List<string> facts, List<string> needs)
    {
        var codes = new List<string>();
        if (minorInCommercialSex) codes.Add("minor-reporting");
        else if (underEighteenInCommercialSex)
        {
            codes.Add("under-18-before");
            if (!ageGiven) codes.Add("ask-age");
        }
        else if (facts.Contains(Facts.UnderEighteenAtStart) && facts.Contains(Facts.CommercialSex) && facts.Contains(Facts.LaborOrServices))
            codes.Add("ask-sex-under-18");
        if (summary is Summary.IndicatorsPresent or Summary.ConsiderFullAssessment) codes.Add("full-assessment");
        if (notAttributed) codes.Add("which-work");
        var anyIndicator = present.Count > 0;
        if ((anyIndicator || underEighteenInCommercialSex) && facts.Contains(Facts.NonCitizen)) codes.Add("relief-immigration");
        if (facts.Contains(Facts.Arrested) || facts.Contains(Facts.CriminalRecord)) codes.Add("relief-record");
        if (present.Any(i => i.Htcds is HtcdsControl.Threats or HtcdsControl.PhysicalAbuse or HtcdsControl.SexualAbuse)) codes.Add("safety-plan");
        // Wage theft and informal work are labour-rights matters with their own referral, whatever else is found.
        var wages = present.Any(i => i.Code is "CD.WITHHOLDING_WAGES" or "EX.LOW_PAY" or "EX.WAGE_MANIPULATION")
            || facts.Contains(Facts.SituationPrefix + "informal-work");
        if (wages && !needs.Contains("legal-employment") && !needs.Contains("legal-wages")) codes.Add("referral:legal-employment");
        foreach (var need in needs) codes.Add($"referral:{need}");
        codes.Add("services");
        return [.. codes.Select(c => new NextStep(c, ScreeningTexts.NextStep(c, Instrument.English)))];
    }
}
