using System.Globalization;

namespace Haven.Features.Consent;

/// <summary>
/// Words a client hears or takes home (consent wording, their disclosure record, a letter's headings), in
/// English and Spanish. Kept apart from the staff interface's resources so they can be reviewed as a
/// whole by translators and by the people they are written for. Other languages fall back to English,
/// and the page says so, so staff know to interpret.
/// </summary>
public static class ClientFacingText
{
    public static readonly string[] Languages = ["en", "es"];

    public static bool Has(string language) => Languages.Contains(Normalize(language));

    static string Normalize(string language) => language.Trim().ToLowerInvariant().Split('-')[0];

    static string Pick(string language, string en, string es) => Normalize(language) == "es" ? es : en;

    public static string Category(string language, DataCategory category) => category switch
    {
        DataCategory.Identity => Pick(language, "who you are (names, date of birth, languages)", "quién es usted (nombres, fecha de nacimiento, idiomas)"),
        DataCategory.Contact => Pick(language, "how to reach you (phone, address)", "cómo contactarle (teléfono, dirección)"),
        DataCategory.ScreeningResults => Pick(language, "results of screenings", "resultados de evaluaciones"),
        DataCategory.Immigration => Pick(language, "immigration information", "información migratoria"),
        DataCategory.CriminalRecord => Pick(language, "criminal record information", "información de antecedentes penales"),
        DataCategory.Health => Pick(language, "health information", "información de salud"),
        DataCategory.CaseNotes => Pick(language, "case notes", "notas del caso"),
        DataCategory.Documents => Pick(language, "documents", "documentos"),
        _ => category.ToString(),
    };

    public static string Recipient(string language, RecipientClass recipient) => recipient switch
    {
        RecipientClass.ServiceProvider => Pick(language, "a service provider", "un proveedor de servicios"),
        RecipientClass.Attorney => Pick(language, "an attorney", "un abogado o abogada"),
        RecipientClass.LawEnforcement => Pick(language, "law enforcement (police)", "las fuerzas del orden (policía)"),
        RecipientClass.ImmigrationAuthority => Pick(language, "an immigration authority", "una autoridad de inmigración"),
        RecipientClass.Researcher => Pick(language, "a researcher", "un investigador o investigadora"),
        RecipientClass.FamilyMember => Pick(language, "a family member", "un familiar"),
        RecipientClass.Other => Pick(language, "another recipient", "otro destinatario"),
        RecipientClass.Court => Pick(language, "the court handling your case", "la corte que lleva su caso"),
        _ => Pick(language, "an organization", "una organización"),
    };

    public static string List(string language, IEnumerable<string> items)
    {
        var all = items.ToList();
        return all.Count <= 1 ? string.Concat(all) : string.Join(", ", all[..^1]) + Pick(language, " and ", " y ") + all[^1];
    }

    static string Date(string language, DateOnly date) =>
        date.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo(Normalize(language) == "es" ? "es" : "en"));

    /// <summary>The sentence read to the client before they agree, and stored sealed with the grant.</summary>
    public static string ConsentWording(string language, DataCategory categories, RecipientClass recipient, string? organizationName,
        string purpose, DateOnly from, DateOnly until)
    {
        var what = List(language, DisclosureGuard.Split(categories).Select(c => Category(language, c)));
        var who = organizationName ?? Recipient(language, recipient);
        return Pick(language,
            $"You agree that we may share {what} with {who}, for this purpose: {purpose}. This consent runs from {Date(language, from)} until {Date(language, until)}. " +
            "You can take it back at any time, and it stops at once. Saying no does not change the help you get from us.",
            $"Usted acepta que compartamos {what} con {who}, para este fin: {purpose}. Este consentimiento vale del {Date(language, from)} al {Date(language, until)}. " +
            "Puede retirarlo en cualquier momento y se detiene de inmediato. Decir que no, no cambia la ayuda que recibe de nosotros.");
    }

    /// <summary>What an audit event means, said to the client.</summary>
    public static string Action(string language, Audit.AuditEventType type) => type switch
    {
        Audit.AuditEventType.ClientViewed => Pick(language, "opened your record", "abrió su expediente"),
        Audit.AuditEventType.ClientListed => Pick(language, "saw your name in a list of clients", "vio su nombre en una lista de clientes"),
        Audit.AuditEventType.ClientFoundBySearch => Pick(language, "found your record by searching", "encontró su expediente al buscar"),
        Audit.AuditEventType.ClientCreated => Pick(language, "created your record", "creó su expediente"),
        Audit.AuditEventType.ClientUpdated => Pick(language, "changed your record", "cambió su expediente"),
        Audit.AuditEventType.BreakGlassOpened => Pick(language, "opened your record without being on your team, giving a reason that managers review",
            "abrió su expediente sin ser parte de su equipo, dando una razón que revisan los responsables"),
        Audit.AuditEventType.ClientAccessDenied => Pick(language, "tried to open your record and was refused", "intentó abrir su expediente y se le negó"),
        Audit.AuditEventType.ConsentRecorded => Pick(language, "recorded a consent you gave", "registró un consentimiento que usted dio"),
        Audit.AuditEventType.ConsentRevoked => Pick(language, "recorded that you took back a consent", "registró que usted retiró un consentimiento"),
        Audit.AuditEventType.ConsentsViewed => Pick(language, "looked at your consents", "miró sus consentimientos"),
        Audit.AuditEventType.SafetyPlanViewed => Pick(language, "looked at your safety plan", "miró su plan de seguridad"),
        Audit.AuditEventType.SafetyPlanUpdated => Pick(language, "changed your safety plan", "cambió su plan de seguridad"),
        Audit.AuditEventType.MatterOpened => Pick(language, "opened a case for you", "abrió un caso para usted"),
        Audit.AuditEventType.MatterUpdated => Pick(language, "updated one of your cases", "actualizó uno de sus casos"),
        Audit.AuditEventType.MatterViewed or Audit.AuditEventType.MattersListed => Pick(language, "looked at your cases", "miró sus casos"),
        Audit.AuditEventType.NoteWritten => Pick(language, "wrote a note on your case", "escribió una nota en su caso"),
        Audit.AuditEventType.NotesRead => Pick(language, "read notes on your case", "leyó notas de su caso"),
        Audit.AuditEventType.DocumentUploaded => Pick(language, "added a document to your case", "añadió un documento a su caso"),
        Audit.AuditEventType.DocumentDownloaded => Pick(language, "opened a document from your case", "abrió un documento de su caso"),
        Audit.AuditEventType.TaskCreated or Audit.AuditEventType.TaskCompleted or Audit.AuditEventType.TasksViewed => Pick(language, "worked on a deadline in your case", "trabajó en un plazo de su caso"),
        Audit.AuditEventType.ClientFoundByConflictCheck => Pick(language, "saw your record come up in a conflict check", "vio su expediente en una verificación de conflictos"),
        Audit.AuditEventType.AdversePartyAdded => Pick(language, "recorded the other side in one of your cases", "registró a la otra parte en uno de sus casos"),
        Audit.AuditEventType.DisclosureRecordViewed => Pick(language, "looked at this record of who has seen your information", "miró este registro de quién ha visto su información"),
        _ => Pick(language, "worked on your record", "trabajó en su expediente"),
    };

    public static string T(string language, string key) => Normalize(language) == "es" && Spanish.TryGetValue(key, out var es) ? es
        : English.TryGetValue(key, out var en) ? en : key;

    static readonly Dictionary<string, string> English = new()
    {
        ["Administrator"] = "A Haven administrator",
        ["SafetyPlanTitle"] = "Your safety plan",
        ["SafetyPlanEmpty"] = "Nothing has been written in your safety plan yet.",
        ["PlanSafeContactMethods"] = "Safe ways to reach you",
        ["PlanSafeContactTimes"] = "Safe times to reach you",
        ["PlanCodeWords"] = "Code words",
        ["PlanIfContactedByExploiter"] = "If the person who hurt or exploited you gets in touch",
        ["PlanSafePlaces"] = "Safe places you can go",
        ["PlanTrustedContacts"] = "People you trust",
        ["PlanOther"] = "Other things to remember",
        ["PlanUpdated"] = "Last changed on {0}.",
        ["Reference"] = "Reference",
        ["ChosenName"] = "Name they use",
        ["Pronouns"] = "Pronouns",
        ["Languages"] = "Languages",
        ["LegalName"] = "Legal name",
        ["DateOfBirth"] = "Date of birth",
        ["CountryOfBirth"] = "Country of birth",
        ["SafeContact"] = "Safe way to contact",
        ["Address"] = "Address",
        ["ImmigrationStatus"] = "Immigration status",
        ["ScreeningResult"] = "Screening result",
        ["CourtLetterTitle"] = "Letter to the court",
        ["CourtLetterRe"] = "Re: {0}, docket {1}, part {2}, appearing on {3}",
        ["CourtLetterIntro"] = "{0} writes with the consent of the person named above. They asked us to share the following, and only the following:",
        ["CourtLetterClose"] = "This letter does not describe anything else about the person or their situation.",
        ["NeedsNamed"] = "needs named",
        ["RecordTitle"] = "Who has seen or received your information",
        ["RecordIntro"] = "This is every time someone looked at your record at {0}, and every time your information was shared or a request to share it was refused.",
        ["Printed"] = "Printed on {0}.",
        ["When"] = "When",
        ["Who"] = "Who",
        ["What"] = "What",
        ["Times"] = "{0} times",
        ["Shared"] = "Shared {0} with {1}",
        ["Refused"] = "Refused to share {0} with {1}: no consent covered it",
        ["SharedPartly"] = "Shared {0} with {1}; refused {2}",
        ["Nothing"] = "Nobody has seen or received your information yet.",
        ["Consents"] = "Your consents",
        ["NoConsents"] = "You have not agreed to share your information with anyone.",
        ["Until"] = "until {0}",
        ["RevokedOn"] = "taken back on {0}",
        ["LetterTitle"] = "Information shared with {0}",
        ["LetterIntro"] = "{0} shares this information with the client's consent, for this purpose only: {1}.",
        ["Withheld"] = "Not shared (no consent): {0}.",
    };

    static readonly Dictionary<string, string> Spanish = new()
    {
        ["Administrator"] = "Un administrador de Haven",
        ["SafetyPlanTitle"] = "Su plan de seguridad",
        ["SafetyPlanEmpty"] = "Todavía no hay nada escrito en su plan de seguridad.",
        ["PlanSafeContactMethods"] = "Formas seguras de contactarle",
        ["PlanSafeContactTimes"] = "Horarios seguros para contactarle",
        ["PlanCodeWords"] = "Palabras clave",
        ["PlanIfContactedByExploiter"] = "Si la persona que le hizo daño o le explotó se pone en contacto",
        ["PlanSafePlaces"] = "Lugares seguros a donde puede ir",
        ["PlanTrustedContacts"] = "Personas de confianza",
        ["PlanOther"] = "Otras cosas para recordar",
        ["PlanUpdated"] = "Último cambio el {0}.",
        ["Reference"] = "Referencia",
        ["ChosenName"] = "Nombre que usa",
        ["Pronouns"] = "Pronombres",
        ["Languages"] = "Idiomas",
        ["LegalName"] = "Nombre legal",
        ["DateOfBirth"] = "Fecha de nacimiento",
        ["CountryOfBirth"] = "País de nacimiento",
        ["SafeContact"] = "Forma segura de contacto",
        ["Address"] = "Dirección",
        ["ImmigrationStatus"] = "Situación migratoria",
        ["ScreeningResult"] = "Resultado de evaluación",
        ["CourtLetterTitle"] = "Carta a la corte",
        ["CourtLetterRe"] = "Asunto: {0}, expediente {1}, sala {2}, comparecencia el {3}",
        ["CourtLetterIntro"] = "{0} escribe con el consentimiento de la persona mencionada arriba. Nos pidió compartir lo siguiente, y solo lo siguiente:",
        ["CourtLetterClose"] = "Esta carta no describe nada más sobre la persona ni su situación.",
        ["NeedsNamed"] = "necesidades mencionadas",
        ["RecordTitle"] = "Quién ha visto o recibido su información",
        ["RecordIntro"] = "Aquí aparece cada vez que alguien miró su expediente en {0}, y cada vez que se compartió su información o se negó una solicitud para compartirla.",
        ["Printed"] = "Impreso el {0}.",
        ["When"] = "Cuándo",
        ["Who"] = "Quién",
        ["What"] = "Qué",
        ["Times"] = "{0} veces",
        ["Shared"] = "Se compartió {0} con {1}",
        ["Refused"] = "Se negó compartir {0} con {1}: ningún consentimiento lo cubría",
        ["SharedPartly"] = "Se compartió {0} con {1}; se negó {2}",
        ["Nothing"] = "Nadie ha visto ni recibido su información todavía.",
        ["Consents"] = "Sus consentimientos",
        ["NoConsents"] = "Usted no ha aceptado compartir su información con nadie.",
        ["Until"] = "hasta el {0}",
        ["RevokedOn"] = "retirado el {0}",
        ["LetterTitle"] = "Información compartida con {0}",
        ["LetterIntro"] = "{0} comparte esta información con el consentimiento del cliente, solo para este fin: {1}.",
        ["Withheld"] = "No se compartió (sin consentimiento): {0}.",
    };
}
