using System.Text.Json;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Consent;

/// <summary>What staff enter when a client gives consent. Categories and recipient are checked against the lists; text is bounded.</summary>
public sealed record ConsentInput
{
    public List<DataCategory>? Categories { get; init; }
    public RecipientClass? RecipientClass { get; init; }
    public Guid? RecipientOrganizationId { get; init; }
    public string? Purpose { get; init; }
    public ConsentMethod? Method { get; init; }
    public string? Language { get; init; }
    public bool InterpreterUsed { get; init; }
    public DateOnly? StartsOn { get; init; }
    public DateOnly? ExpiresOn { get; init; }
    /// <summary>Staff confirm the client is present: consent is never recorded on someone's behalf.</summary>
    public bool ClientPresent { get; init; }
}

public sealed record GrantView(Guid Id, DataCategory Categories, RecipientClass RecipientClass, Guid? RecipientOrganizationId, string Recipient,
    string Purpose, string Wording, ConsentMethod Method, string Language, bool InterpreterUsed, DateTime GivenAt, DateTime ExpiresAt, DateTime? RevokedAt, bool InForce);

/// <summary>Recording and revoking consent grants. Only staff who may work on the client do either; both are audited.</summary>
public sealed class Consents(HavenDb db, KeyRing keys, AuditLog audit, ClientRecords records, TimeProvider time)
{
    public const int PurposeMax = 500;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Checks the input and composes the wording the client hears, in their language. Nothing is stored.</summary>
    public async Task<(string? Wording, Dictionary<string, string[]> Errors)> PreviewAsync(Staff staff, ConsentInput input, CancellationToken ct = default)
    {
        var errors = Validate(input);
        string? recipientName = null;
        if (input.RecipientClass == Consent.RecipientClass.Organization)
        {
            recipientName = await db.Organizations.Where(o => o.Id == input.RecipientOrganizationId).Select(o => o.Name).SingleOrDefaultAsync(ct);
            if (recipientName is null) errors["RecipientOrganizationId"] = ["Choose an organization of the network."];
        }
        if (errors.Count > 0) return (null, errors);
        var today = Today;
        return (ClientFacingText.ConsentWording(input.Language!, Categories(input), input.RecipientClass!.Value, recipientName,
            input.Purpose!.Trim(), input.StartsOn ?? today, input.ExpiresOn!.Value), errors);
    }

    public async Task<SaveResult?> RecordAsync(Staff staff, Guid clientId, ConsentInput input, CancellationToken ct = default)
    {
        var client = await records.FindForWorkAsync(staff, clientId, ct);
        if (client is null) return null;
        var (wording, errors) = await PreviewAsync(staff, input, ct);
        if (wording is null) return new SaveResult(null, errors);

        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var grant = new ConsentGrant
        {
            OrganizationId = staff.OrganizationId,
            ClientId = clientId,
            Categories = Categories(input),
            RecipientClass = input.RecipientClass!.Value,
            RecipientOrganizationId = input.RecipientClass == Consent.RecipientClass.Organization ? input.RecipientOrganizationId : null,
            SealedTerms = [],
            Method = input.Method!.Value,
            Language = input.Language!.Trim().ToLowerInvariant(),
            InterpreterUsed = input.InterpreterUsed,
            GivenAt = input.StartsOn is { } start && start > Today ? start.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : now,
            ExpiresAt = input.ExpiresOn!.Value.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            RecordedBy = staff.UserId,
        };
        grant.SealedTerms = ClientRecords.SealFor(orgKeys, client, grant.Id, JsonSerializer.SerializeToUtf8Bytes(new ConsentTerms(input.Purpose!.Trim(), wording), Json));
        await using var change = await audit.BeginChangeAsync(ct);
        db.ConsentGrants.Add(grant);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ConsentRecorded, staff.UserId, staff.OrganizationId, clientId, "care"), ct);
        await change.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new SaveResult(grant.Id, []);
    }

    /// <summary>Revocation takes effect at once: the guard reads grants on every disclosure, nothing is cached.</summary>
    public async Task<bool> RevokeAsync(Staff staff, Guid clientId, Guid grantId, CancellationToken ct = default)
    {
        if (await records.FindForWorkAsync(staff, clientId, ct) is null) return false;
        await using var change = await audit.BeginChangeAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var count = await db.ConsentGrants.Where(g => g.Id == grantId && g.ClientId == clientId && g.OrganizationId == staff.OrganizationId && g.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.RevokedAt, now), ct);
        if (count == 0) return await db.ConsentGrants.AnyAsync(g => g.Id == grantId && g.ClientId == clientId && g.OrganizationId == staff.OrganizationId, ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ConsentRevoked, staff.UserId, staff.OrganizationId, clientId, "care"), ct);
        await change.CommitAsync(ct);
        return true;
    }

    public async Task<IReadOnlyList<GrantView>?> ListAsync(Staff staff, Guid clientId, CancellationToken ct = default)
    {
        var client = await records.FindForWorkAsync(staff, clientId, ct);
        if (client is null) return null;
        var grants = await db.ConsentGrants.AsNoTracking().Where(g => g.ClientId == clientId && g.OrganizationId == staff.OrganizationId)
            .OrderByDescending(g => g.GivenAt).ToListAsync(ct);
        var names = await OrganizationNamesAsync(ct);
        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var views = grants.Select(g =>
        {
            var terms = JsonSerializer.Deserialize<ConsentTerms>(ClientRecords.OpenFor(orgKeys, client, g.Id, g.SealedTerms), Json)!;
            return new GrantView(g.Id, g.Categories, g.RecipientClass, g.RecipientOrganizationId, RecipientName(g.RecipientClass, g.RecipientOrganizationId, names),
                terms.Purpose, terms.Wording, g.Method, g.Language, g.InterpreterUsed, g.GivenAt, g.ExpiresAt, g.RevokedAt, DisclosureGuard.IsInForce(g, now));
        }).ToList();
        await audit.RecordAsync(new AuditEntry(AuditEventType.ConsentsViewed, staff.UserId, staff.OrganizationId, clientId, "care"), ct);
        return views;
    }

    public Task<Dictionary<Guid, string>> OrganizationNamesAsync(CancellationToken ct = default) =>
        db.Organizations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Name, ct);

    public static string RecipientName(RecipientClass recipientClass, Guid? organizationId, IReadOnlyDictionary<Guid, string> names, string language = "en") =>
        recipientClass == Consent.RecipientClass.Organization && organizationId is { } id && names.TryGetValue(id, out var name)
            ? name : ClientFacingText.Recipient(language, recipientClass);

    DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    static DataCategory Categories(ConsentInput input) => input.Categories!.Aggregate(DataCategory.None, (all, c) => all | c);

    Dictionary<string, string[]> Validate(ConsentInput input)
    {
        var errors = new Dictionary<string, string[]>();
        if (input.Categories is not { Count: > 0 } || input.Categories.Any(c => !DisclosureGuard.Categories.Contains(c)))
            errors["Categories"] = ["Choose at least one kind of information the client agrees to share."];
        if (input.RecipientClass is not { } recipient || !Enum.IsDefined(recipient))
            errors["RecipientClass"] = ["Choose who the information may go to."];
        else if (recipient == Consent.RecipientClass.Organization && input.RecipientOrganizationId is null)
            errors["RecipientOrganizationId"] = ["Choose an organization of the network."];
        if (string.IsNullOrWhiteSpace(input.Purpose))
            errors["Purpose"] = ["Purpose is required: say what the information will be used for."];
        else if (input.Purpose.Length > PurposeMax || input.Purpose.Any(ch => char.IsControl(ch) && ch is not '\n' and not '\r'))
            errors["Purpose"] = [$"Purpose must be at most {PurposeMax} characters of plain text."];
        if (input.Method is not { } method || !Enum.IsDefined(method))
            errors["Method"] = ["Say whether consent was given verbally or in writing."];
        if (string.IsNullOrWhiteSpace(input.Language) || input.Language.Trim().Length is < 2 or > 12 || !input.Language.Trim().All(ch => char.IsAsciiLetter(ch) || ch == '-'))
            errors["Language"] = ["Language must be a language code such as en or es."];
        var today = Today;
        var start = input.StartsOn ?? today;
        if (input.StartsOn is { } s && s < today) errors["StartsOn"] = ["Consent cannot start in the past."];
        if (input.ExpiresOn is not { } end) errors["ExpiresOn"] = ["Expiry date is required: consent always ends."];
        else if (end < start) errors["ExpiresOn"] = ["Expiry date must be on or after the start date."];
        else if (end > today.AddYears(3)) errors["ExpiresOn"] = ["Consent can last at most three years; record a new grant after that."];
        if (!input.ClientPresent) errors["ClientPresent"] = ["Consent is recorded only with the client present; confirm they are."];
        return errors;
    }
}
