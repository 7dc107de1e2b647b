using System.Text.Json.Nodes;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.ServiceDirectory;

public sealed record CapacityUpdate(int? Available, int? Maximum, string? Unit);

public sealed record ListingEdit(string? Name, string? Description, string? Status, List<string>? Attributes);

public sealed record ListingView(DirectoryService Service, string? Description, IReadOnlySet<string> Attributes, bool Stale, JsonObject? Full);

/// <summary>
/// A provider keeps its own listings current: capacity in one action, verification, and the listing's name,
/// description, status and Haven attributes. Only staff of the listing organization may change a listing.
/// </summary>
public sealed class Listings(HavenDb db, DirectoryReader reader, AuditLog audit, TimeProvider time, IConfiguration configuration)
{
    public static readonly string[] Units = ["beds", "places", "appointments", "slots"];
    public static readonly string[] Statuses = ["active", "inactive", "defunct", "temporarily closed"];
    const int MaxUnits = 100_000;

    public TimeSpan StaleAfter => StaleAfterFrom(configuration);

    public static TimeSpan StaleAfterFrom(IConfiguration configuration) => TimeSpan.FromDays(configuration.GetValue("Directory:StaleAfterDays", 180));

    public bool IsStale(DirectoryService s) => MatchingEngine.IsStale(s.VerifiedAt, time.GetUtcNow().UtcDateTime, StaleAfter);

    public async Task<IReadOnlyList<DirectoryService>> MineAsync(Staff staff, CancellationToken ct = default) =>
        await db.DirectoryServices.AsNoTracking().Where(s => s.ListedBy == staff.OrganizationId).OrderBy(s => s.Name).ThenBy(s => s.Id).Take(1000).ToListAsync(ct);

    public async Task<ListingView?> GetAsync(Staff staff, string id, CancellationToken ct = default)
    {
        var service = await db.DirectoryServices.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.ListedBy == staff.OrganizationId, ct);
        if (service is null) return null;
        var viewer = new Hsds.DirectoryViewer(staff.OrganizationId, new HashSet<string>());
        var graph = await reader.GraphAsync([("service", id)], viewer, full: true, [], ct);
        var full = graph.Full("service", id, viewer);
        var attributes = (full?["attributes"] as JsonArray ?? []).Select(a => (string?)a?["taxonomy_term"]?["code"]).OfType<string>()
            .Where(DirectoryVocabulary.Attributes.ContainsKey).ToHashSet();
        return new ListingView(service, (string?)full?["description"], attributes, IsStale(service), full);
    }

    public async Task<Dictionary<string, string[]>?> UpdateCapacityAsync(Staff staff, string id, CapacityUpdate update, CancellationToken ct = default)
    {
        var service = await db.DirectoryServices.SingleOrDefaultAsync(s => s.Id == id && s.ListedBy == staff.OrganizationId, ct);
        if (service is null) return null;
        var errors = new Dictionary<string, string[]>();
        if (update.Maximum is not { } max || max is < 0 or > MaxUnits) errors["maximum"] = [$"Give the total, from 0 to {MaxUnits:N0}."];
        if (update.Available is not { } available || available < 0) errors["available"] = ["Give how many are free, 0 or more."];
        else if (update.Maximum is { } m && available > m) errors["available"] = ["More are free than the total."];
        if (update.Unit is not { } unit || !Units.Contains(unit)) errors["unit"] = [$"Choose the unit: {string.Join(", ", Units)}."];
        if (errors.Count > 0) return errors;
        service.CapacityAvailable = update.Available;
        service.CapacityMaximum = update.Maximum;
        service.CapacityUnit = update.Unit;
        service.CapacityUpdatedAt = time.GetUtcNow().UtcDateTime;
        await SaveAsync(staff, AuditEventType.CapacityUpdated, ct);
        return errors;
    }

    public async Task<bool> VerifyAsync(Staff staff, string id, CancellationToken ct = default)
    {
        var service = await db.DirectoryServices.SingleOrDefaultAsync(s => s.Id == id && s.ListedBy == staff.OrganizationId, ct);
        if (service is null) return false;
        service.VerifiedAt = time.GetUtcNow().UtcDateTime;
        await SaveAsync(staff, AuditEventType.ListingVerified, ct);
        return true;
    }

    /// <summary>Edits the HSDS record itself and its Haven attributes; editing a listing also verifies it.</summary>
    public async Task<Dictionary<string, string[]>?> EditAsync(Staff staff, string id, ListingEdit edit, CancellationToken ct = default)
    {
        var service = await db.DirectoryServices.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.ListedBy == staff.OrganizationId, ct);
        if (service is null) return null;
        var errors = new Dictionary<string, string[]>();
        var name = edit.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) errors["name"] = ["Give the service's name, at most 200 characters."];
        if (edit.Description?.Length > 4000) errors["description"] = ["The description must be at most 4,000 characters."];
        if (edit.Status is not { } status || !Statuses.Contains(status)) errors["status"] = [$"Choose the status: {string.Join(", ", Statuses)}."];
        var attributes = edit.Attributes ?? [];
        if (attributes.FirstOrDefault(a => !DirectoryVocabulary.Attributes.ContainsKey(a) || a == DirectoryVocabulary.ConfidentialLocation) is { } unknown)
            errors["attributes"] = [$"'{unknown}' is not a Haven attribute of services."];
        if (errors.Count > 0) return errors;

        var now = time.GetUtcNow().UtcDateTime;
        var record = await db.DirectoryRecords.SingleAsync(r => r.Table == "service" && r.Id == id, ct);
        var fields = JsonNode.Parse(record.Json)!.AsObject();
        fields["name"] = name;
        if (string.IsNullOrWhiteSpace(edit.Description)) fields.Remove("description"); else fields["description"] = edit.Description.Trim();
        fields["status"] = edit.Status;
        fields["last_modified"] = now.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        record.Json = fields.ToJsonString();
        record.UpdatedAt = now;

        // Haven attributes: one attribute record per attribute, with a stable id, so a re-edit replaces rather than adds.
        var havenTerms = DirectoryVocabulary.Attributes.Keys.Select(DirectoryVocabulary.TermId).ToList();
        var existing = await db.DirectoryLinks.Where(l => l.ParentTable == "service" && l.ParentId == id && l.Field == "attributes").Select(l => l.Id).ToListAsync(ct);
        var havenAttributeIds = await db.DirectoryRecords.Where(r => r.Table == "attribute" && existing.Contains(r.Id))
            .Select(r => new { r.Id, r.Json }).ToListAsync(ct);
        var remove = havenAttributeIds.Where(a => havenTerms.Any(t => a.Json.Contains(t, StringComparison.Ordinal))).Select(a => a.Id).ToList();

        await using var change = await audit.BeginChangeAsync(ct);
        await db.DirectoryRecords.Where(r => r.Table == "attribute" && remove.Contains(r.Id)).ExecuteDeleteAsync(ct);
        await db.DirectoryLinks.Where(l => (l.Table == "attribute" && remove.Contains(l.Id)) || (l.ParentTable == "attribute" && remove.Contains(l.ParentId))).ExecuteDeleteAsync(ct);
        foreach (var code in attributes.Distinct())
        {
            var attributeId = DirectoryVocabulary.StableId($"listing/{id}/{code}");
            var termId = DirectoryVocabulary.TermId(code);
            db.DirectoryRecords.Add(new DirectoryRecord
            {
                Table = "attribute",
                Id = attributeId,
                Json = new JsonObject { ["id"] = attributeId, ["link_id"] = id, ["link_type"] = "service_attribute", ["link_entity"] = "service", ["taxonomy_term_id"] = termId }.ToJsonString(),
                ListedBy = staff.OrganizationId,
                UpdatedAt = now,
            });
            db.DirectoryLinks.Add(new DirectoryLink { ParentTable = "service", ParentId = id, Field = "attributes", Table = "attribute", Id = attributeId });
            db.DirectoryLinks.Add(new DirectoryLink { ParentTable = "attribute", ParentId = attributeId, Field = "taxonomy_term", Table = "taxonomy_term", Id = termId });
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        await new DirectoryProjections(db).RefreshAsync([id], now, null, ct);
        await db.DirectoryServices.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.VerifiedAt, now), ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ListingUpdated, staff.UserId, staff.OrganizationId, null, "directory"), ct);
        await change.CommitAsync(ct);
        return errors;
    }

    async Task SaveAsync(Staff staff, AuditEventType type, CancellationToken ct)
    {
        await using var change = await audit.BeginChangeAsync(ct);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(type, staff.UserId, staff.OrganizationId, null, "directory"), ct);
        await change.CommitAsync(ct);
    }
}
