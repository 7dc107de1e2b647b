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

/// <summary>Elements of a severe form of trafficking under 22 U.S.C. 7102 that facts may support: an action,
/// a means (force, fraud or coercion) and a purpose (a commercial sex act, or labor or services through
/// involuntary servitude, peonage, debt bondage or slavery).</summary>
public enum FederalElement
{
    Action = 1, Force, Fraud, Coercion, CommercialSexAct, InvoluntaryServitude, Peonage, DebtBondage, Slavery,
}

public enum IndicatorKind { Operational = 1, ForcedLabour = 2, MethodOfControl = 3 }

/// <summary>
/// One indicator with a stable code. Operational indicators (ILO/EC 2009) have a dimension and a strength per
/// set (null where the set does not list it). Forced-labour indicators are the ILO's eleven; method-of-control
/// indicators cover the HTCDS fields that neither list names. Every indicator says which forced-labour
/// indicator, HTCDS field and federal elements it corresponds to, where one does.
/// </summary>
public sealed record Indicator(
    string Code,
    IndicatorKind Kind,
    string Label,
    Dimension? Dimension,
    IReadOnlyList<Strength?> Strengths,
    string? ForcedLabour,
    HtcdsControl? Htcds,
    IReadOnlyList<FederalElement> Supports)
{
    public Strength? StrengthIn(IndicatorSet set) => Strengths.Count == 0 ? null : Strengths[(int)set];
}

/// <summary>Facts an answer can establish that are not indicators: they feed the federal elements, the
/// minor-in-commercial-sex flag and next steps. Doing sex work is a fact about work, not an indicator.</summary>
public static class Facts
{
    public const string Minor = "minor", CommercialSex = "commercial-sex", LaborOrServices = "labor-or-services",
        NonCitizen = "noncitizen", Arrested = "arrested", CriminalRecord = "criminal-record";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Minor, CommercialSex, LaborOrServices, NonCitizen, Arrested, CriminalRecord };

    public static IReadOnlyList<FederalElement> Supports(string fact) => fact switch
    {
        CommercialSex => [FederalElement.CommercialSexAct],
        _ => [],
    };
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
/// </summary>
public static class IndicatorCatalogue
{
    const Dimension DR = Dimension.DeceptiveRecruitment, CR = Dimension.CoerciveRecruitment, AR = Dimension.RecruitmentByAbuseOfVulnerability,
        EX = Dimension.ExploitativeConditions, CD = Dimension.CoercionAtDestination, AD = Dimension.AbuseOfVulnerabilityAtDestination;
    const FederalElement Act = FederalElement.Action, Force = FederalElement.Force, Fraud = FederalElement.Fraud, Coerce = FederalElement.Coercion;

    public static readonly IReadOnlyList<Indicator> All =
    [
        // Deceptive recruitment (including transfer and transport).
        Op("DR.JOB", DR, "Deceived about the nature of the job, the place or the employer", "SSSS", "FL.DECEPTION", HtcdsControl.FalsePromises, Act, Fraud),
        Op("DR.CONDITIONS", DR, "Deceived about the conditions of work", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, Act, Fraud),
        Op("DR.CONTRACT", DR, "Deceived about the content or legality of the work contract", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, Act, Fraud),
        Op("DR.FAMILY_REUNIFICATION", DR, "Deceived about family reunification", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, Act, Fraud),
        Op("DR.HOUSING", DR, "Deceived about housing and living conditions", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, Act, Fraud),
        Op("DR.DOCUMENTS", DR, "Deceived about legal documents or obtaining legal migration status", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, Act, Fraud),
        Op("DR.TRAVEL", DR, "Deceived about travel and recruitment conditions", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, Act, Fraud),
        Op("DR.WAGES", DR, "Deceived about wages or earnings", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, Act, Fraud),
        Op("DR.MARRIAGE", DR, "Deceived through promises of marriage or adoption", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, Act, Fraud),
        Op("DR.EDUCATION", DR, "Deceived about access to education", "WWMM", "FL.DECEPTION", HtcdsControl.FalsePromises, Act, Fraud),

        // Coercive recruitment (including transfer and transport).
        Op("CR.VIOLENCE", CR, "Violence against the person during recruitment or travel", "SSSS", "FL.VIOLENCE", HtcdsControl.PhysicalAbuse, Act, Force),
        Op("CR.ABDUCTION", CR, "Abduction, forced marriage, forced adoption or sale of the person", "MMSS", "FL.VIOLENCE", HtcdsControl.PhysicalAbuse, Act, Force),
        Op("CR.DOCUMENTS", CR, "Documents taken during recruitment or travel", "MMMM", "FL.DOCUMENTS", HtcdsControl.WithholdsDocuments, Act, Coerce),
        Op("CR.DEBT_BONDAGE", CR, "Debt bondage from recruitment or travel", "MMMM", "FL.DEBT_BONDAGE", HtcdsControl.DebtBondage, Act, Coerce, FederalElement.DebtBondage),
        Op("CR.ISOLATION", CR, "Isolation, confinement or surveillance during recruitment or travel", "MMMM", "FL.ISOLATION", HtcdsControl.RestrictsMovement, Act, Coerce),
        Op("CR.THREAT_AUTHORITIES", CR, "Threat of being reported to the authorities", "MMMM", "FL.THREATS", HtcdsControl.ThreatOfLawEnforcement, Act, Coerce),
        Op("CR.THREAT_VIOLENCE", CR, "Threats of violence against the person", "MMMM", "FL.THREATS", HtcdsControl.Threats, Act, Coerce),
        Op("CR.THREAT_EXPOSURE", CR, "Threats to tell family, community or the public", "MMMM", "FL.THREATS", HtcdsControl.Threats, Act, Coerce),
        Op("CR.FAMILY_VIOLENCE", CR, "Violence or threats of violence against family", "MMMM", "FL.THREATS", HtcdsControl.Threats, Act, Coerce),
        Op("CR.WITHHOLDING_MONEY", CR, "Money withheld during recruitment or travel", "MMMM", "FL.WAGES", HtcdsControl.TakesEarnings, Act, Coerce),

        // Recruitment by abuse of vulnerability.
        Op("AR.FAMILY_SITUATION", AR, "Abuse of a difficult family situation", "MMMM", "FL.ABUSE_OF_VULNERABILITY", null, Act),
        Op("AR.IRREGULAR_STATUS", AR, "Abuse of irregular migration status", "MMMM", "FL.ABUSE_OF_VULNERABILITY", null, Act, Coerce),
        Op("AR.LACK_OF_EDUCATION", AR, "Abuse of lack of education", "MMMM", "FL.ABUSE_OF_VULNERABILITY", null, Act),
        Op("AR.LACK_OF_INFORMATION", AR, "Abuse of lack of information", "MMMM", "FL.ABUSE_OF_VULNERABILITY", null, Act),
        Op("AR.CONTROL", AR, "Control by the recruiters", "MMMM", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.PsychologicalAbuse, Act, Coerce),
        Op("AR.ECONOMIC", AR, "Abuse of economic hardship", "MMMM", "FL.ABUSE_OF_VULNERABILITY", null, Act),
        Op("AR.FALSE_INFO_LAW", AR, "False information about the law or how the authorities treat people", "MMMM", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.ThreatOfLawEnforcement, Act, Fraud),
        Op("AR.FALSE_INFO_MIGRATION", AR, "False information about successful migration", "MMMM", "FL.DECEPTION", HtcdsControl.FalsePromises, Act, Fraud),
        Op("AR.PERSONAL_SITUATION", AR, "Abuse of a personal situation (health, disability, pregnancy, substance use)", "MMMM", "FL.ABUSE_OF_VULNERABILITY", null, Act),
        Op("AR.DEPENDENCY", AR, "Psychological or emotional dependency on the recruiter", "MMMM", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.PsychologicalAbuse, Act, Coerce),
        Op("AR.RELATIONSHIP_AUTHORITIES", AR, "Abuse of the recruiter's ties to authorities or the family", "MMMM", "FL.ABUSE_OF_VULNERABILITY", null, Act, Coerce),
        Op("AR.CULTURAL_BELIEFS", AR, "Abuse of cultural or religious beliefs", "WWWW", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.PsychologicalAbuse, Act),
        Op("AR.DIFFICULT_PAST", AR, "Abuse of difficulties in the past", "WWWW", "FL.ABUSE_OF_VULNERABILITY", null, Act),
        Op("AR.NO_PROSPECTS", AR, "Abuse of having no other prospects", "WWWW", "FL.ABUSE_OF_VULNERABILITY", null, Act),
        Op("AR.GENERAL_CONTEXT", AR, "Abuse of the general situation (conflict, disaster, discrimination)", "WWWW", "FL.ABUSE_OF_VULNERABILITY", null, Act),
        Op("AR.LANGUAGE", AR, "Abuse of not knowing the language", "WWWW", "FL.ABUSE_OF_VULNERABILITY", null, Act),

        // Exploitative conditions of work.
        Op("EX.EXCESSIVE_HOURS", EX, "Excessive working days or hours", "SSSS", "FL.OVERTIME", HtcdsControl.ExcessiveWorkingHours),
        Op("EX.LIVING_CONDITIONS", EX, "Bad living conditions", "MMMM", "FL.CONDITIONS", HtcdsControl.WithholdsNecessities),
        Op("EX.HAZARDOUS_WORK", EX, "Hazardous work", "MMSS", "FL.CONDITIONS", null),
        Op("EX.LOW_PAY", EX, "Low or no pay", "MMMM", "FL.WAGES", HtcdsControl.TakesEarnings),
        Op("EX.LABOUR_LAWS", EX, "Labour law or the agreed terms not respected", "MMMM", "FL.CONDITIONS", null),
        Op("EX.NO_SOCIAL_PROTECTION", EX, "No social protection (no contract, no insurance)", "MMMM", "FL.CONDITIONS", null),
        Op("EX.WORKING_CONDITIONS", EX, "Very bad working conditions", "MMMM", "FL.CONDITIONS", null),
        Op("EX.WAGE_MANIPULATION", EX, "Wage manipulation (fines, deductions, made-up charges)", "MMMM", "FL.WAGES", HtcdsControl.TakesEarnings, Coerce),
        Op("EX.NO_EDUCATION", EX, "No access to education", "WWSS", null, null),

        // Coercion at destination.
        Op("CD.DOCUMENTS", CD, "Documents taken away", "SSSS", "FL.DOCUMENTS", HtcdsControl.WithholdsDocuments, Coerce),
        Op("CD.DEBT_BONDAGE", CD, "Debt bondage", "SSSS", "FL.DEBT_BONDAGE", HtcdsControl.DebtBondage, Coerce, FederalElement.DebtBondage, FederalElement.Peonage),
        Op("CD.ISOLATION", CD, "Isolation, confinement or surveillance", "SSSS", "FL.ISOLATION", HtcdsControl.RestrictsMovement, Coerce, FederalElement.InvoluntaryServitude),
        Op("CD.VIOLENCE", CD, "Violence against the person", "SSSS", "FL.VIOLENCE", HtcdsControl.PhysicalAbuse, Force),
        Op("CD.CRIMINAL_ACTIVITIES", CD, "Forced into illegal or criminal activity", "MMMM", "FL.THREATS", null, Coerce),
        Op("CD.FORCED_TASKS", CD, "Forced to do tasks or see clients they refused", "MSMS", "FL.THREATS", null, Coerce, FederalElement.InvoluntaryServitude),
        Op("CD.AGAINST_PEERS", CD, "Forced to act against other workers", "MMMM", "FL.THREATS", HtcdsControl.PsychologicalAbuse, Coerce),
        Op("CD.FORCED_TO_LIE", CD, "Forced to lie to authorities, family or others", "MMMM", "FL.THREATS", HtcdsControl.PsychologicalAbuse, Coerce),
        Op("CD.THREAT_AUTHORITIES", CD, "Threat of being reported to the police or immigration", "MMMM", "FL.THREATS", HtcdsControl.ThreatOfLawEnforcement, Coerce),
        Op("CD.WORSE_CONDITIONS", CD, "Threat of even worse working conditions", "MMMM", "FL.THREATS", HtcdsControl.Threats, Coerce),
        Op("CD.THREAT_VIOLENCE", CD, "Threats of violence against the person", "MMMM", "FL.THREATS", HtcdsControl.Threats, Coerce),
        Op("CD.UNDER_INFLUENCE", CD, "Kept under the influence of drugs or alcohol", "MMMM", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.PsychoactiveSubstances, Coerce),
        Op("CD.FAMILY_VIOLENCE", CD, "Violence or threats of violence against family", "MMMM", "FL.THREATS", HtcdsControl.Threats, Coerce),
        Op("CD.WITHHOLDING_WAGES", CD, "Wages withheld", "MMMM", "FL.WAGES", HtcdsControl.TakesEarnings, Coerce),
        Op("CD.THREAT_EXPOSURE", CD, "Threats to tell family, community or the public", "WWWW", "FL.THREATS", HtcdsControl.Threats, Coerce),

        // Abuse of vulnerability at destination.
        Op("AD.DEPENDENCY", AD, "Dependent on the employer or exploiters (work, housing, transport)", "MMMM", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.PsychologicalAbuse, Coerce),
        Op("AD.DIFFICULT_EXIT", AD, "Nowhere else to go or no way to leave", "MMMM", "FL.RESTRICTION_OF_MOVEMENT", HtcdsControl.RestrictsMovement, Coerce),
        Op("AD.IRREGULAR_STATUS", AD, "Abuse of irregular migration status", "MMMM", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.ThreatOfLawEnforcement, Coerce),
        Op("AD.FALSE_INFO_LAW", AD, "False information about the law or how the authorities treat people", "MMMM", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.ThreatOfLawEnforcement, Coerce),
        Op("AD.PERSONAL_SITUATION", AD, "Abuse of a personal situation (health, disability, pregnancy, substance use)", "MMMM", "FL.ABUSE_OF_VULNERABILITY", null),
        Op("AD.FAMILY_SITUATION", AD, "Abuse of a difficult family situation", "WWWW", "FL.ABUSE_OF_VULNERABILITY", HtcdsControl.UsesChildren),
        Op("AD.LANGUAGE", AD, "Abuse of not knowing the language", "WWWW", "FL.ABUSE_OF_VULNERABILITY", null),

        // The ILO's eleven indicators of forced labour.
        Fl("FL.ABUSE_OF_VULNERABILITY", "Abuse of vulnerability", null, Coerce),
        Fl("FL.DECEPTION", "Deception", HtcdsControl.FalsePromises, Fraud),
        Fl("FL.RESTRICTION_OF_MOVEMENT", "Restriction of movement", HtcdsControl.RestrictsMovement, Coerce),
        Fl("FL.ISOLATION", "Isolation", HtcdsControl.RestrictsMovement, Coerce),
        Fl("FL.VIOLENCE", "Physical and sexual violence", HtcdsControl.PhysicalAbuse, Force),
        Fl("FL.THREATS", "Intimidation and threats", HtcdsControl.Threats, Coerce),
        Fl("FL.DOCUMENTS", "Retention of identity documents", HtcdsControl.WithholdsDocuments, Coerce),
        Fl("FL.WAGES", "Withholding of wages", HtcdsControl.TakesEarnings, Coerce),
        Fl("FL.DEBT_BONDAGE", "Debt bondage", HtcdsControl.DebtBondage, Coerce, FederalElement.DebtBondage),
        Fl("FL.CONDITIONS", "Abusive working and living conditions", HtcdsControl.WithholdsNecessities),
        Fl("FL.OVERTIME", "Excessive overtime", HtcdsControl.ExcessiveWorkingHours),

        // Methods of control that HTCDS records and neither ILO list names on its own.
        Mc("MC.SEXUAL_VIOLENCE", "Sexual violence used to control the person", "FL.VIOLENCE", HtcdsControl.SexualAbuse, Force),
        Mc("MC.MEDICAL_CARE", "Medical care withheld or controlled", "FL.CONDITIONS", HtcdsControl.RestrictsMedicalCare, Coerce),
        Mc("MC.FINANCIAL_ACCESS", "No control over own money or bank account", "FL.WAGES", HtcdsControl.RestrictsFinancialAccess, Coerce),
        Mc("MC.CHILDREN", "Access to their children used as control", "FL.THREATS", HtcdsControl.UsesChildren, Coerce),
        Mc("MC.PSYCHOLOGICAL_ABUSE", "Humiliation, insults or manipulation", "FL.THREATS", HtcdsControl.PsychologicalAbuse, Coerce),
        Mc("MC.NECESSITIES", "Food, sleep or other necessities withheld", "FL.CONDITIONS", HtcdsControl.WithholdsNecessities, Coerce),
    ];

    public static readonly IReadOnlyDictionary<string, Indicator> ByCode = All.ToDictionary(i => i.Code, StringComparer.Ordinal);

    /// <summary>Each code's position in <see cref="All"/>, which is also the order results list indicators in.</summary>
    public static readonly IReadOnlyDictionary<string, int> IndexOf = All.Select((i, n) => (i.Code, n)).ToDictionary(p => p.Code, p => p.n, StringComparer.Ordinal);

    static Indicator Op(string code, Dimension dimension, string label, string strengths, string? forcedLabour, HtcdsControl? htcds, params FederalElement[] supports) =>
        new(code, IndicatorKind.Operational, label, dimension, [.. strengths.Select(c => c switch
        {
            'S' => Strength.Strong,
            'M' => Strength.Medium,
            'W' => Strength.Weak,
            '-' => (Strength?)null,
            _ => throw new ArgumentException($"Unknown strength '{c}' for {code}."),
        })], forcedLabour, htcds, supports);

    static Indicator Fl(string code, string label, HtcdsControl? htcds, params FederalElement[] supports) =>
        new(code, IndicatorKind.ForcedLabour, label, null, [], null, htcds, supports);

    static Indicator Mc(string code, string label, string forcedLabour, HtcdsControl htcds, params FederalElement[] supports) =>
        new(code, IndicatorKind.MethodOfControl, label, null, [], forcedLabour, htcds, supports);
}
