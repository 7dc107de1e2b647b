using System.Text.Json;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Features.Consent;
using Haven.Features.Screening;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.CourtProgram;

public enum ServicesOutcome { Offered = 1, Accepted = 2, Declined = 3 }

/// <summary>
/// A person scheduled to appear in a court part, as a court program's calendar holds them. The docket number and
/// charges are sealed with the client's key; the date and part are not personal data.
/// </summary>
public sealed class CourtAppearance
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid ClientId { get; set; }
    public Guid TeamId { get; set; }
    public DateOnly AppearsOn { get; set; }
    public required string CourtPart { get; set; }
    /// <summary><see cref="AppearanceDetails"/> as JSON, sealed with the client's key.</summary>
    public required byte[] SealedDetails { get; set; }
    /// <summary>The court screen started for this appearance, if any.</summary>
    public Guid? ScreeningId { get; set; }
    public ServicesOutcome? Outcome { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed record AppearanceDetails(string DocketNumber, string Charges);

public sealed record AppearanceInput(Guid? ClientId, string? DocketNumber, string? CourtPart, DateOnly? AppearsOn, string? Charges);

public enum ScreenStatus { NotStarted = 0, InProgress = 1, Completed = 2, Stopped = 3 }

/// <summary>A calendar line. Name, docket and charges only for staff on the client's side of the wall.</summary>
public sealed record CalendarLine(Guid Id, Guid ClientId, string ClientReference, string? Name, string CourtPart, DateOnly AppearsOn,
    string? DocketNumber, string? Charges, ScreenStatus Screen, Guid? ScreeningId, ServicesOutcome? Outcome);

public sealed record CourtLetterRequest(List<string?>? Statements, string? Language);

/// <summary>A letter to the court: only what the person agreed to share, never screening answers or results.</summary>
public sealed record CourtLetter(string Language, string ClientReference, string? Name, string? DocketNumber, DateOnly AppearsOn, string CourtPart,
    IReadOnlyList<string> Statements, string Organization, IReadOnlyList<DataCategory> Withheld);

/// <summary>The court program: the calendar of people scheduled, the screen offered to each, the outcome, and the letter.</summary>
public sealed class CourtCalendar(HavenDb db, KeyRing keys, AuditLog audit, ClientRecords records, Screenings screenings, Disclosures disclosures, TimeProvider time)
{
    public const int DocketMax = 40, PartMax = 40, ChargesMax = 500, StatementMax = 300, MaxStatements = 10;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SaveResult?> AddAsync(Staff staff, AppearanceInput input, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var docket = input.DocketNumber?.Trim() ?? "";
        var part = input.CourtPart?.Trim() ?? "";
        var charges = input.Charges?.Trim() ?? "";
        if (docket.Length == 0) errors["DocketNumber"] = ["Docket number is required."];
        else if (docket.Length > DocketMax || docket.Any(char.IsControl)) errors["DocketNumber"] = [$"Docket number must be at most {DocketMax} characters of plain text."];
        if (part.Length == 0) errors["CourtPart"] = ["Court part is required (for example AP-7)."];
        else if (part.Length > PartMax || part.Any(char.IsControl)) errors["CourtPart"] = [$"Court part must be at most {PartMax} characters of plain text."];
        if (charges.Length > ChargesMax || charges.Any(c => char.IsControl(c) && c is not ('\n' or '\r'))) errors["Charges"] = [$"Charges must be at most {ChargesMax} characters of plain text."];
        if (input.AppearsOn is null) errors["AppearsOn"] = ["Appearance date is required."];
        if (input.ClientId is null) errors["ClientId"] = ["Choose the client who is scheduled."];
        if (errors.Count > 0) return new SaveResult(null, errors);
        var client = await records.FindForWorkAsync(staff, input.ClientId!.Value, ct);
        if (client is null) return null;

        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var appearance = new CourtAppearance
        {
            OrganizationId = staff.OrganizationId,
            ClientId = client.Id,
            TeamId = client.TeamId,
            AppearsOn = input.AppearsOn!.Value,
            CourtPart = part,
            SealedDetails = [],
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        appearance.SealedDetails = ClientRecords.SealFor(orgKeys, client, appearance.Id, JsonSerializer.SerializeToUtf8Bytes(new AppearanceDetails(docket, charges), Json));
        await using var change = await audit.BeginChangeAsync(ct);
        db.CourtAppearances.Add(appearance);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.CourtAppearanceAdded, staff.UserId, staff.OrganizationId, client.Id, "care"), ct);
        await change.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new SaveResult(appearance.Id, []);
    }

    /// <summary>The people scheduled on a day (optionally in one part), with each one's screen status and outcome.</summary>
    public async Task<IReadOnlyList<CalendarLine>> DayAsync(Staff staff, DateOnly day, string? part, CancellationToken ct = default)
    {
        var query = db.CourtAppearances.AsNoTracking().Where(a => a.OrganizationId == staff.OrganizationId && a.AppearsOn == day);
        if (!string.IsNullOrWhiteSpace(part)) query = query.Where(a => a.CourtPart == part.Trim());
        var rows = await query.OrderBy(a => a.CourtPart).ThenBy(a => a.CreatedAt).ToListAsync(ct);
        var clientIds = rows.Select(a => a.ClientId).Distinct().ToList();
        var clients = await db.Clients.AsNoTracking().Where(c => clientIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var screeningIds = rows.Where(a => a.ScreeningId is not null).Select(a => a.ScreeningId!.Value).ToList();
        var statuses = await db.Screenings.AsNoTracking().Where(s => screeningIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => (ScreeningStatus?)s.Status, ct);
        var onTeam = await records.OnTeamAsync(staff, ct);
        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var lines = rows.Select(a => Line(orgKeys, a, clients[a.ClientId], onTeam(a.TeamId),
            a.ScreeningId is { } sid && statuses.TryGetValue(sid, out var st) ? st : null)).ToList();
        // Opening names, dockets and charges is a read of each client shown.
        await audit.RecordAsync(AuditEntry.AboutMany(AuditEventType.CourtCalendarViewed, staff.UserId, staff.OrganizationId,
            lines.Where(l => l.Name is not null).Select(l => l.ClientId), "care"), ct);
        return lines;
    }

    /// <summary>One appearance, for staff who may work on the client.</summary>
    public async Task<CalendarLine?> LineAsync(Staff staff, Guid id, CancellationToken ct = default)
    {
        if (await FindAsync(staff, id, ct) is not var (a, client)) return null;
        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var status = a.ScreeningId is { } sid ? await db.Screenings.Where(s => s.Id == sid).Select(s => (ScreeningStatus?)s.Status).SingleOrDefaultAsync(ct) : null;
        await audit.RecordAsync(new AuditEntry(AuditEventType.CourtCalendarViewed, staff.UserId, staff.OrganizationId, client.Id, "care"), ct);
        return Line(orgKeys, a, client, visible: true, status);
    }

    /// <summary>A calendar line; the name, docket and charges are opened only when the staff member may see who it is.</summary>
    static CalendarLine Line(OrganizationKeys orgKeys, CourtAppearance a, Client client, bool visible, ScreeningStatus? screen)
    {
        var details = visible ? JsonSerializer.Deserialize<AppearanceDetails>(ClientRecords.OpenFor(orgKeys, client, a.Id, a.SealedDetails), Json) : null;
        return new CalendarLine(a.Id, client.Id, client.Reference, visible ? ClientRecords.Open(orgKeys, client).ChosenName : null, a.CourtPart, a.AppearsOn,
            details?.DocketNumber, details?.Charges, screen is { } st ? (ScreenStatus)(int)st : ScreenStatus.NotStarted, a.ScreeningId, a.Outcome);
    }

    async Task<(CourtAppearance Appearance, Client Client)?> FindAsync(Staff staff, Guid id, CancellationToken ct)
    {
        var appearance = await db.CourtAppearances.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.OrganizationId == staff.OrganizationId, ct);
        if (appearance is null) return null;
        var client = await records.FindForWorkAsync(staff, appearance.ClientId, ct);
        return client is null ? null : (appearance, client);
    }

    public async Task<Dictionary<string, string[]>?> RecordOutcomeAsync(Staff staff, Guid id, ServicesOutcome? outcome, CancellationToken ct = default)
    {
        if (outcome is not { } value || !Enum.IsDefined(value)) return new() { ["Outcome"] = ["Record Offered, Accepted or Declined."] };
        if (await FindAsync(staff, id, ct) is not var (appearance, client)) return null;
        await using var change = await audit.BeginChangeAsync(ct);
        await db.CourtAppearances.Where(a => a.Id == appearance.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.Outcome, value), ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.CourtOutcomeRecorded, staff.UserId, staff.OrganizationId, client.Id, "care"), ct);
        await change.CommitAsync(ct);
        return [];
    }

    /// <summary>Starts the court screen for this appearance, after the person agreed, and links it.</summary>
    public async Task<SaveResult?> StartScreenAsync(Staff staff, Guid id, bool? agreed, string? language, CancellationToken ct = default)
    {
        if (await FindAsync(staff, id, ct) is not var (appearance, client)) return null;
        if (appearance.ScreeningId is not null) return new SaveResult(null, new() { ["Screening"] = ["A screen was already started for this appearance."] });
        var instrument = screenings.Library.Instruments.Values.FirstOrDefault(i => i.Kind == InstrumentKind.Court);
        if (instrument is null) return new SaveResult(null, new() { ["Screening"] = ["No court screen instrument is loaded."] });
        var started = await screenings.StartAsync(staff, new ScreeningStart(instrument.Id, language, agreed, client.Id), ct);
        if (started is not { Ok: true }) return started;
        await db.CourtAppearances.Where(a => a.Id == appearance.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.ScreeningId, started.Id), ct);
        return started;
    }

    /// <summary>The letter to the court passes the disclosure guard: identity and the statements (case notes) only as
    /// far as a grant to the court covers them. It never carries screening answers or results.</summary>
    public async Task<(CourtLetter? Letter, DisclosureDecision? Refused, Dictionary<string, string[]> Errors)?> LetterAsync(Staff staff, Guid id,
        CourtLetterRequest request, CancellationToken ct = default)
    {
        var statements = (request.Statements ?? []).Select(s => s?.Trim() ?? "").Where(s => s.Length > 0).ToList();
        var errors = new Dictionary<string, string[]>();
        if (statements.Count == 0) errors["Statements"] = ["Write at least one statement the person agreed to share, such as \"attended two counseling sessions\"."];
        else if (statements.Count > MaxStatements || statements.Any(s => s.Length > StatementMax || s.Any(char.IsControl)))
            errors["Statements"] = [$"At most {MaxStatements} statements of at most {StatementMax} characters of plain text each."];
        var language = request.Language is "es" ? "es" : "en";
        if (request.Language is not (null or "" or "en" or "es")) errors["Language"] = ["Letters are printed in English (en) or Spanish (es)."];
        if (await FindAsync(staff, id, ct) is not var (appearance, client)) return null;
        if (errors.Count > 0) return (null, null, errors);

        var outcome = await disclosures.DiscloseAsync(staff.UserId, staff.OrganizationId, client.Id, new Recipient(RecipientClass.Court, null),
            DataCategory.Identity | DataCategory.CaseNotes, DisclosureChannel.CourtLetter, ct);
        if (outcome is not { Packet: { } packet }) return (null, outcome?.Decision, []);
        // Without case notes in the grant there is nothing to say: the letter is refused, not printed empty.
        if (!packet.Shared.Contains(DataCategory.CaseNotes)) return (null, outcome.Decision, []);
        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var details = JsonSerializer.Deserialize<AppearanceDetails>(ClientRecords.OpenFor(orgKeys, client, appearance.Id, appearance.SealedDetails), Json)!;
        var identity = packet.Shared.Contains(DataCategory.Identity);
        var organizationName = await db.Organizations.Where(o => o.Id == staff.OrganizationId).Select(o => o.Name).SingleAsync(ct);
        return (new CourtLetter(language, client.Reference, identity ? packet.ChosenName : null, identity ? details.DocketNumber : null, appearance.AppearsOn,
            appearance.CourtPart, statements, organizationName, packet.Withheld), null, []);
    }
}
