using System.Text;
using Haven.Data;
using Haven.Features.Accounts;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Matters;

public sealed record MatterInput(MatterType? Type, DateOnly? OpenedOn);
public sealed record MatterUpdate(MatterStatus? Status, DateOnly? ClosedOn, string? Outcome);
public sealed record NoteInput(string? Body, NoteVisibility? Visibility);

public sealed record MatterSummary(Guid Id, string Reference, MatterType Type, MatterStatus Status, DateOnly OpenedOn, DateOnly? ClosedOn);

/// <summary>A note as one staff member may see it: a privileged note they may not read has no body.</summary>
public sealed record NoteView(Guid Id, NoteVisibility Visibility, string? Body, string Author, DateTime CreatedAt)
{
    public bool Withheld => Body is null;
}

/// <summary>A matter that a staff member may work on, with its client and how they reach the client.</summary>
public sealed record MatterAccess(Matter Matter, Client Client, ClientAccess Access);

public sealed record MatterView(Guid Id, string Reference, Guid ClientId, string ClientReference, MatterType Type, MatterStatus Status,
    DateOnly OpenedOn, DateOnly? ClosedOn, string? Outcome, IReadOnlyList<NoteView> Notes, bool MayWritePrivileged);

/// <summary>Matters and their notes. Access follows the client's (team, org admin, break-the-glass); privileged
/// notes need an attorney on the client's team. Every read and write is audited against the client.</summary>
public sealed class Matters(HavenDb db, KeyRing keys, AuditLog audit, ClientRecords records, TimeProvider time)
{
    public const int NoteMax = 20_000, OutcomeMax = 2_000;

    DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public async Task<IReadOnlyList<MatterSummary>?> ListAsync(Staff staff, Guid clientId, CancellationToken ct = default)
    {
        if (await records.FindForWorkAsync(staff, clientId, ct) is null) return null;
        var matters = await db.Matters.AsNoTracking().Where(m => m.ClientId == clientId && m.OrganizationId == staff.OrganizationId)
            .OrderByDescending(m => m.OpenedOn).ThenByDescending(m => m.Number).ToListAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.MattersListed, staff.UserId, staff.OrganizationId, clientId, "care"), ct);
        return matters.Select(m => new MatterSummary(m.Id, m.Reference, m.Type, m.Status, m.OpenedOn, m.ClosedOn)).ToList();
    }

    public async Task<SaveResult?> OpenAsync(Staff staff, Guid clientId, MatterInput input, CancellationToken ct = default)
    {
        var client = await records.FindForWorkAsync(staff, clientId, ct);
        if (client is null) return null;
        var errors = new Dictionary<string, string[]>();
        if (input.Type is not { } type || !Enum.IsDefined(type)) errors["Type"] = ["Choose the type of matter."];
        var opened = input.OpenedOn ?? Today;
        if (opened > Today) errors["OpenedOn"] = ["A matter cannot be opened in the future."];
        else if (opened < Today.AddYears(-50)) errors["OpenedOn"] = ["Opened date is too far in the past."];
        if (errors.Count > 0) return new SaveResult(null, errors);

        await using var change = await audit.BeginChangeAsync(ct);
        // Numbers are taken under the audit gate and a unique index, so two matters never share one.
        var number = Math.Max(1000, await db.Matters.Where(m => m.OrganizationId == staff.OrganizationId).MaxAsync(m => (int?)m.Number, ct) ?? 0) + 1;
        var matter = new Matter
        {
            OrganizationId = staff.OrganizationId,
            ClientId = clientId,
            TeamId = client.TeamId,
            Number = number,
            Type = input.Type!.Value,
            OpenedOn = opened,
            UpdatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Matters.Add(matter);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.MatterOpened, staff.UserId, staff.OrganizationId, clientId, "care"), ct);
        await change.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new SaveResult(matter.Id, []);
    }

    /// <summary>The matter if this staff member may work on its client: the one check for everything kept on a matter
    /// (notes, deadlines, documents, adverse parties).</summary>
    public async Task<MatterAccess?> FindForWorkAsync(Staff staff, Guid matterId, CancellationToken ct = default)
    {
        var matter = await db.Matters.AsNoTracking().SingleOrDefaultAsync(m => m.Id == matterId && m.OrganizationId == staff.OrganizationId, ct);
        if (matter is null || await records.AccessForWorkAsync(staff, matter.ClientId, ct) is not { } found) return null;
        return new MatterAccess(matter, found.Client, found.Access);
    }

    /// <summary>Attorneys read and write privileged notes, but only through their own team or as org admin, never by breaking the glass.</summary>
    static bool MayReadPrivileged(Staff staff, ClientAccess access) => staff.Roles.Contains(Roles.Attorney) && access != ClientAccess.BreakGlass;

    public async Task<MatterView?> GetAsync(Staff staff, Guid matterId, CancellationToken ct = default)
    {
        if (await FindForWorkAsync(staff, matterId, ct) is not { } found) return null;
        var (matter, client, access) = found;
        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var notes = await db.Notes.AsNoTracking().Where(n => n.MatterId == matterId && n.OrganizationId == staff.OrganizationId)
            .OrderBy(n => n.CreatedAt).ThenBy(n => n.Id).ToListAsync(ct);
        var authorIds = notes.Select(n => n.AuthorId).Distinct().ToList();
        var authors = await db.Users.AsNoTracking().Where(u => authorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var privileged = MayReadPrivileged(staff, access);
        var views = notes.Select(n => new NoteView(n.Id, n.Visibility,
            n.Visibility == NoteVisibility.Team || privileged ? Open(orgKeys, client, n.Id, n.SealedBody) : null,
            authors.GetValueOrDefault(n.AuthorId, "—"), n.CreatedAt)).ToList();
        var outcome = matter.SealedOutcome is null ? null : Open(orgKeys, client, matter.Id, matter.SealedOutcome);
        var purpose = access == ClientAccess.BreakGlass ? "break-glass" : "care";
        var events = new List<AuditEntry> { new(AuditEventType.MatterViewed, staff.UserId, staff.OrganizationId, client.Id, purpose) };
        if (views.Any(v => !v.Withheld)) events.Add(new(AuditEventType.NotesRead, staff.UserId, staff.OrganizationId, client.Id, purpose));
        await audit.RecordAsync(events, ct);
        return new MatterView(matter.Id, matter.Reference, client.Id, client.Reference, matter.Type, matter.Status, matter.OpenedOn, matter.ClosedOn,
            outcome, views, privileged);
    }

    public async Task<SaveResult?> UpdateAsync(Staff staff, Guid matterId, MatterUpdate input, CancellationToken ct = default)
    {
        if (await FindForWorkAsync(staff, matterId, ct) is not { } found) return null;
        var (matter, client, _) = found;
        var errors = new Dictionary<string, string[]>();
        if (input.Status is not { } status || !Enum.IsDefined(status)) errors["Status"] = ["Choose a status."];
        var closed = input.Status == MatterStatus.Closed ? input.ClosedOn ?? Today : input.ClosedOn;
        if (closed is { } c && c < matter.OpenedOn) errors["ClosedOn"] = ["Closed date must be on or after the opened date."];
        else if (closed > Today) errors["ClosedOn"] = ["Closed date cannot be in the future."];
        if (closed is not null && input.Status != MatterStatus.Closed) errors["ClosedOn"] = ["Only a closed matter has a closed date."];
        var outcome = string.IsNullOrWhiteSpace(input.Outcome) ? null : input.Outcome.Trim();
        if (outcome?.Length > OutcomeMax) errors["Outcome"] = [$"Outcome must be at most {OutcomeMax} characters."];
        if (errors.Count > 0) return new SaveResult(null, errors);

        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        await using var change = await audit.BeginChangeAsync(ct);
        var sealedOutcome = outcome is null ? null : ClientRecords.SealFor(orgKeys, client, matter.Id, Encoding.UTF8.GetBytes(outcome));
        var now = time.GetUtcNow().UtcDateTime;
        await db.Matters.Where(m => m.Id == matterId).ExecuteUpdateAsync(u => u
            .SetProperty(m => m.Status, input.Status!.Value).SetProperty(m => m.ClosedOn, closed)
            .SetProperty(m => m.SealedOutcome, sealedOutcome).SetProperty(m => m.UpdatedAt, now), ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.MatterUpdated, staff.UserId, staff.OrganizationId, client.Id, "care"), ct);
        await change.CommitAsync(ct);
        return new SaveResult(matterId, []);
    }

    public async Task<SaveResult?> AddNoteAsync(Staff staff, Guid matterId, NoteInput input, CancellationToken ct = default)
    {
        if (await FindForWorkAsync(staff, matterId, ct) is not { } found) return null;
        var (matter, client, access) = found;
        var errors = new Dictionary<string, string[]>();
        var body = input.Body?.Trim();
        if (string.IsNullOrEmpty(body)) errors["Body"] = ["The note is empty."];
        else if (body.Length > NoteMax) errors["Body"] = [$"A note can be at most {NoteMax:N0} characters; split it into several notes."];
        if (input.Visibility is not { } visibility || !Enum.IsDefined(visibility)) errors["Visibility"] = ["Choose who may read the note."];
        else if (visibility == NoteVisibility.Privileged && !MayReadPrivileged(staff, access))
            errors["Visibility"] = ["Only attorneys on the client's team write privileged notes."];
        if (errors.Count > 0) return new SaveResult(null, errors);

        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var note = new Note
        {
            OrganizationId = staff.OrganizationId,
            ClientId = client.Id,
            MatterId = matter.Id,
            Visibility = input.Visibility!.Value,
            SealedBody = [],
            AuthorId = staff.UserId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        note.SealedBody = ClientRecords.SealFor(orgKeys, client, note.Id, Encoding.UTF8.GetBytes(body!));
        await using var change = await audit.BeginChangeAsync(ct);
        db.Notes.Add(note);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.NoteWritten, staff.UserId, staff.OrganizationId, client.Id,
            access == ClientAccess.BreakGlass ? "break-glass" : "care"), ct);
        await change.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new SaveResult(note.Id, []);
    }

    static string Open(Security.OrganizationKeys orgKeys, Client client, Guid recordId, byte[] sealedData) =>
        Encoding.UTF8.GetString(ClientRecords.OpenFor(orgKeys, client, recordId, sealedData));
}
