namespace Haven.Features.Consent.Pages;

/// <summary>The consent form as posted: one checkbox per category, the recipient as "org:{id}" or "class:{name}".</summary>
public sealed class ConsentForm
{
    public string? Recipient { get; set; }
    public bool Identity { get; set; }
    public bool Contact { get; set; }
    public bool ScreeningResults { get; set; }
    public bool Immigration { get; set; }
    public bool CriminalRecord { get; set; }
    public bool Health { get; set; }
    public bool CaseNotes { get; set; }
    public bool Documents { get; set; }
    public string? Purpose { get; set; }
    public ConsentMethod? Method { get; set; }
    public string? Language { get; set; } = "en";
    public bool InterpreterUsed { get; set; }
    public DateOnly? StartsOn { get; set; }
    public DateOnly? ExpiresOn { get; set; }
    public bool ClientPresent { get; set; }
    /// <summary>The wording staff read out, so a change of any field after that asks for the new wording to be read.</summary>
    public string? Previewed { get; set; }

    public ConsentInput ToInput()
    {
        var (recipientClass, organization) = ParseRecipient(Recipient);
        return new ConsentInput
        {
            Categories = Chosen().ToList(),
            RecipientClass = recipientClass,
            RecipientOrganizationId = organization,
            Purpose = Purpose,
            Method = Method,
            Language = Language,
            InterpreterUsed = InterpreterUsed,
            StartsOn = StartsOn,
            ExpiresOn = ExpiresOn,
            ClientPresent = ClientPresent,
        };
    }

    IEnumerable<DataCategory> Chosen()
    {
        if (Identity) yield return DataCategory.Identity;
        if (Contact) yield return DataCategory.Contact;
        if (ScreeningResults) yield return DataCategory.ScreeningResults;
        if (Immigration) yield return DataCategory.Immigration;
        if (CriminalRecord) yield return DataCategory.CriminalRecord;
        if (Health) yield return DataCategory.Health;
        if (CaseNotes) yield return DataCategory.CaseNotes;
        if (Documents) yield return DataCategory.Documents;
    }

    /// <summary>"org:{id}" names an organization of the network, "class:{name}" a recipient class; anything else is no recipient.</summary>
    public static (RecipientClass? Class, Guid? Organization) ParseRecipient(string? value) => value switch
    {
        ['o', 'r', 'g', ':', .. var id] when Guid.TryParse(id, out var org) => (RecipientClass.Organization, org),
        ['c', 'l', 'a', 's', 's', ':', .. var name] when Enum.TryParse<RecipientClass>(name, out var c) && Enum.IsDefined(c) && c != RecipientClass.Organization => (c, null),
        _ => (null, null),
    };
}
