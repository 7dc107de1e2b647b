namespace Haven.Features.Clients.Pages;

/// <summary>The flat shape of the client form; one phone and one email, other contact methods kept as they are.</summary>
public sealed class ClientForm
{
    public string? ChosenName { get; set; }
    public string? Pronouns { get; set; }
    public string? Languages { get; set; }
    public string? GenderIdentity { get; set; }
    public string? LegalName { get; set; }
    public DateOnly? DateOfBirth { get; set; }
    public string? Phone { get; set; }
    public bool PhoneSafe { get; set; }
    public string? PhoneSafeTimes { get; set; }
    public string? Email { get; set; }
    public bool EmailSafe { get; set; }
    public string? EmailSafeTimes { get; set; }
    public string? CountryOfBirth { get; set; }
    public string? ImmigrationStatus { get; set; }
    public string? Address { get; set; }

    public static ClientForm From(ClientDetails d)
    {
        var phone = d.ContactMethods.FirstOrDefault(c => c.Kind == "phone");
        var email = d.ContactMethods.FirstOrDefault(c => c.Kind == "email");
        return new ClientForm
        {
            ChosenName = d.ChosenName,
            Pronouns = d.Pronouns,
            Languages = string.Join(", ", d.Languages),
            GenderIdentity = d.GenderIdentity,
            LegalName = d.LegalName,
            DateOfBirth = d.DateOfBirth,
            Phone = phone?.Value,
            PhoneSafe = phone?.SafeToContact ?? false,
            PhoneSafeTimes = phone?.SafeTimes,
            Email = email?.Value,
            EmailSafe = email?.SafeToContact ?? false,
            EmailSafeTimes = email?.SafeTimes,
            CountryOfBirth = d.CountryOfBirth,
            ImmigrationStatus = d.ImmigrationStatus,
            Address = d.Address,
        };
    }

    public ClientDetails ToDetails(ClientDetails? existing = null)
    {
        var contacts = new List<ContactMethod>();
        if (!string.IsNullOrWhiteSpace(Phone)) contacts.Add(new ContactMethod { Kind = "phone", Value = Phone, SafeToContact = PhoneSafe, SafeTimes = PhoneSafeTimes });
        if (!string.IsNullOrWhiteSpace(Email)) contacts.Add(new ContactMethod { Kind = "email", Value = Email, SafeToContact = EmailSafe, SafeTimes = EmailSafeTimes });
        if (existing is not null)
        {
            // Keep the contact methods this form does not show (a second phone, a messaging app).
            var shownPhone = existing.ContactMethods.FirstOrDefault(c => c.Kind == "phone");
            var shownEmail = existing.ContactMethods.FirstOrDefault(c => c.Kind == "email");
            contacts.AddRange(existing.ContactMethods.Where(c => c != shownPhone && c != shownEmail));
        }
        return new ClientDetails
        {
            ChosenName = ChosenName ?? "",
            Pronouns = Pronouns,
            GenderIdentity = GenderIdentity,
            LegalName = LegalName,
            Languages = (Languages ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            DateOfBirth = DateOfBirth,
            ContactMethods = contacts,
            CountryOfBirth = CountryOfBirth,
            ImmigrationStatus = ImmigrationStatus,
            Address = Address,
        };
    }
}
