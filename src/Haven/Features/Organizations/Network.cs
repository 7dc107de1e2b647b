using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Organizations;

/// <summary>The organizations of the network and their teams.</summary>
public sealed class Network(HavenDb db, KeyRing keys, AuditLog audit)
{
    public async Task<Organization> CreateOrganizationAsync(string name, OrganizationKind kind, params string[] teamNames)
    {
        name = name.Trim();
        if (name.Length is 0 or > 200) throw new HavenException("An organization name is 1 to 200 characters.");
        if (await db.Organizations.AnyAsync(o => o.Name == name)) throw new HavenException($"An organization named '{name}' already exists.");
        var id = Guid.NewGuid();
        var (wrapped, fingerprint) = keys.NewOrganizationKey(id);
        var org = new Organization { Id = id, Name = name, Kind = kind, WrappedKey = wrapped, MasterKeyFingerprint = fingerprint };
        db.Organizations.Add(org);
        foreach (var team in teamNames.DefaultIfEmpty("General"))
            db.Teams.Add(new Team { OrganizationId = id, Name = team });
        await db.SaveChangesAsync();
        await audit.RecordAsync(new AuditEntry(AuditEventType.OrganizationCreated, null, id, id, "admin"));
        return org;
    }

    public const int ReportingDutiesMax = 4000;

    public Task<string?> ReportingDutiesAsync(Guid organizationId, CancellationToken ct = default) =>
        db.Organizations.Where(o => o.Id == organizationId).Select(o => o.ReportingDuties).SingleOrDefaultAsync(ct);

    public async Task<Dictionary<string, string[]>> SetReportingDutiesAsync(Staff staff, string? text, CancellationToken ct = default)
    {
        text = text?.Trim();
        if (text is { Length: > ReportingDutiesMax }) return new() { ["ReportingDuties"] = [$"Reporting duties must be at most {ReportingDutiesMax:N0} characters."] };
        if (text is not null && !ClientValidation.IsMultiLinePlainText(text)) return new() { ["ReportingDuties"] = ["Reporting duties must be plain text."] };
        await db.Organizations.Where(o => o.Id == staff.OrganizationId)
            .ExecuteUpdateAsync(u => u.SetProperty(o => o.ReportingDuties, string.IsNullOrEmpty(text) ? null : text), ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.OrganizationUpdated, staff.UserId, staff.OrganizationId, staff.OrganizationId, "admin"), ct);
        return [];
    }

    public Task<Organization?> FindAsync(string name) => db.Organizations.SingleOrDefaultAsync(o => o.Name == name);

    public async Task JoinTeamAsync(Guid organizationId, Guid teamId, string userId)
    {
        db.TeamMembers.Add(new TeamMember { OrganizationId = organizationId, TeamId = teamId, UserId = userId });
        await db.SaveChangesAsync();
    }
}
