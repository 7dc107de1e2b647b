namespace Haven.Features.Screening;

/// <summary>The six dimensions of the trafficking definition used by the ILO / European Commission operational indicators (2009).</summary>
public enum Dimension
{
    DeceptiveRecruitment = 1,
    CoerciveRecruitment = 2,
    RecruitmentByAbuseOfVulnerability = 3,
    ExploitativeConditions = 4,
    CoercionAtDestination = 5,
    AbuseOfVulnerabilityAtDestination = 6,
}

public enum Strength { Weak = 1, Medium = 2, Strong = 3 }

/// <summary>The four indicator sets of the 2009 publication.</summary>
public enum IndicatorSet { AdultLabour = 0, AdultSexual = 1, ChildLabour = 2, ChildSexual = 3 }

/// <summary>The HTCDS <c>MethodsOfControl*</c> fields (HTCDS 2.0 field definitions).</summary>
public enum HtcdsControl
{
    DebtBondage = 1, TakesEarnings, RestrictsFinancialAccess, Threats, PsychologicalAbuse, PhysicalAbuse, SexualAbuse,
    FalsePromises, PsychoactiveSubstances, RestrictsMovement, RestrictsMedicalCare, ExcessiveWorkingHours, UsesChildren,
    ThreatOfLawEnforcement, WithholdsNecessities, WithholdsDocuments, Other,
}

/// <summary>Elements of a severe form of trafficking under 22 U.S.C. 7102(11) that facts may support: an action,
/// a means (force, fraud or coercion) and a purpose (a commercial sex act, or labor or services through
/// involuntary servitude, peonage, debt bondage or slavery).</summary>
public enum FederalElement
{
    Action = 1, Force, Fraud, Coercion, CommercialSexAct, InvoluntaryServitude, Peonage, DebtBondage, Slavery,
}

/// <summary>One federal element an indicator may support, with the clause of 22 U.S.C. 7102 that defines or names it.</summary>
public sealed record FederalSupport(FederalElement Element, string Clause);

public enum IndicatorKind { Operational = 1, ForcedLabour = 2, MethodOfControl = 3 }

/// <summary>
/// One indicator with a stable code. Operational indicators (ILO/EC 2009) have a dimension and a strength per
/// set (null where the set does not list it). Forced-labour indicators are the ILO's eleven (2012); method-of-control
/// indicators cover the HTCDS fields that neither list names. Every indicator says which forced-labour
/// indicator, HTCDS field and federal elements it corresponds to, where one does.
/// <para><see cref="Situation"/> names the person's own situation that the indicator is the abuse or imposition of
/// (for example "money" for abuse of economic hardship). The situation alone is recorded as a fact, never as the
/// indicator: an answer must say that someone used or imposed it.</para>
/// </summary>
public sealed record Indicator(
    string Code,
    IndicatorKind Kind,
    string Label,
    Dimension? Dimension,
    IReadOnlyList<Strength?> Strengths,
    string? ForcedLabour,
    HtcdsControl? Htcds,
    IReadOnlyList<FederalSupport> Supports,
    string? Situation = null,
    int Number = 0)
{
    public Strength? StrengthIn(IndicatorSet set) => Strengths.Count == 0 ? null : Strengths[(int)set];

    /// <summary>Where the indicator comes from, in words a reviewer can check against the publication.</summary>
    public string Source => Kind switch
    {
        IndicatorKind.Operational => $"ILO/EC 2009 operational indicators, {IndicatorCatalogue.DimensionNames[Dimension!.Value]}: "
            + string.Join(", ", Enum.GetValues<IndicatorSet>().Select(s => $"{IndicatorCatalogue.SetNames[s]} {StrengthIn(s)?.ToString().ToLowerInvariant() ?? "not listed"}")),
        IndicatorKind.ForcedLabour => $"ILO indicators of forced labour (2012), indicator {Number}",
        _ => $"HTCDS 2.0 field MethodsOfControl{Htcds}",
    };
}

/// <summary>Facts an answer can establish that are not indicators: they feed the federal elements, the age rules,
/// the tracks and next steps. Doing sex work is a fact about work, not an indicator; a situation (poverty, no
/// papers, the language) is a fact about the person, not an indicator.</summary>
public static class Facts
{
    /// <summary>Under 18 now (from the age given).</summary>
    public const string Minor = "minor";
    /// <summary>Under 18 when the work began: a fact about the past, not a reason for child rules today.</summary>
    public const string UnderEighteenAtStart = "under-18-at-start";
    /// <summary>Under 18 when the person first traded sex; set only by an answer about commercial sex.</summary>
    public const string CommercialSexUnderEighteen = "commercial-sex-under-18";
    public const string CommercialSex = "commercial-sex", LaborOrServices = "labor-or-services",
        NonCitizen = "noncitizen", Arrested = "arrested", CriminalRecord = "criminal-record";
    /// <summary>For a person who named both sex work and other work: where the things they told us about happened.</summary>
    public const string InSexWork = "in-sex-work", InOtherWork = "in-other-work";
    /// <summary>Someone else decides when, where or with whom the person works: context, not an indicator.</summary>
    public const string ThirdParty = "third-party";

    /// <summary>Facts that describe the person's own situation. Prefixed "situation:"; each is what an
    /// abuse-of-vulnerability (or imposed-conditions) indicator needs someone to have used.</summary>
    public const string SituationPrefix = "situation:";

    public static readonly IReadOnlyDictionary<string, string> Situations = new Dictionary<string, string>
    {
        ["money"] = "Needed money (economic hardship)",
        ["family"] = "A difficult family situation",
        ["health"] = "Illness, disability, pregnancy or substance use",
        ["no-papers"] = "No immigration papers",
        ["language"] = "Does not speak the language",
        ["education"] = "Little schooling",
        ["no-information"] = "Little information about the work or the country",
        ["trusted-recruiter"] = "Introduced to the work by someone they loved, trusted or depended on",
        ["depends-on-employer"] = "Depends on the people they work for for housing, transport or food",
        ["warned-about-police"] = "Was told the police or authorities might arrest or deport them",
        ["told-easy"] = "Was told the work would be easy or pay well",
        ["beliefs"] = "Cultural or religious beliefs",
        ["past"] = "Difficulties in the past",
        ["no-prospects"] = "No other prospects",
        ["general-context"] = "Conflict, disaster or discrimination where they come from",
        ["informal-work"] = "Works without a contract, insurance or days off",
        ["long-hours"] = "Works long or irregular hours",
        ["dangerous-work"] = "The work is dangerous",
    };

    public static readonly IReadOnlySet<string> All = new HashSet<string>(
        new[] { Minor, UnderEighteenAtStart, CommercialSexUnderEighteen, CommercialSex, LaborOrServices, NonCitizen, Arrested, CriminalRecord, InSexWork, InOtherWork, ThirdParty }
            .Concat(Situations.Keys.Select(s => SituationPrefix + s)), StringComparer.Ordinal);

    public static bool IsSituation(string fact) => fact.StartsWith(SituationPrefix, StringComparison.Ordinal);
}

/// <summary>Needs a person can name in a needs check; each becomes a referral next step.</summary>
public static class Needs
{
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
    {
        ["housing"] = "Housing or a safe place to stay",
        ["health"] = "Health care",
        ["mental-health"] = "Mental health or counseling",
        ["legal-immigration"] = "Legal help: immigration",
        ["legal-criminal-record"] = "Legal help: criminal record",
        ["legal-family"] = "Legal help: family or custody",
        ["legal-housing"] = "Legal help: housing or eviction",
        ["legal-employment"] = "Legal help: employment",
        ["legal-wages"] = "Legal help: wages owed",
        ["money"] = "Money or benefits",
        ["safety"] = "Safety",
        ["identity-documents"] = "Identity documents",
        ["language"] = "Language help or an interpreter",
        ["children"] = "Help with children or child care",
        ["education"] = "Education or training",
        ["work"] = "Work or a job",
    };
}

/// <summary>
/// The indicator catalogue. Operational indicators follow the four lists of "Operational indicators of trafficking
/// in human beings" (ILO and European Commission, revised September 2009); the strengths are given per set in the
/// order adult labour, adult sexual, child labour, child sexual ("S", "M", "W", "-" for not listed). Codes are stable:
/// instruments and stored results refer to them, so a code is never reused or renamed.
/// <para>Federal mappings follow 22 U.S.C. 7102: coercion is only what 7102(3) says (threats of serious harm or
/// physical restraint, a scheme to make a person believe refusing would bring them, or abuse of the legal process,
/// 7102(1)); a person's own need or a true warning supports no element. Abuse of a situation is an ILO means, not a
/// federal one, unless it is one of those three.</para>
/// </summary>
public static class IndicatorCatalogue
{
    const Dimension DR = Dimension.DeceptiveRecruitment, CR = Dimension.CoerciveRecruitment, AR = Dimension.RecruitmentByAbuseOfVulnerability,
        EX = Dimension.ExploitativeConditions, CD = Dimension.CoercionAtDestination, AD = Dimension.AbuseOfVulnerabilityAtDestination;

    static readonly FederalSupport Act = new(FederalElement.Action, "7102(11)(B), 7102(12)"),
        Force = new(FederalElement.Force, "7102(11)"),
        Fraud = new(FederalElement.Fraud, "7102(11)"),
        Threats = new(FederalElement.Coercion, "7102(3)(A)"),
        Scheme = new(FederalElement.Coercion, "7102(3)(B)"),
        LegalProcess = new(FederalElement.Coercion, "7102(3)(C), 7102(1)"),
        Servitude = new(FederalElement.InvoluntaryServitude, "7102(8)"),
        Bondage = new(FederalElement.DebtBondage, "7102(7)"),
        Peonage = new(FederalElement.Peonage, "7102(11)(B)");

    /// <summary>The clause that names or defines each element, for elements no indicator supplies (a commercial sex act comes from a fact).</summary>
    public static readonly IReadOnlyDictionary<FederalElement, string> ElementClauses = new Dictionary<FederalElement, string>
    {
        [FederalElement.Action] = Act.Clause,
        [FederalElement.Force] = Force.Clause,
        [FederalElement.Fraud] = Fraud.Clause,
        [FederalElement.Coercion] = "7102(3)",
        [FederalElement.CommercialSexAct] = "7102(4)",
        [FederalElement.InvoluntaryServitude] = Servitude.Clause,
        [FederalElement.Peonage] = Peonage.Clause,
        [FederalElement.DebtBondage] = Bondage.Clause,
        [FederalElement.Slavery] = "7102(11)(B)",
    };

    public static readonly IReadOnlyDictionary<Dimension, string> DimensionNames = new Dictionary<Dimension, string>
    {
        [DR] = "deceptive recruitment",
        [CR] = "coercive recruitment",
        [AR] = "recruitment by abuse of vulnerability",
        [EX] = "exploitative conditions of work",
        [CD] = "coercion at destination",
        [AD] = "abuse of vulnerability at destination",
    };

    public static readonly IReadOnlyDictionary<IndicatorSet, string> SetNames = new Dictionary<IndicatorSet, string>
    {
        [IndicatorSet.AdultLabour] = "adults, labour exploitation",
        [IndicatorSet.AdultSexual] = "adults, sexual exploitation",
        [IndicatorSet.ChildLabour] = "children, labour exploitation",
        [IndicatorSet.ChildSexual] = "children, sexual exploitation",
    };

    public static readonly IReadOnlyList<Indicator> All =
    [
        // Deceptive recruitment (including transfer and transport): deception used to recruit is fraud.
        Op("DR.JOB", DR, "Deceived about the nature of the job, the place or the employer", "SSSS", "FL.DECEPTION", HtcdsControl.FalsePromises, null, Act, Fraud),
        Op("DR.CONDITIONS", DR, "Deceived about the conditions of work", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, null, Act, Fraud),
        Op("DR.CONTRACT", DR, "Deceived about the content or legality of the work contract", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, null, Act, Fraud),
        Op("DR.FAMILY_REUNIFICATION", DR, "Deceived about family reunification", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, null, Act, Fraud),
        Op("DR.HOUSING", DR, "Deceived about housing and living conditions", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, null, Act, Fraud),
        Op("DR.DOCUMENTS", DR, "Deceived about legal documents or obtaining legal migration status", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, null, Act, Fraud),
        Op("DR.TRAVEL", DR, "Deceived about travel and recruitment conditions", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, null, Act, Fraud),
        Op("DR.WAGES", DR, "Deceived about wages or earnings", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, null, Act, Fraud),
        Op("DR.MARRIAGE", DR, "Deceived through promises of marriage or adoption", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, null, Act, Fraud),
        Op("DR.EDUCATION", DR, "Deceived about access to education", "WWMM", "FL.DECEPTION", HtcdsControl.FalsePromises, null, Act, Fraud),

        // Coercive recruitment (including transfer and transport).
        Op("CR.VIOLENCE", CR, "Violence against the person during recruitment or travel", "SSSS", "FL.VIOLENCE", HtcdsControl.PhysicalAbuse, null, Act, Force),
        Op("CR.ABDUCTION", CR, "Abduction, forced marriage, forced adoption or sale of the person", "MMSS", "FL.VIOLENCE", HtcdsControl.PhysicalAbuse, null, Act, Force),
        Op("CR.DOCUMENTS", CR, "Documents taken during recruitment or travel", "MMMM", "FL.DOCUMENTS", HtcdsControl.WithholdsDocuments, null, Act, Scheme),
        Op("CR.DEBT_BONDAGE", CR, "Debt bondage from recruitment or travel", "MMMM", "FL.DEBT_BONDAGE", HtcdsControl.DebtBondage, null, Act, Bondage),
        Op("CR.ISOLATION", CR, "Isolation, confinement or surveillance during recruitment or travel", "MMMM", "FL.ISOLATION", HtcdsControl.RestrictsMovement, null, Act, Threats),
        Op("CR.THREAT_AUTHORITIES", CR, "Threat of being reported to the authorities", "MMMM", "FL.THREATS", HtcdsControl.ThreatOfLawEnforcement, null, Act, LegalProcess),
        Op("CR.THREAT_VIOLENCE", CR, "Threats of violence against the person", "MMMM", "FL.THREATS", HtcdsControl.Threats, null, Act, Threats),
        Op("CR.THREAT_EXPOSURE", CR, "Threats to tell family, community or the public", "MMMM", "FL.THREATS", HtcdsControl.Threats, null, Act, Threats),
        Op("CR.FAMILY_VIOLENCE", CR, "Violence or threats of violence against family", "MMMM", "FL.THREATS", HtcdsControl.Threats, null, Act, Threats),
        Op("CR.WITHHOLDING_MONEY", CR, "Money withheld during recruitment or travel", "MMMM", "FL.WAGES", HtcdsControl.TakesEarnings, null, Act, Scheme),

        // Recruitment by abuse of vulnerability: someone used the person's situation to recruit them. An ILO means;
        // recruiting is the federal action, and none of these is force, fraud or coercion on its own.
        Op("AR.FAMILY_SITUATION", AR, "Abuse of a difficult family situation", "MMMM", "FL.ABUSE_OF_VULNERABILITY", null, "family", Act),
        Op("AR.IRREGULAR_STATUS", AR, "Abuse of irregular migration status", "MMMM", "FL.ABUSE_OF_VULNERABILITY", null, "no-papers", Act),
        Op("AR.LACK_OF_EDUCATION", AR, "Abuse of lack of education", "MMMM", "FL.ABUSE_OF_VULNERABILITY", null, "education", Act),
        Op("AR.LACK_OF_INFORMATION", AR, "Abuse of lack of information", "MMMM", "FL.ABUSE_OF_VULNERABILITY", null, "no-information", Act),
        Op("AR.CONTROL", AR, "Control by the recruiters", "MMMM", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.PsychologicalAbuse, null, Act),
        Op("AR.ECONOMIC", AR, "Abuse of economic hardship", "MMMM", "FL.ABUSE_OF_VULNERABILITY", null, "money", Act),
        Op("AR.FALSE_INFO_LAW", AR, "False information about the law or how the authorities treat people, used to recruit", "MMMM", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.ThreatOfLawEnforcement, "warned-about-police", Act, Fraud),
        Op("AR.FALSE_INFO_MIGRATION", AR, "False information about successful migration, used to recruit", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, "told-easy", Act, Fraud),
        Op("AR.PERSONAL_SITUATION", AR, "Abuse of a personal situation (health, disability, pregnancy, substance use)", "MMMM", "FL.ABUSE_OF_VULNERABILITY", null, "health", Act),
        Op("AR.DEPENDENCY", AR, "Abuse of psychological or emotional dependency on the recruiter", "MMMM", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.PsychologicalAbuse, "trusted-recruiter", Act),
        Op("AR.RELATIONSHIP_AUTHORITIES", AR, "Abuse of the recruiter's ties to authorities or the family", "MMMM", "FL.ABUSE_OF_VULNERABILITY", null, null, Act),
        Op("AR.CULTURAL_BELIEFS", AR, "Abuse of cultural or religious beliefs", "WWWW", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.PsychologicalAbuse, "beliefs", Act),
        Op("AR.DIFFICULT_PAST", AR, "Abuse of difficulties in the past", "WWWW", "FL.ABUSE_OF_VULNERABILITY", null, "past", Act),
        Op("AR.NO_PROSPECTS", AR, "Abuse of having no other prospects", "WWWW", "FL.ABUSE_OF_VULNERABILITY", null, "no-prospects", Act),
        Op("AR.GENERAL_CONTEXT", AR, "Abuse of the general situation (conflict, disaster, discrimination)", "WWWW", "FL.ABUSE_OF_VULNERABILITY", null, "general-context", Act),
        Op("AR.LANGUAGE", AR, "Abuse of not knowing the language", "WWWW", "FL.ABUSE_OF_VULNERABILITY", null, "language", Act),

        // Exploitative conditions of work: conditions someone else imposes and the person cannot refuse. The same
        // conditions chosen or simply lived with (informal work, long hours, danger) are situations, not indicators.
        Op("EX.EXCESSIVE_HOURS", EX, "Excessive working days or hours imposed", "SSSS", "FL.OVERTIME", HtcdsControl.ExcessiveWorkingHours, "long-hours"),
        Op("EX.LIVING_CONDITIONS", EX, "Bad living conditions imposed by the employer or exploiters", "MMMM", "FL.CONDITIONS", HtcdsControl.WithholdsNecessities, null),
        Op("EX.HAZARDOUS_WORK", EX, "Hazardous work imposed", "MMSS", "FL.CONDITIONS", null, "dangerous-work"),
        Op("EX.LOW_PAY", EX, "Low or no pay", "MMMM", "FL.WAGES", HtcdsControl.TakesEarnings, null),
        Op("EX.LABOUR_LAWS", EX, "Labour law or the agreed terms not respected", "MMMM", "FL.CONDITIONS", null, "informal-work"),
        Op("EX.NO_SOCIAL_PROTECTION", EX, "No social protection (no contract, no insurance) imposed", "MMMM", "FL.CONDITIONS", null, "informal-work"),
        Op("EX.WORKING_CONDITIONS", EX, "Very bad working conditions", "MMMM", "FL.CONDITIONS", null, null),
        Op("EX.WAGE_MANIPULATION", EX, "Wage manipulation (fines, deductions, made-up charges)", "MMMM", "FL.WAGES", HtcdsControl.TakesEarnings, null),
        Op("EX.NO_EDUCATION", EX, "No access to education", "WWSS", null, null, null),

        // Coercion at destination: whoever controls the person there harbours or obtains them (the federal action).
        Op("CD.DOCUMENTS", CD, "Documents taken away", "SSSS", "FL.DOCUMENTS", HtcdsControl.WithholdsDocuments, null, Act, Scheme),
        Op("CD.DEBT_BONDAGE", CD, "Debt bondage", "SSSS", "FL.DEBT_BONDAGE", HtcdsControl.DebtBondage, null, Act, Bondage, Peonage),
        Op("CD.ISOLATION", CD, "Isolation, confinement or surveillance", "SSSS", "FL.ISOLATION", HtcdsControl.RestrictsMovement, null, Act, Threats),
        Op("CD.VIOLENCE", CD, "Violence against the person", "SSSS", "FL.VIOLENCE", HtcdsControl.PhysicalAbuse, null, Act, Force),
        Op("CD.CRIMINAL_ACTIVITIES", CD, "Forced into illegal or criminal activity", "MMMM", "FL.THREATS", null, null, Act, Servitude),
        Op("CD.FORCED_TASKS", CD, "Forced to do tasks or see clients they refused", "MSMS", "FL.THREATS", null, null, Act, Servitude),
        Op("CD.AGAINST_PEERS", CD, "Forced to act against other workers", "MMMM", "FL.THREATS", HtcdsControl.PsychologicalAbuse, null, Act),
        Op("CD.FORCED_TO_LIE", CD, "Forced to lie to authorities, family or others", "MMMM", "FL.THREATS", HtcdsControl.PsychologicalAbuse, null, Act),
        Op("CD.THREAT_AUTHORITIES", CD, "Threat of being reported to the police or immigration", "MMMM", "FL.THREATS", HtcdsControl.ThreatOfLawEnforcement, null, Act, LegalProcess),
        Op("CD.WORSE_CONDITIONS", CD, "Threat of even worse working conditions", "MMMM", "FL.THREATS", HtcdsControl.Threats, null, Act, Threats),
        Op("CD.THREAT_VIOLENCE", CD, "Threats of violence against the person", "MMMM", "FL.THREATS", HtcdsControl.Threats, null, Act, Threats),
        Op("CD.UNDER_INFLUENCE", CD, "Kept under the influence of drugs or alcohol", "MMMM", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.PsychoactiveSubstances, null, Act, Scheme),
        Op("CD.FAMILY_VIOLENCE", CD, "Violence or threats of violence against family", "MMMM", "FL.THREATS", HtcdsControl.Threats, null, Act, Threats),
        Op("CD.WITHHOLDING_WAGES", CD, "Wages withheld to make the person stay", "MMMM", "FL.WAGES", HtcdsControl.TakesEarnings, null, Act, Scheme),
        Op("CD.THREAT_EXPOSURE", CD, "Threats to tell family, community or the public", "WWWW", "FL.THREATS", HtcdsControl.Threats, null, Act, Threats),

        // Abuse of vulnerability at destination: someone uses the person's situation to keep them working.
        Op("AD.DEPENDENCY", AD, "Dependency on the employer or exploiters (work, housing, transport) used against the person", "MMMM", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.PsychologicalAbuse, "depends-on-employer", Act),
        Op("AD.DIFFICULT_EXIT", AD, "Kept from leaving, or punished for trying", "MMMM", "FL.RESTRICTION_OF_MOVEMENT", HtcdsControl.RestrictsMovement, null, Act, Scheme),
        Op("AD.IRREGULAR_STATUS", AD, "Abuse of irregular migration status", "MMMM", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.ThreatOfLawEnforcement, "no-papers", Act, LegalProcess),
        Op("AD.FALSE_INFO_LAW", AD, "False information about the law or the authorities, used to keep the person working", "MMMM", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.ThreatOfLawEnforcement, "warned-about-police", Act, Scheme),
        Op("AD.PERSONAL_SITUATION", AD, "Abuse of a personal situation (health, disability, pregnancy, substance use)", "MMMM", "FL.ABUSE_OF_VULNERABILITY", null, "health", Act),
        Op("AD.FAMILY_SITUATION", AD, "Abuse of a difficult family situation", "WWWW", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.UsesChildren, "family", Act),
        Op("AD.LANGUAGE", AD, "Abuse of not knowing the language", "WWWW", "FL.ABUSE_OF_VULNERABILITY", null, "language", Act),

        // The ILO's eleven indicators of forced labour (2012), in the publication's order. They summarise the
        // operational indicators above for reporting; the federal elements come from those, not from these.
        Fl(1, "FL.ABUSE_OF_VULNERABILITY", "Abuse of vulnerability", null),
        Fl(2, "FL.DECEPTION", "Deception", HtcdsControl.FalsePromises),
        Fl(3, "FL.RESTRICTION_OF_MOVEMENT", "Restriction of movement", HtcdsControl.RestrictsMovement),
        Fl(4, "FL.ISOLATION", "Isolation", HtcdsControl.RestrictsMovement),
        Fl(5, "FL.VIOLENCE", "Physical and sexual violence", HtcdsControl.PhysicalAbuse),
        Fl(6, "FL.THREATS", "Intimidation and threats", HtcdsControl.Threats),
        Fl(7, "FL.DOCUMENTS", "Retention of identity documents", HtcdsControl.WithholdsDocuments),
        Fl(8, "FL.WAGES", "Withholding of wages", HtcdsControl.TakesEarnings),
        Fl(9, "FL.DEBT_BONDAGE", "Debt bondage", HtcdsControl.DebtBondage),
        Fl(10, "FL.CONDITIONS", "Abusive working and living conditions", HtcdsControl.WithholdsNecessities),
        Fl(11, "FL.OVERTIME", "Excessive overtime", HtcdsControl.ExcessiveWorkingHours),

        // Methods of control that HTCDS records and neither ILO list names on its own.
        Mc("MC.SEXUAL_VIOLENCE", "Sexual violence used to control the person", "FL.VIOLENCE", HtcdsControl.SexualAbuse, Act, Force),
        Mc("MC.MEDICAL_CARE", "Medical care withheld or controlled", "FL.CONDITIONS", HtcdsControl.RestrictsMedicalCare, Act, Scheme),
        Mc("MC.FINANCIAL_ACCESS", "No control over own money or bank account", "FL.WAGES", HtcdsControl.RestrictsFinancialAccess, Act),
        Mc("MC.CHILDREN", "Access to their children used as control", "FL.THREATS", HtcdsControl.UsesChildren, Act, Threats),
        Mc("MC.PSYCHOLOGICAL_ABUSE", "Humiliation, insults or manipulation", "FL.THREATS", HtcdsControl.PsychologicalAbuse),
        Mc("MC.NECESSITIES", "Food, sleep or other necessities withheld", "FL.CONDITIONS", HtcdsControl.WithholdsNecessities, Act, Scheme),
    ];

    public static readonly IReadOnlyDictionary<string, Indicator> ByCode = All.ToDictionary(i => i.Code, StringComparer.Ordinal);

    /// <summary>Each code's position in <see cref="All"/>, which is also the order results list indicators in.</summary>
    public static readonly IReadOnlyDictionary<string, int> IndexOf = All.Select((i, n) => (i.Code, n)).ToDictionary(p => p.Code, p => p.n, StringComparer.Ordinal);

    static Indicator Op(string code, Dimension dimension, string label, string strengths, string? forcedLabour, HtcdsControl? htcds, string? situation, params FederalSupport[] supports) =>
        new(code, IndicatorKind.Operational, label, dimension, [.. strengths.Select(c => c switch
        {
            'S' => Strength.Strong,
            'M' => Strength.Medium,
            'W' => Strength.Weak,
            '-' => (Strength?)null,
            _ => throw new ArgumentException($"Unknown strength '{c}' for {code}."),
        })], forcedLabour, htcds, supports, situation);

    static Indicator Fl(int number, string code, string label, HtcdsControl? htcds) =>
        new(code, IndicatorKind.ForcedLabour, label, null, [], null, htcds, [], Number: number);

    static Indicator Mc(string code, string label, string forcedLabour, HtcdsControl htcds, params FederalSupport[] supports) =>
        new(code, IndicatorKind.MethodOfControl, label, null, [], forcedLabour, htcds, supports);
}
