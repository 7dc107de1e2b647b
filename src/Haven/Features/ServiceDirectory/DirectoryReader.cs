using System.Text.Json.Nodes;
using Haven.Data;
using Haven.Features.ServiceDirectory.Hsds;
using Haven.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Haven.Features.ServiceDirectory;

/// <summary>A filter on services, as the HSDS API and the matching page give it.</summary>
public sealed record ServiceFilter(
    string? Search = null,
    string? TaxonomyTermId = null,
    string? TaxonomyId = null,
    string? OrganizationId = null,
    DateTime? ModifiedAfter = null,
    string? Postcode = null,
    GeoCircle? Near = null);

/// <summary>A point and a radius in metres.</summary>
public sealed record GeoCircle(double Latitude, double Longitude, double Metres)
{
    const double MetresPerDegree = 111_195;

    /// <summary>Great-circle distance in metres (haversine).</summary>
    public static double Distance(double lat1, double lon1, double lat2, double lon2)
    {
        static double Rad(double d) => d * Math.PI / 180;
        var a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2);
        return 2 * 6_371_008.8 * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    public double LatitudeSpan => Metres / MetresPerDegree;

    public double LongitudeSpan => Metres / (MetresPerDegree * Math.Max(0.01, Math.Cos(Latitude * Math.PI / 180)));

    /// <summary>The grid cells the circle's bounding box touches, or null when there are too many to list.</summary>
    public List<int>? Cells(int limit = 400)
    {
        var step = DirectoryProjections.CellDegrees;
        var latFrom = Math.Max(-90, Latitude - LatitudeSpan);
        var latTo = Math.Min(90 - 1e-9, Latitude + LatitudeSpan);
        var lonFrom = Longitude - LongitudeSpan;
        var lonTo = Longitude + LongitudeSpan;
        if ((latTo - latFrom) / step * ((lonTo - lonFrom) / step) > limit || lonTo - lonFrom >= 360) return null;
        var cells = new List<int>();
        for (var lat = Math.Floor(latFrom / step) * step; lat <= latTo; lat += step)
            for (var lon = Math.Floor(lonFrom / step) * step; lon <= lonTo; lon += step)
                cells.Add(DirectoryProjections.CellOf(Math.Clamp(lat + step / 2, -90, 90 - 1e-9), ((lon + step / 2 + 540) % 360) - 180));
        return [.. cells.Distinct()];
    }
}

/// <summary>Reads the directory: filtered pages of services and sites, and the nested HSDS shapes with confidential locations redacted.</summary>
public sealed class DirectoryReader(HavenDb db, KeyRing keys, IMemoryCache cache)
{
    public HsdsSchema Schema => HsdsSchema.BuiltIn;

    public IQueryable<DirectoryService> Services(ServiceFilter filter)
    {
        var q = db.DirectoryServices.AsNoTracking();
        foreach (var word in Words(filter.Search))
            q = q.Where(s => s.SearchText.Contains(word));
        if (filter.TaxonomyTermId is { } term)
            q = q.Where(s => db.DirectoryServiceTerms.Any(t => t.ServiceId == s.Id && t.TermId == term));
        if (filter.TaxonomyId is { } taxonomy)
            q = q.Where(s => db.DirectoryServiceTerms.Any(t => t.ServiceId == s.Id && t.TaxonomyId == taxonomy));
        if (filter.OrganizationId is { } org) q = q.Where(s => s.OrganizationId == org);
        if (filter.ModifiedAfter is { } after) q = q.Where(s => s.ModifiedAt >= after);
        if (filter.Near is not null || filter.Postcode is not null)
        {
            // IN (the sites near the place): the spatial index drives the query, not a scan of every service.
            var sites = Sites(filter with { Search = null, TaxonomyId = null, TaxonomyTermId = null, OrganizationId = null, ModifiedAfter = null });
            q = q.Where(s => sites.Select(x => x.ServiceId).Contains(s.Id));
        }
        return q;
    }

    /// <summary>Sites matching the filter. Distance goes through the grid-cell index, then the circle itself.</summary>
    public IQueryable<DirectorySite> Sites(ServiceFilter filter)
    {
        var q = db.DirectorySites.AsNoTracking();
        if (filter.Near is { } near)
        {
            var latFrom = near.Latitude - near.LatitudeSpan;
            var latTo = near.Latitude + near.LatitudeSpan;
            var lonFrom = near.Longitude - near.LongitudeSpan;
            var lonTo = near.Longitude + near.LongitudeSpan;
            // Cell is compared as a plain integer list: a nullable list makes the provider add a null test with OR,
            // and the OR keeps the database from using the cell index at all.
            if (near.Cells() is { } cells)
                q = q.Where(s => s.Cell != null && cells.Contains(s.Cell.Value));
            q = q.Where(s => s.Latitude >= latFrom && s.Latitude <= latTo && s.Longitude >= lonFrom && s.Longitude <= lonTo);
            // The circle, on a local flat projection: close enough to the great circle for radii of a city or a region.
            var lat0 = near.Latitude;
            var lon0 = near.Longitude;
            var k = Math.Cos(lat0 * Math.PI / 180);
            var r2 = near.LatitudeSpan * near.LatitudeSpan;
            q = q.Where(s => (s.Latitude - lat0) * (s.Latitude - lat0) + (s.Longitude - lon0) * k * ((s.Longitude - lon0) * k) <= r2);
        }
        else if (filter.Postcode is { } postcode)
        {
            var normalized = DirectoryProjections.Postcode(postcode);
            q = q.Where(s => s.Postcode == normalized);
        }
        if (filter.Search is not null || filter.TaxonomyTermId is not null || filter.TaxonomyId is not null || filter.OrganizationId is not null || filter.ModifiedAfter is not null)
        {
            var services = Services(filter with { Near = null, Postcode = null });
            q = q.Where(s => services.Any(x => x.Id == s.ServiceId));
        }
        return q;
    }

    /// <summary>
    /// The centre of a postcode: the mean position of the public locations that have it. Safe houses never count.
    /// Kept for a few minutes: every distance search starts here.
    /// </summary>
    public async Task<(double Latitude, double Longitude)?> PostcodeCentreAsync(string postcode, CancellationToken ct = default)
    {
        var normalized = DirectoryProjections.Postcode(postcode);
        if (normalized is null) return null;
        if (cache.TryGetValue<(double, double)>(("postcode", normalized), out var known)) return known;
        var centre = await ComputeCentreAsync(normalized, ct);
        if (centre is { } found) cache.Set(("postcode", normalized), found, TimeSpan.FromMinutes(5));
        return centre;
    }

    async Task<(double Latitude, double Longitude)?> ComputeCentreAsync(string normalized, CancellationToken ct)
    {
        var points = await db.DirectorySites.AsNoTracking()
            .Where(s => s.Postcode == normalized && !s.Confidential && s.Latitude != null)
            .Select(s => new { s.Latitude, s.Longitude }).ToListAsync(ct);
        if (points.Count == 0) return null;
        return (points.Average(p => p.Latitude!.Value), points.Average(p => p.Longitude!.Value));
    }

    public static IEnumerable<string> Words(string? search) =>
        (search ?? "").ToLowerInvariant().Split([' ', ',', ';', '\t'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length > 0).Take(8);

    public Task<DirectoryService?> ServiceAsync(string id, CancellationToken ct = default) =>
        db.DirectoryServices.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);

    public Task<bool> ExistsAsync(string table, string id, CancellationToken ct = default) =>
        db.DirectoryRecords.AnyAsync(r => r.Table == table && r.Id == id, ct);

    /// <summary>
    /// Loads the records and links the nested shapes of these roots need, level by level. Sealed records are opened
    /// only for a viewer who may see them somewhere; the graph decides where.
    /// </summary>
    public async Task<HsdsGraph> GraphAsync(IEnumerable<(string Table, string Id)> roots, DirectoryViewer viewer, bool full, string[] apiNests, CancellationToken ct = default)
    {
        var schema = Schema;
        var records = new Dictionary<(string, string), GraphRecord>();
        var links = new List<HsdsLink>();
        var frontier = roots.Distinct().ToList();
        var depth = 0;
        while (frontier.Count > 0)
        {
            await LoadRecordsAsync(frontier.Where(k => !records.ContainsKey(k)).ToList(), records, viewer, ct);
            if (!full && depth >= 1) break;
            var next = new List<(string, string)>();
            var parents = frontier.ToHashSet();
            foreach (var chunk in frontier.Select(f => f.Id).Distinct().Chunk(500))
            {
                var found = await db.DirectoryLinks.AsNoTracking().Where(l => chunk.Contains(l.ParentId)).ToListAsync(ct);
                foreach (var l in found)
                {
                    var allowed = schema.Tables[l.ParentTable].Nests.Any(n => n.Field == l.Field && (full || !n.Many))
                        || (depth == 0 && apiNests.Contains(l.Field) && HsdsDataset.ApiNests.ContainsKey((l.ParentTable, l.Field)));
                    if (!allowed || !parents.Contains((l.ParentTable, l.ParentId))) continue;
                    links.Add(new HsdsLink(l.ParentTable, l.ParentId, l.Field, l.Table, l.Id));
                    if (!records.ContainsKey((l.Table, l.Id))) next.Add((l.Table, l.Id));
                }
            }
            frontier = next.Distinct().ToList();
            depth++;
        }
        return new HsdsGraph(schema, records.Values, links);
    }

    async Task LoadRecordsAsync(List<(string Table, string Id)> keysWanted, Dictionary<(string, string), GraphRecord> into, DirectoryViewer viewer, CancellationToken ct)
    {
        foreach (var group in keysWanted.GroupBy(k => k.Table))
            foreach (var chunk in group.Select(k => k.Id).Chunk(500))
                foreach (var r in await db.DirectoryRecords.AsNoTracking().Where(r => r.Table == group.Key && chunk.Contains(r.Id)).ToListAsync(ct))
                {
                    JsonObject? fields = null;
                    if (!r.Confidential) fields = JsonNode.Parse(r.Json)?.AsObject();
                    else if (r.Sealed is not null && r.ListedBy is { } org && viewer.MayOpen(org))
                        fields = JsonNode.Parse((await keys.ForOrganizationAsync(db, org, ct)).Open(r.Sealed))?.AsObject();
                    into[(r.Table, r.Id)] = new GraphRecord(r.Table, r.Id, fields, r.Confidential, r.ListedBy, r.Area);
                }
    }
}
