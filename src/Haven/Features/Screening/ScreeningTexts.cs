namespace Haven.Features.Screening;

/// <summary>
/// The words of a result in the languages Haven's own screening texts are written in (English, and Spanish as a
/// draft until a native speaker reviews it). Results store codes; pages show these in the screening's language, so
/// a Spanish screening's result reads in Spanish. Any other language falls back to English.
/// </summary>
public static class ScreeningTexts
{
    public static readonly string[] Languages = ["en", "es"];

    static bool Spanish(string language) => language.StartsWith("es", StringComparison.OrdinalIgnoreCase);

    static string Pick(string language, string en, string es) => Spanish(language) ? es : en;

    public static string Summary(Summary summary, string language) => summary switch
    {
        Features.Screening.Summary.IndicatorsPresent => Pick(language, "Indicators present", "Hay indicadores"),
        Features.Screening.Summary.ConsiderFullAssessment => Pick(language, "Consider a full assessment", "Considere una evaluación completa"),
        _ => Pick(language, "No trafficking indicators identified", "No se identificaron indicadores de trata"),
    };

    public static string Need(string need, string language) => Spanish(language) && NeedsEs.TryGetValue(need, out var es) ? es
        : Needs.All.TryGetValue(need, out var en) ? en : need;

    public static string NextStep(string code, string language)
    {
        if (code.StartsWith("referral:", StringComparison.Ordinal))
            return Pick(language, $"Offer a referral: {Need(code["referral:".Length..], language)}.", $"Ofrezca una derivación: {Need(code["referral:".Length..], language)}.");
        return code switch
        {
            "minor-reporting" => Pick(language,
                "The person is under 18 and in commercial sex: follow your organization's reporting duties, shown below, and tell the person what you must report before you do.",
                "La persona es menor de 18 años y está en el comercio sexual: siga los deberes de denuncia de su organización, que se muestran abajo, y dígale a la persona lo que debe informar antes de hacerlo."),
            "under-18-before" => Pick(language,
                "The person was under 18 in commercial sex. For that time, that alone may support a severe form of trafficking under 22 U.S.C. 7102(11)(A), which matters for a T visa: offer a consultation with an immigration attorney. They are an adult now: there is no report to make about a child.",
                "La persona tenía menos de 18 años en el comercio sexual. Para ese tiempo, eso solo puede apoyar una forma grave de trata según 22 U.S.C. 7102(11)(A), lo que importa para una visa T: ofrezca una consulta con un abogado o abogada de inmigración. Ahora es una persona adulta: no hay que hacer ninguna denuncia sobre un menor."),
            "ask-age" => Pick(language,
                "The person's age was not given. If they are under 18 now, your reporting duties apply: ask before you go on.",
                "No se dio la edad de la persona. Si ahora es menor de 18 años, se aplican sus deberes de denuncia: pregunte antes de continuar."),
            "ask-sex-under-18" => Pick(language,
                "The person started work before 18 and trades sex: if they want to, ask whether they were under 18 the first time they traded sex. If so, that alone may support a severe form of trafficking for that time (22 U.S.C. 7102(11)(A)).",
                "La persona empezó a trabajar antes de los 18 años e intercambia sexo: si lo desea, pregúntele si tenía menos de 18 años la primera vez que intercambió sexo. Si es así, eso solo puede apoyar una forma grave de trata para ese tiempo (22 U.S.C. 7102(11)(A))."),
            "full-assessment" => Pick(language,
                "Offer a full assessment with a trained advocate or attorney, if the person wants one.",
                "Ofrezca una evaluación completa con una persona defensora o un abogado capacitado, si la persona la quiere."),
            "which-work" => Pick(language,
                "Ask in which work these things happened (sex work, other work, or both): until then they count on neither track.",
                "Pregunte en qué trabajo pasaron estas cosas (trabajo sexual, otro trabajo o ambos): hasta entonces no cuentan en ninguna vía."),
            "relief-immigration" => Pick(language,
                "Open an immigration matter to screen for T or U visa relief.",
                "Abra un asunto de inmigración para evaluar una visa T o U."),
            "relief-record" => Pick(language,
                "Open a record relief matter to screen for vacatur, sealing or expungement.",
                "Abra un asunto de antecedentes para evaluar la anulación, el sellado o la eliminación de condenas."),
            "safety-plan" => Pick(language,
                "Make or update a safety plan with the person.",
                "Haga o actualice un plan de seguridad con la persona."),
            "services" => Pick(language,
                "Whatever the result: offer the services the person chooses, and talk with them about what they need.",
                "Sea cual sea el resultado: ofrezca los servicios que la persona elija y hable con ella de lo que necesita."),
            _ => code,
        };
    }

    static readonly Dictionary<string, string> NeedsEs = new()
    {
        ["housing"] = "Vivienda o un lugar seguro donde quedarse",
        ["health"] = "Atención médica",
        ["mental-health"] = "Salud mental o consejería",
        ["legal-immigration"] = "Ayuda legal: inmigración",
        ["legal-criminal-record"] = "Ayuda legal: antecedentes penales",
        ["legal-family"] = "Ayuda legal: familia o custodia",
        ["legal-housing"] = "Ayuda legal: vivienda o desalojo",
        ["legal-employment"] = "Ayuda legal: empleo y salarios",
        ["legal-wages"] = "Ayuda legal: salarios que le deben",
        ["money"] = "Dinero o beneficios",
        ["safety"] = "Seguridad",
        ["identity-documents"] = "Documentos de identidad",
        ["language"] = "Ayuda con el idioma o un intérprete",
        ["children"] = "Ayuda con los hijos o el cuidado de niños",
        ["education"] = "Educación o capacitación",
        ["work"] = "Trabajo o empleo",
    };
}
