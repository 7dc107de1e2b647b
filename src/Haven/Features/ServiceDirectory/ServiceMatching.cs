using System.Linq.Expressions;
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
            areas = await db.DirectorySites.AsNoTracking().Where(s => s.Postcode == normalized && s.Area != null).Select(s => s.Area!).Distinct().OrderBy(a => a).Take(5).ToListAsync(ct);
        }

        // One query: the sites in reach that meet a need, joined to their service row, which carries attributes and
        // hours. Sites carry the needs too, so the others in reach are skipped before the join; no index covers
        // needs, so the planner keeps to the spatial one.
        var wanted = request.Needs.Select(n => $" {n} ").ToList();
        var rows = new List<Row>();
        if (centre is { } c)
        {
            // Half again the radius, so close candidates just beyond it can be named as left out.
            var reach = (request.RadiusMetres ?? 25_000) * 1.5;
            // No ORDER BY here: the circle bounds the rows, and an order would tempt the planner to walk every site in key order.
            rows.AddRange(await Candidates(reader.Sites(new ServiceFilter(Near: new GeoCircle(c.Lat, c.Lon, reach))), wanted).ToListAsync(ct));
            if (areas.Count > 0)
                rows.AddRange(await Candidates(db.DirectorySites.Where(s => s.Confidential && areas.Contains(s.Area!)), wanted).ToListAsync(ct));
        }
        else rows.AddRange(await Candidates(db.DirectorySites.OrderBy(s => s.Id), wanted).Take(MaxCandidates).ToListAsync(ct));

        var candidates = rows.GroupBy(r => r.Service.Id).Select(g =>
        {
            var s = g.First().Service;
            double? distance = centre is { } p
                ? g.Where(x => x.Latitude is not null).Select(x => GeoCircle.Distance(p.Lat, p.Lon, x.Latitude!.Value, x.Longitude!.Value)).DefaultIfEmpty(double.NaN).Min()
                : null;
            if (distance is double.NaN) distance = null;
            return new MatchCandidate(s.Id, s.Name, g.Select(x => x.Area).FirstOrDefault(a => a is not null),
                request.Needs.Where(n => (s.Needs ?? "").Contains($" {n} ", StringComparison.Ordinal)).ToHashSet(),
                Codes(s.Attributes), Codes(s.Languages),
                s.MinimumAge, s.MaximumAge, distance, g.All(x => x.Confidential),
                [.. s.Hours.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(OpeningHours.FromCompact).OfType<OpeningHours>()],
                s.CapacityUnit is { } unit && s.CapacityAvailable is { } available ? new Capacity(available, s.CapacityMaximum ?? available, unit, s.CapacityUpdatedAt ?? s.ModifiedAt) : null,
                s.VerifiedAt, s.ListedBy);
        });
        return (MatchingEngine.Rank(candidates, request, time.GetUtcNow().UtcDateTime, StaleAfter), null);
    }

    sealed record Row(DirectoryService Service, double? Latitude, double? Longitude, string? Area, bool Confidential);

    /// <summary>Sites with the columns of their service that matching reads (not the search text).</summary>
    IQueryable<Row> Candidates(IQueryable<DirectorySite> sites, List<string> wanted) =>
        sites.AsNoTracking().Where(MeetsAny(wanted))
            .Join(db.DirectoryServices.AsNoTracking(), x => x.ServiceId, s => s.Id, (x, s) => new Row(new DirectoryService
            {
                Id = s.Id,
                Name = s.Name,
                SearchText = "",
                Status = s.Status,
                MinimumAge = s.MinimumAge,
                MaximumAge = s.MaximumAge,
                Languages = s.Languages,
                ModifiedAt = s.ModifiedAt,
                VerifiedAt = s.VerifiedAt,
                ListedBy = s.ListedBy,
                CapacityAvailable = s.CapacityAvailable,
                CapacityMaximum = s.CapacityMaximum,
                CapacityUnit = s.CapacityUnit,
                CapacityUpdatedAt = s.CapacityUpdatedAt,
                Needs = s.Needs,
                Attributes = s.Attributes,
                Hours = s.Hours,
            }, x.Latitude, x.Longitude, x.Area, x.Confidential));

    /// <summary>
    /// Needs LIKE '% housing %' OR ... as plain conditions on the row: a list parameter would become a subquery per
    /// site on PostgreSQL. The needs are from the fixed vocabulary, so each combination is one cached query.
    /// </summary>
    static Expression<Func<DirectorySite, bool>> MeetsAny(List<string> wanted)
    {
        var site = Expression.Parameter(typeof(DirectorySite), "site");
        var needs = Expression.Property(site, nameof(DirectorySite.Needs));
        var contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
        var body = wanted.Select(w => (Expression)Expression.Call(needs, contains, Expression.Constant(w))).Aggregate(Expression.OrElse);
        return Expression.Lambda<Func<DirectorySite, bool>>(body, site);
    }

    static HashSet<string> Codes(string spaced) => [.. spaced.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
}
