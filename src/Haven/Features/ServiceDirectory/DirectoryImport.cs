using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.ServiceDirectory.Hsds;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.ServiceDirectory;

/// <summary>An import refused: each problem names its file and line, or its record.</summary>
public sealed class DirectoryImportException(IReadOnlyList<HsdsProblem> problems, string summary, string hint)
    : HavenException(summary, Listed(problems), hint)
{
    const int Shown = 200;

    public IReadOnlyList<HsdsProblem> Problems { get; } = problems;

    static List<string> Listed(IReadOnlyList<HsdsProblem> problems) =>
        [.. problems.Take(Shown).Select(p => p.ToString()), .. problems.Count > Shown ? [$"… and {problems.Count - Shown:N0} more."] : Array.Empty<string>()];
}

public sealed record DirectoryImportResult(IReadOnlyDictionary<string, int> RowsByTable, int Links, int Services, int Confidential, int DefectsAccepted);

/// <summary>
/// Stores an HSDS dataset in one transaction: records (confidential ones sealed), links, and what search and
/// matching read (services, their terms, sites). A record already in the directory is replaced.
/// </summary>
public sealed class DirectoryImport(HavenDb db, KeyRing keys, AuditLog audit, TimeProvider time)
{
    const int Chunk = 1000;
    static readonly HashSet<string> OneToOneFields = ["organization", "program", "location", "taxonomy_term", "taxonomy_detail", "service"];

    public async Task<DirectoryImportResult> ImportAsync(HsdsDataset dataset, Guid? listedBy, bool acceptDefects, string actor,
        IProgress<(string Stage, int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        var cache = new Dictionary<string, IReadOnlyCollection<string>>();
        dataset.ResolveReferences(id =>
        {
            if (!cache.TryGetValue(id, out var tables))
                cache[id] = tables = db.DirectoryRecords.AsNoTracking().Where(r => r.Id == id).Select(r => r.Table).ToList();
            return tables;
        });
        var confidential = ConfidentialRecords(dataset);
        if (confidential.Count > 0 && listedBy is null)
            dataset.Errors.Add(new("import", $"{confidential.Count(k => k.Table == "location")} confidential location(s): give the organization that lists them, so their addresses are sealed under its key."));
        if (dataset.Errors.Count > 0)
            throw new DirectoryImportException(dataset.Errors, $"The import was refused: {dataset.Errors.Count} error(s). Nothing was stored.",
                "Correct what is named above and import again.");
        if (dataset.Defects.Count > 0 && !acceptDefects)
            throw new DirectoryImportException(dataset.Defects, $"The import was refused: {dataset.Defects.Count} reference(s) to missing records or coordinates out of range. Nothing was stored.",
                "Correct them, or import them as they are with --accept-defects.");

        OrganizationKeys? sealer = listedBy is { } org && confidential.Count > 0 ? await keys.ForOrganizationAsync(db, org, ct) : null;
        var now = time.GetUtcNow().UtcDateTime;
        var addresses = dataset.Links.Where(l => l.ParentTable == "location" && l.Table == "address" && confidential.Contains(("location", l.ParentId)))
            .ToLookup(l => l.ParentId, l => dataset.Find("address", l.Id));
        var areas = addresses.ToDictionary(g => g.Key, g => g.FirstOrDefault(a => a is not null) is { } a ? DirectoryProjections.Area(a.Text("city"), a.Text("state_province")) : null);

        await using var change = await audit.BeginChangeAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var rows = dataset.Rows.ToList();
        var done = 0;
        foreach (var chunk in rows.Chunk(Chunk))
        {
            // Replace what is already there: look once for the ids that exist, and clear only those.
            var ids = chunk.Select(r => r.Id).Distinct().ToList();
            var existing = await db.DirectoryRecords.Where(r => ids.Contains(r.Id)).Select(r => new { r.Table, r.Id }).ToListAsync(ct);
            foreach (var group in existing.Where(e => chunk.Any(r => r.Table == e.Table && r.Id == e.Id)).GroupBy(e => e.Table))
            {
                var replaced = group.Select(e => e.Id).ToList();
                await db.DirectoryRecords.Where(r => r.Table == group.Key && replaced.Contains(r.Id)).ExecuteDeleteAsync(ct);
                await db.DirectoryLinks.Where(l => l.Table == group.Key && replaced.Contains(l.Id)).ExecuteDeleteAsync(ct);
                await db.DirectoryLinks.Where(l => l.ParentTable == group.Key && replaced.Contains(l.ParentId) && OneToOneFields.Contains(l.Field)).ExecuteDeleteAsync(ct);
            }
            var records = chunk.Select(r =>
            {
                var isConfidential = confidential.Contains((r.Table, r.Id));
                var json = r.Fields.ToJsonString();
                return new DirectoryRecord
                {
                    Table = r.Table,
                    Id = r.Id,
                    Json = isConfidential ? "" : json,
                    Sealed = isConfidential ? sealer!.Seal(json) : null,
                    Confidential = isConfidential,
                    ListedBy = listedBy,
                    Area = r.Table == "location" ? areas.GetValueOrDefault(r.Id) : null,
                    UpdatedAt = now,
                };
            }).ToList();
            await DirectoryBulk.WriteAsync(db, records, [], ct);
            progress?.Report(("records", done += chunk.Length, rows.Count));
        }
        var links = dataset.Links.Select(l => new DirectoryLink { ParentTable = l.ParentTable, ParentId = l.ParentId, Field = l.Field, Table = l.Table, Id = l.Id }).ToList();
        await DirectoryBulk.WriteAsync(db, [], links, ct);
        progress?.Report(("links", links.Count, links.Count));

        var services = await AffectedServicesAsync(dataset, ct);
        await new DirectoryProjections(db).RefreshAsync(services, now, new Progress<(int, int)>(p => progress?.Report(("services", p.Item1, p.Item2))), ct);
        var counts = rows.GroupBy(r => r.Table).ToDictionary(g => g.Key, g => g.Count());
        await audit.RecordAsync(new AuditEntry(AuditEventType.DirectoryImported, actor, listedBy, null, "directory"), ct);
        await change.CommitAsync(ct);
        return new DirectoryImportResult(counts, dataset.Links.Count, services.Count, confidential.Count(k => k.Table == "location"), dataset.Defects.Count);
    }

    public static readonly string VocabularyFile = Path.Combine(AppContext.BaseDirectory, "Features", "ServiceDirectory", "Standards", "open-eligibility.xml");

    /// <summary>Imports Open Eligibility and Haven's vocabulary when the directory lacks them or holds an older version.</summary>
    public async Task EnsureVocabularyAsync(CancellationToken ct = default)
    {
        var dataset = DirectoryVocabulary.Dataset(HsdsSchema.BuiltIn, await File.ReadAllTextAsync(VocabularyFile, ct));
        var expected = dataset.Rows.Count;
        var stored = await db.DirectoryRecords.CountAsync(r => r.Table == "taxonomy_term"
            && db.DirectoryLinks.Any(l => l.ParentTable == "taxonomy_term" && l.ParentId == r.Id && l.Field == "taxonomy_detail"
                && (l.Id == DirectoryVocabulary.HavenId || l.Id == DirectoryVocabulary.OpenEligibilityId)), ct);
        if (stored + 2 == expected) return;
        await ImportAsync(dataset, null, acceptDefects: false, "system", ct: ct);
    }

    /// <summary>Re-derives the service rows projected by an older Haven, before they carried what matching reads.</summary>
    public async Task RefreshOutdatedAsync(CancellationToken ct = default)
    {
        var ids = await db.DirectoryServices.Where(s => s.Needs == null).Select(s => s.Id).ToListAsync(ct);
        if (ids.Count == 0) return;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await new DirectoryProjections(db).RefreshAsync(ids, time.GetUtcNow().UtcDateTime, null, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// The confidential locations (those carrying the haven:confidential-location attribute) and every record nested
    /// under them, except attributes: the address, phones, contacts, schedules, languages and metadata of a safe house.
    /// </summary>
    static HashSet<(string Table, string Id)> ConfidentialRecords(HsdsDataset dataset)
    {
        var term = DirectoryVocabulary.TermId(DirectoryVocabulary.ConfidentialLocation);
        var marking = dataset.Of("attribute").Where(a => a.Text("taxonomy_term_id") == term).Select(a => a.Id).ToHashSet();
        var locations = dataset.Links.Where(l => l.ParentTable == "location" && l.Table == "attribute" && marking.Contains(l.Id)).Select(l => l.ParentId).ToHashSet();
        var children = dataset.Links.ToLookup(l => (l.ParentTable, l.ParentId));
        var result = new HashSet<(string, string)>();
        var queue = new Queue<(string, string)>(locations.Select(id => ("location", id)));
        while (queue.TryDequeue(out var key))
        {
            if (!result.Add(key)) continue;
            foreach (var link in children[key].Where(l => l.Table != "attribute" && !OneToOneFields.Contains(l.Field)))
                queue.Enqueue((link.Table, link.Id));
        }
        return result;
    }

    /// <summary>Services whose search and matching data may change: those imported and those above any imported record.</summary>
    async Task<HashSet<string>> AffectedServicesAsync(HsdsDataset dataset, CancellationToken ct)
    {
        var services = dataset.Of("service").Select(s => s.Id).ToHashSet();
        var parents = dataset.Links.ToLookup(l => (l.Table, l.Id));
        var locations = new HashSet<string>();
        var seen = new HashSet<(string, string)>();
        var queue = new Queue<(string Table, string Id)>(dataset.Rows.Where(r => r.Table != "service").Select(r => (r.Table, r.Id)));
        while (queue.TryDequeue(out var key))
        {
            if (!seen.Add(key)) continue;
            switch (key.Table)
            {
                case "service": services.Add(key.Id); continue;
                case "service_at_location":
                    if (dataset.Find(key.Table, key.Id)?.Text("service_id") is { } s) services.Add(s);
                    break;
                case "location": locations.Add(key.Id); break;
            }
            foreach (var link in parents[key]) queue.Enqueue((link.ParentTable, link.ParentId));
        }
        if (locations.Count > 0)
            foreach (var chunk in locations.Chunk(Chunk))
                services.UnionWith(await db.DirectorySites.Where(s => chunk.Contains(s.LocationId)).Select(s => s.ServiceId).ToListAsync(ct));
        return services;
    }
}
