using Haven.Data;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Audit;

public sealed record AuditFilter(AuditEventType? Type, string? ActorId, Guid? SubjectId, DateOnly? From, DateOnly? To, long? Before);
/// <summary>A row of the log. <paramref name="ClientCount"/> is how many clients an event about many names
/// (a list page, search hits); its <paramref name="SubjectId"/> is then the client filtered on, if any.</summary>
public sealed record AuditRow(long Seq, DateTime At, AuditEventType Type, string? Actor, Guid? SubjectId, int ClientCount, string? Purpose);
public sealed record BreakGlassRow(DateTime At, string Actor, Guid ClientId, string Reason, DateTime ExpiresAt);

/// <summary>Read-only views of the audit log for org admins. Viewing the log is itself logged.</summary>
public sealed class AuditBrowser(HavenDb db, KeyRing keys, AuditLog audit)
{
    public const int PageSize = 100;

    public async Task<IReadOnlyList<AuditRow>> SearchAsync(Staff admin, AuditFilter f, CancellationToken ct = default)
    {
        IQueryable<AuditEvent> Filter(IQueryable<AuditEvent> q)
        {
            q = q.Where(e => e.OrganizationId == admin.OrganizationId);
            if (f.Type is { } type) q = q.Where(e => e.Type == type);
            if (!string.IsNullOrWhiteSpace(f.ActorId)) q = q.Where(e => e.ActorId == f.ActorId);
            if (f.From is { } from) { var ms = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds(); q = q.Where(e => e.AtMs >= ms); }
            if (f.To is { } to) { var ms = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds(); q = q.Where(e => e.AtMs < ms); }
            if (f.Before is { } before) q = q.Where(e => e.Seq < before);
            return q;
        }
        var events = f.SubjectId is { } subject
            ? await db.EventsAboutAsync(subject, PageSize, Filter, ct)
            : await Filter(db.AuditEvents.AsNoTracking()).OrderByDescending(e => e.Seq).Take(PageSize).ToListAsync(ct);
        var names = await StaffNamesAsync(admin, ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.AuditLogViewed, admin.UserId, admin.OrganizationId, null, "oversight"), ct);
        return events.Select(e => new AuditRow(e.Seq, e.At, e.Type, e.ActorId is null ? null : names.GetValueOrDefault(e.ActorId, "(system)"),
            e.SubjectId ?? (e.Subjects is null ? null : f.SubjectId), (e.Subjects?.Length ?? 0) / 16, e.Purpose)).ToList();
    }

    public async Task<IReadOnlyList<BreakGlassRow>> BreakGlassAsync(Staff admin, CancellationToken ct = default)
    {
        var rows = await db.BreakGlassAccesses.AsNoTracking().Where(a => a.OrganizationId == admin.OrganizationId)
            .OrderByDescending(a => a.At).Take(100).ToListAsync(ct);
        var orgKeys = await keys.ForOrganizationAsync(db, admin.OrganizationId, ct);
        var names = await StaffNamesAsync(admin, ct);
        return rows.Select(r => new BreakGlassRow(r.At, names.GetValueOrDefault(r.UserId, "(unknown)"), r.ClientId, orgKeys.Open(r.Reason), r.ExpiresAt)).ToList();
    }

    public async Task<Dictionary<string, string>> StaffNamesAsync(Staff admin, CancellationToken ct = default) =>
        await db.Users.Where(u => u.OrganizationId == admin.OrganizationId).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
}
