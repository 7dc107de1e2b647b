using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Consent;

/// <summary>Everyone of one organization who did one kind of thing with the record, and when.</summary>
public sealed record AccessLine(DateTime First, DateTime Last, int Count, string Who, string Organization, AuditEventType Type);

public sealed record DisclosureLine(DateTime At, string Who, string Organization, string Recipient, DataCategory Allowed, DataCategory Refused, DisclosureChannel Channel);

public sealed record DisclosureRecordView(Guid ClientId, string Reference, string OrganizationName, IReadOnlyList<AccessLine> Access,
    IReadOnlyList<DisclosureLine> Disclosures, IReadOnlyList<GrantView> Grants);

/// <summary>
/// "Who has seen or received my data": built from the audit log (every read and change of the record) and
/// the disclosure record (every share and refusal), for the advocate to print for the client.
/// </summary>
public sealed class DisclosureRecords(HavenDb db, AuditLog audit, ClientRecords records, Consents consents)
{
    public async Task<DisclosureRecordView?> BuildAsync(Staff staff, Guid clientId, string language, CancellationToken ct = default)
    {
        var client = await records.FindForWorkAsync(staff, clientId, ct);
        if (client is null) return null;
        var events = await db.AccessAboutAsync(clientId, ct);
        var shared = await db.Disclosures.AsNoTracking().Where(d => d.ClientId == clientId && d.OrganizationId == staff.OrganizationId)
            .OrderBy(d => d.At).ToListAsync(ct);
        var actorIds = events.Select(e => e.ActorId).Concat(shared.Select(d => d.ActorId)).OfType<string>().Distinct().ToList();
        var people = await db.Users.AsNoTracking().Where(u => actorIds.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, u.OrganizationId }).ToDictionaryAsync(u => u.Id, ct);
        var organizations = await consents.OrganizationNamesAsync(ct);
        string Who(string? actor) => actor is not null && people.TryGetValue(actor, out var p) ? p.DisplayName : ClientFacingText.T(language, "Administrator");
        string OrgOf(string? actor) => actor is not null && people.TryGetValue(actor, out var p) && organizations.TryGetValue(p.OrganizationId, out var name)
            ? name : organizations.GetValueOrDefault(staff.OrganizationId, "");

        var access = events.Where(e => e.Type is not (AuditEventType.DisclosureAllowed or AuditEventType.DisclosureRefused))
            .Select(e => new AccessLine(DateTimeOffset.FromUnixTimeMilliseconds(e.FirstAtMs).UtcDateTime,
                DateTimeOffset.FromUnixTimeMilliseconds(e.LastAtMs).UtcDateTime, e.Count, Who(e.ActorId), OrgOf(e.ActorId), e.Type))
            .OrderBy(l => l.First).ToList();
        var disclosures = shared.Select(d => new DisclosureLine(d.At, Who(d.ActorId), OrgOf(d.ActorId),
            Consents.RecipientName(d.RecipientClass, d.RecipientOrganizationId, organizations, language), d.Allowed, d.Requested & ~d.Allowed, d.Channel)).ToList();
        var grants = await consents.ListAsync(staff, clientId, ct) ?? [];
        await audit.RecordAsync(new AuditEntry(AuditEventType.DisclosureRecordViewed, staff.UserId, staff.OrganizationId, clientId, "care"), ct);
        return new DisclosureRecordView(clientId, client.Reference, organizations.GetValueOrDefault(staff.OrganizationId, ""), access, disclosures, grants);
    }
}
