using System.Text.Json.Nodes;
using Haven.Data;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.ServiceDirectory;

/// <summary>Where to search from: a point, or a postcode whose centre the directory knows.</summary>
public sealed record MatchPlace(double? Latitude = null, double? Longitude = null, string? Postcode = null);

/// <summary>
/// Loads the candidates the matching engine ranks: services that meet at least one need, with a site within reach of
/// the place (through the spatial index), and the safe houses of the place's general area, which have no coordinates.
/// </summary>
public sealed class ServiceMatching(HavenDb db, DirectoryReader reader, IConfiguration configuration, TimeProvider time)
{
    const int MaxCandidates = 3000;

    public TimeSpan StaleAfter => Listings.StaleAfterFrom(configuration);

    public async Task<(MatchOutcome? Outcome, string? Problem)> MatchAsync(MatchRequest request, MatchPlace? place, CancellationToken ct = default)
    {
        var unknown = request.Needs.Where(n => !DirectoryVocabulary.NeedTermIds.ContainsKey(n)).ToList();
        if (unknown.Count > 0) return (null, $"Unknown need: {string.Join(", ", unknown)}.");
        if (request.Needs.Count == 0) return (null, "Choose at least one need.");
        var termToNeed = request.Needs.SelectMany(n => DirectoryVocabulary.NeedTermIds[n].Select(t => (Term: t, Need: n))).ToLookup(x => x.Term, x => x.Need);
        var needTerms = termToNeed.Select(g => g.Key).ToList();

        (double Lat, double Lon)? centre = null;
        var areas = new List<string>();
        if (place?.Latitude is { } lat && place.Longitude is { } lon)
        {
            if (lat is < -90 or > 90 || lon is < -180 or > 180) return (null, "The point is off the globe.");
            centre = (lat, lon);
        }
        else if (place?.Postcode is { } postcode)
        {
            centre = await reader.PostcodeCentreAsync(postcode, ct);
            if (centre is null) return (null, "No listed location has this postcode, so distance cannot be measured from it.");
            var normalized = DirectoryProjections.Postcode(postcode);
            areas = await db.DirectorySites.AsNoTracking().Where(s => s.Postcode == normalized && s.Area != null).Select(s => s.Area!).Distinct().Take(5).ToListAsync(ct);
        }

        var siteQuery = db.DirectorySites.AsNoTracking().Where(s => db.DirectoryServiceTerms.Any(t => t.ServiceId == s.ServiceId && needTerms.Contains(t.TermId)));
        List<DirectorySite> sites;
        if (centre is { } c)
        {
            // Half again the radius, so close candidates just beyond it can be named as left out.
            var reach = (request.RadiusMetres ?? 25_000) * 1.5;
            var near = reader.Sites(new ServiceFilter(Near: new GeoCircle(c.Lat, c.Lon, reach)));
            // No ORDER BY here: the circle bounds the rows, and an order would tempt the planner to walk every site in key order.
            sites = await siteQuery.Where(s => near.Select(n => n.Id).Contains(s.Id)).ToListAsync(ct);
            if (areas.Count > 0)
                sites.AddRange(await siteQuery.Where(s => s.Confidential && areas.Contains(s.Area!)).ToListAsync(ct));
        }
        else sites = await siteQuery.OrderBy(s => s.Id).Take(MaxCandidates).ToListAsync(ct);

        var ids = sites.Select(s => s.ServiceId).Distinct().ToList();
        var services = await db.DirectoryServices.AsNoTracking().Where(s => ids.Contains(s.Id)).ToListAsync(ct);
        var terms = (await db.DirectoryServiceTerms.AsNoTracking().Where(t => ids.Contains(t.ServiceId)).Select(t => new { t.ServiceId, t.TermId }).ToListAsync(ct))
            .ToLookup(t => t.ServiceId, t => t.TermId);
        var hours = await HoursAsync(ids, ct);
        var attributeByTerm = DirectoryVocabulary.Attributes.Keys.ToDictionary(DirectoryVocabulary.TermId);
        var sitesByService = sites.ToLookup(s => s.ServiceId);

        var candidates = services.Select(s =>
        {
            var own = sitesByService[s.Id].ToList();
            double? distance = centre is { } p
                ? own.Where(x => x.Latitude is not null).Select(x => GeoCircle.Distance(p.Lat, p.Lon, x.Latitude!.Value, x.Longitude!.Value)).DefaultIfEmpty(double.NaN).Min()
                : null;
            if (distance is double.NaN) distance = null;
            var confidential = own.All(x => x.Confidential);
            return new MatchCandidate(s.Id, s.Name, own.Select(x => x.Area).FirstOrDefault(a => a is not null),
                terms[s.Id].SelectMany(t => termToNeed[t]).ToHashSet(),
                terms[s.Id].Where(attributeByTerm.ContainsKey).Select(t => attributeByTerm[t]).ToHashSet(),
                s.Languages.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(),
                s.MinimumAge, s.MaximumAge, distance, confidential, hours[s.Id].ToList(),
                s.CapacityUnit is { } unit && s.CapacityAvailable is { } available ? new Capacity(available, s.CapacityMaximum ?? available, unit, s.CapacityUpdatedAt ?? s.ModifiedAt) : null,
                s.VerifiedAt, s.ListedBy);
        });
        return (MatchingEngine.Rank(candidates, request, time.GetUtcNow().UtcDateTime, StaleAfter), null);
    }

    /// <summary>The weekly hours of each service, from its HSDS schedules.</summary>
    async Task<ILookup<string, OpeningHours>> HoursAsync(List<string> serviceIds, CancellationToken ct)
    {
        var links = await db.DirectoryLinks.AsNoTracking()
            .Where(l => l.ParentTable == "service" && l.Field == "schedules" && serviceIds.Contains(l.ParentId)).Select(l => new { l.ParentId, l.Id }).ToListAsync(ct);
        var scheduleIds = links.Select(l => l.Id).ToList();
        var schedules = await db.DirectoryRecords.AsNoTracking().Where(r => r.Table == "schedule" && scheduleIds.Contains(r.Id) && !r.Confidential)
            .ToDictionaryAsync(r => r.Id, r => r.Json, ct);
        return links.Select(l => (l.ParentId, Hours: schedules.TryGetValue(l.Id, out var json) && JsonNode.Parse(json) is JsonObject o
                ? OpeningHours.Parse((string?)o["freq"], (string?)o["byday"], (string?)o["opens_at"], (string?)o["closes_at"]) : null))
            .Where(x => x.Hours is not null).ToLookup(x => x.ParentId, x => x.Hours!);
    }
}
