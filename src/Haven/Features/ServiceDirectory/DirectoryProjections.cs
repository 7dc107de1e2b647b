using System.Text.Json.Nodes;
using Haven.Data;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.ServiceDirectory;

/// <summary>
/// Derives what search and matching read from the stored HSDS records: one row per service, its terms, and one row
/// per site with the grid cell of its coordinates. Capacity and verification are kept across a refresh.
/// </summary>
public sealed class DirectoryProjections(HavenDb db)
{
    const int Batch = 500;

    /// <summary>Grid cells of a tenth of a degree: a 25 km radius reads about 35 cells through the index.</summary>
    public const double CellDegrees = 0.1;

    public static int CellOf(double latitude, double longitude) =>
        (int)Math.Floor((latitude + 90) / CellDegrees) * 3600 + (int)Math.Floor((longitude + 180) / CellDegrees) % 3600;

    public async Task RefreshAsync(IReadOnlyCollection<string> serviceIds, DateTime now, IProgress<(int, int)>? progress, CancellationToken ct)
    {
        var done = 0;
        foreach (var batch in serviceIds.Chunk(Batch))
        {
            await RefreshBatchAsync(batch, now, ct);
            progress?.Report((done += batch.Length, serviceIds.Count));
        }
    }

    async Task RefreshBatchAsync(string[] ids, DateTime now, CancellationToken ct)
    {
        var kept = await db.DirectoryServices.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        await db.DirectoryServices.Where(s => ids.Contains(s.Id)).ExecuteDeleteAsync(ct);
        await db.DirectoryServiceTerms.Where(t => ids.Contains(t.ServiceId)).ExecuteDeleteAsync(ct);
        await db.DirectorySites.Where(s => ids.Contains(s.ServiceId)).ExecuteDeleteAsync(ct);

        var records = new Dictionary<(string, string), DirectoryRecord>();
        var links = new List<DirectoryLink>();
        async Task LoadAsync(string table, IEnumerable<string> keys)
        {
            var wanted = keys.Where(k => !records.ContainsKey((table, k))).Distinct().ToList();
            foreach (var chunk in wanted.Chunk(Batch))
                foreach (var r in await db.DirectoryRecords.AsNoTracking().Where(r => r.Table == table && chunk.Contains(r.Id)).ToListAsync(ct))
                    records[(r.Table, r.Id)] = r;
        }
        async Task<List<DirectoryLink>> ChildrenAsync(string parentTable, IEnumerable<string> parents, params string[] fields)
        {
            var found = new List<DirectoryLink>();
            foreach (var chunk in parents.Distinct().Chunk(Batch))
                found.AddRange(await db.DirectoryLinks.AsNoTracking()
                    .Where(l => chunk.Contains(l.ParentId) && l.ParentTable == parentTable && fields.Contains(l.Field)).ToListAsync(ct));
            links.AddRange(found);
            return found;
        }

        await LoadAsync("service", ids);
        var serviceLinks = await ChildrenAsync("service", ids, "attributes", "languages", "service_at_locations", "organization", "schedules");
        // A service nested in an organization's "services" names its organization only by where it sits.
        var nestedIn = new Dictionary<string, string>();
        foreach (var chunk in ids.Chunk(Batch))
            foreach (var l in await db.DirectoryLinks.AsNoTracking().Where(l => l.Table == "service" && chunk.Contains(l.Id) && l.ParentTable == "organization" && l.Field == "services").ToListAsync(ct))
                nestedIn[l.Id] = l.ParentId;
        var siteIds = serviceLinks.Where(l => l.Field == "service_at_locations").Select(l => l.Id).ToList();
        await LoadAsync("service_at_location", siteIds);
        var locationLinks = await ChildrenAsync("service_at_location", siteIds, "location");
        var locationIds = locationLinks.Select(l => l.Id).ToList();
        await LoadAsync("location", locationIds);
        var underLocations = await ChildrenAsync("location", locationIds, "addresses", "languages", "attributes");
        await LoadAsync("attribute", links.Where(l => l.Table == "attribute").Select(l => l.Id));
        await LoadAsync("language", links.Where(l => l.Table == "language").Select(l => l.Id));
        await LoadAsync("address", underLocations.Where(l => l.Table == "address").Select(l => l.Id));
        await LoadAsync("schedule", serviceLinks.Where(l => l.Field == "schedules").Select(l => l.Id));
        var attributeTerms = links.Where(l => l.Table == "attribute").Select(l => l.Id).Distinct()
            .ToDictionary(a => a, a => (string?)Open("attribute", a)?["taxonomy_term_id"]);
        await LoadAsync("taxonomy_term", attributeTerms.Values.OfType<string>());

        var children = links.ToLookup(l => (l.ParentTable, l.ParentId, l.Field), l => l.Id);
        foreach (var id in ids)
        {
            if (Open("service", id) is not { } service) continue;
            var record = records[("service", id)];
            var locations = children[("service", id, "service_at_locations")]
                .SelectMany(site => children[("service_at_location", site, "location")].Select(location => (Site: site, Location: location))).ToList();

            var termIds = children[("service", id, "attributes")]
                .Select(a => attributeTerms.GetValueOrDefault(a)).OfType<string>().Distinct().ToList();
            var terms = termIds.Select(t => Open("taxonomy_term", t)).OfType<JsonObject>().ToList();
            var languageIds = children[("service", id, "languages")]
                .Concat(locations.SelectMany(l => children[("location", l.Location, "languages")]));
            var languages = languageIds.Select(l => Open("language", l)).OfType<JsonObject>()
                .Select(l => ((string?)l["code"] ?? (string?)l["name"])?.Trim().ToLowerInvariant()).OfType<string>().Distinct().Order();

            var hours = children[("service", id, "schedules")].Select(h => Open("schedule", h)).OfType<JsonObject>()
                .Select(h => OpeningHours.Parse((string?)h["freq"], (string?)h["byday"], (string?)h["opens_at"], (string?)h["closes_at"])).OfType<OpeningHours>();

            var needs = Spaced(DirectoryVocabulary.NeedTermIds.Where(n => termIds.Any(n.Value.Contains)).Select(n => n.Key));
            kept.TryGetValue(id, out var before);
            db.DirectoryServices.Add(new DirectoryService
            {
                Id = id,
                OrganizationId = (string?)service["organization_id"] ?? children[("service", id, "organization")].FirstOrDefault() ?? nestedIn.GetValueOrDefault(id),
                Name = Clip((string?)service["name"] ?? "", 500),
                SearchText = SearchText(service, terms),
                Status = (string?)service["status"] ?? "active",
                MinimumAge = Age(service["minimum_age"]),
                MaximumAge = Age(service["maximum_age"]),
                Languages = Spaced(languages),
                ModifiedAt = DateTime.TryParse((string?)service["last_modified"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var modified) ? modified : now,
                ListedBy = record.ListedBy,
                VerifiedAt = before?.VerifiedAt,
                CapacityAvailable = before?.CapacityAvailable,
                CapacityMaximum = before?.CapacityMaximum,
                CapacityUnit = before?.CapacityUnit,
                CapacityUpdatedAt = before?.CapacityUpdatedAt,
                Needs = needs,
                Attributes = Spaced(termIds.Select(t => attributeByTerm.GetValueOrDefault(t)).OfType<string>()),
                Hours = string.Join(';', hours.Select(h => h.Compact)),
            });
            db.DirectoryServiceTerms.AddRange(termIds.Where(t => records.ContainsKey(("taxonomy_term", t))).Select(t => new DirectoryServiceTerm
            {
                ServiceId = id,
                TermId = t,
                TaxonomyId = (string?)Open("taxonomy_term", t)?["taxonomy_id"],
            }));
            foreach (var (site, locationId) in locations.DistinctBy(l => l.Site))
            {
                if (!records.TryGetValue(("location", locationId), out var location)) continue;
                var open = location.Confidential ? null : Open("location", locationId);
                var lat = (double?)open?["latitude"];
                var lon = (double?)open?["longitude"];
                var onGlobe = lat is >= -90 and <= 90 && lon is >= -180 and <= 180;
                var address = location.Confidential ? null : children[("location", locationId, "addresses")].Select(a => Open("address", a)).OfType<JsonObject>().FirstOrDefault();
                db.DirectorySites.Add(new DirectorySite
                {
                    Id = site,
                    ServiceId = id,
                    LocationId = locationId,
                    Confidential = location.Confidential,
                    Latitude = onGlobe ? lat : null,
                    Longitude = onGlobe ? lon : null,
                    Cell = onGlobe ? CellOf(lat!.Value, lon!.Value) : null,
                    Postcode = Postcode((string?)address?["postal_code"]),
                    Area = location.Confidential ? location.Area : Area((string?)address?["city"], (string?)address?["state_province"]),
                    Needs = needs,
                });
            }
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();

        JsonObject? Open(string table, string id) =>
            records.TryGetValue((table, id), out var r) && !r.Confidential && r.Json.Length > 0 ? JsonNode.Parse(r.Json)?.AsObject() : null;
    }

    /// <summary>The general area of a location: city and state or province from its address, never the street.</summary>
    public static string? Area(string? city, string? stateProvince)
    {
        var parts = new[] { city, stateProvince }.OfType<string>().ToArray();
        return parts.Length == 0 ? null : Clip(string.Join(", ", parts), 200);
    }

    static readonly Dictionary<string, string> attributeByTerm = DirectoryVocabulary.Attributes.Keys.ToDictionary(DirectoryVocabulary.TermId);

    /// <summary>Codes with a space at each end and between, so " code " finds one with LIKE.</summary>
    static string Spaced(IEnumerable<string> codes) => " " + string.Join(' ', codes.Distinct().Order(StringComparer.Ordinal)) + " ";

    static int? Age(JsonNode? node) => (double?)node is { } d && d is >= 0 and <= 200 ? (int)d : null;

    static string Clip(string text, int length) => text.Length <= length ? text : text[..length];

    /// <summary>Postcodes compare without case or spaces ("ab1 2cd" is "AB12CD").</summary>
    public static string? Postcode(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var normalized = new string(text.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return normalized.Length is > 0 and <= 20 ? normalized : null;
    }

    static string SearchText(JsonObject service, IEnumerable<JsonObject> terms)
    {
        var parts = new[] { (string?)service["name"], (string?)service["alternate_name"], (string?)service["description"] }
            .Concat(terms.Select(t => (string?)t["name"]));
        return Clip(string.Join(' ', parts.OfType<string>()).ToLowerInvariant(), 4000);
    }
}
