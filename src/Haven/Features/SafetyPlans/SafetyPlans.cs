using System.Text.Json;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.SafetyPlans;

public sealed record SafetyPlanView(Guid ClientId, string ClientReference, SafetyPlanContent Content, DateTime? UpdatedAt, string? UpdatedBy);

/// <summary>Reading and writing a client's safety plan: visible to whoever may work on the client, every read and write audited.</summary>
public sealed class SafetyPlans(HavenDb db, KeyRing keys, AuditLog audit, ClientRecords records, TimeProvider time)
{
    public const int FieldMax = 2_000;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SafetyPlanView?> GetAsync(Staff staff, Guid clientId, CancellationToken ct = default)
    {
        var client = await records.FindForWorkAsync(staff, clientId, ct);
        if (client is null) return null;
        var plan = await db.SafetyPlans.AsNoTracking().SingleOrDefaultAsync(p => p.ClientId == clientId && p.OrganizationId == staff.OrganizationId, ct);
        var content = new SafetyPlanContent();
        string? by = null;
        if (plan is not null)
        {
            var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
            content = JsonSerializer.Deserialize<SafetyPlanContent>(ClientRecords.OpenFor(orgKeys, client, plan.Id, plan.SealedContent), Json)!;
            by = await db.Users.Where(u => u.Id == plan.UpdatedBy).Select(u => u.DisplayName).SingleOrDefaultAsync(ct);
        }
        await audit.RecordAsync(new AuditEntry(AuditEventType.SafetyPlanViewed, staff.UserId, staff.OrganizationId, clientId, "care"), ct);
        return new SafetyPlanView(clientId, client.Reference, content, plan?.UpdatedAt, by);
    }

    public async Task<SaveResult?> SaveAsync(Staff staff, Guid clientId, SafetyPlanContent input, CancellationToken ct = default)
    {
        var client = await records.FindForWorkAsync(staff, clientId, ct);
        if (client is null) return null;
        var errors = new Dictionary<string, string[]>();
        foreach (var field in SafetyPlanContent.Fields)
        {
            var value = input[field];
            if (value is null) continue;
            if (value.Length > FieldMax) errors[field] = [$"{field} must be at most {FieldMax:N0} characters."];
            else if (!ClientValidation.IsMultiLinePlainText(value)) errors[field] = [$"{field} must be plain text."];
        }
        if (errors.Count > 0) return new SaveResult(null, errors);
        var content = new SafetyPlanContent
        {
            SafeContactMethods = ClientValidation.Clean(input.SafeContactMethods),
            SafeContactTimes = ClientValidation.Clean(input.SafeContactTimes),
            CodeWords = ClientValidation.Clean(input.CodeWords),
            IfContactedByExploiter = ClientValidation.Clean(input.IfContactedByExploiter),
            SafePlaces = ClientValidation.Clean(input.SafePlaces),
            TrustedContacts = ClientValidation.Clean(input.TrustedContacts),
            Other = ClientValidation.Clean(input.Other),
        };

        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        await using var change = await audit.BeginChangeAsync(ct);
        var plan = await db.SafetyPlans.SingleOrDefaultAsync(p => p.ClientId == clientId && p.OrganizationId == staff.OrganizationId, ct);
        if (plan is null)
        {
            plan = new SafetyPlan { OrganizationId = staff.OrganizationId, ClientId = clientId, SealedContent = [], UpdatedBy = staff.UserId };
            db.SafetyPlans.Add(plan);
        }
        plan.SealedContent = ClientRecords.SealFor(orgKeys, client, plan.Id, JsonSerializer.SerializeToUtf8Bytes(content, Json));
        plan.UpdatedBy = staff.UserId;
        plan.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.SafetyPlanUpdated, staff.UserId, staff.OrganizationId, clientId, "care"), ct);
        await change.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new SaveResult(plan.Id, []);
    }
}
