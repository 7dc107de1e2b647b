using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Haven.Data;
using Haven.Features.ServiceDirectory.Hsds;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.ServiceDirectory;

/// <summary>
/// The HSDS 3.0 API under /hsds: public and read-only, the specification's parameters and Page shape, filters
/// combined with AND. Confidential locations are always redacted here: nobody is signed in.
/// </summary>
public static class HsdsApi
{
    public const int MaxPerPage = 200;
    const int DefaultPerPage = 50;
    const double MaxProximityMetres = 500_000;

    public static IEndpointRouteBuilder MapHsdsApi(this IEndpointRouteBuilder endpoints)
    {
        var hsds = endpoints.MapGroup("/hsds").AllowAnonymous().WithTags("HSDS");

        hsds.MapGet("/", () => TypedResults.Ok(new JsonObject
        {
            ["version"] = "3.0",
            ["profile"] = "https://openreferral.org/specification/3.0",
            ["openapi_url"] = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
        }));

        hsds.MapGet("/services", async Task<IResult> (HttpRequest request, DirectoryReader reader, CancellationToken ct) =>
        {
            var (query, errors) = await ParseAsync(request, reader, ct);
            if (query is null) return TypedResults.ValidationProblem(errors);
            var services = reader.Services(query.Filter).OrderBy(s => s.Name).ThenBy(s => s.Id);
            if (query.Minimal)
                return await PageAsync(request, query, services, page => Task.FromResult(page.Select(s => (JsonNode?)new JsonObject
                {
                    ["id"] = s.Id,
                    ["name"] = s.Name,
                    ["status"] = s.Status,
                    ["last_modified"] = s.ModifiedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                }).ToList()), ct);
            return await PageAsync(request, query, services, page => ShapeAsync(reader, "service", page.Select(s => s.Id), query.Full, [], ct), ct);
        });
        hsds.MapGet("/services/{id}", async Task<Results<Ok<JsonObject>, NotFound>> (string id, DirectoryReader reader, CancellationToken ct) =>
            await OneAsync(reader, "service", id, [], ct) is { } service ? TypedResults.Ok(service) : TypedResults.NotFound());

        hsds.MapGet("/service_at_locations", async Task<IResult> (HttpRequest request, DirectoryReader reader, CancellationToken ct) =>
        {
            var (query, errors) = await ParseAsync(request, reader, ct);
            if (query is null) return TypedResults.ValidationProblem(errors);
            var sites = reader.Sites(query.Filter).OrderBy(s => s.Id);
            return await PageAsync(request, query, sites, page => ShapeAsync(reader, "service_at_location", page.Select(s => s.Id), query.Full, ["service"], ct), ct);
        });
        hsds.MapGet("/service_at_locations/{id}", async Task<Results<Ok<JsonObject>, NotFound>> (string id, DirectoryReader reader, CancellationToken ct) =>
            await OneAsync(reader, "service_at_location", id, ["service"], ct) is { } site ? TypedResults.Ok(site) : TypedResults.NotFound());

        hsds.MapGet("/organizations", async Task<IResult> (HttpRequest request, DirectoryReader reader, HavenDb db, CancellationToken ct) =>
        {
            var (query, errors) = await ParseAsync(request, reader, ct);
            if (query is null) return TypedResults.ValidationProblem(errors);
            var organizations = Records(db, "organization", query.Filter.Search);
            return await PageAsync(request, query, organizations, page => ShapeAsync(reader, "organization", page.Select(r => r.Id), query.Full, [], ct), ct);
        });
        hsds.MapGet("/organizations/{id}", async Task<Results<Ok<JsonObject>, NotFound>> (string id, bool? full_service, DirectoryReader reader, HavenDb db, CancellationToken ct) =>
        {
            if (await OneAsync(reader, "organization", id, [], ct) is not { } organization) return TypedResults.NotFound();
            // The organization's services: whole when full_service is asked for, otherwise their one-to-one fields.
            var serviceIds = await db.DirectoryServices.AsNoTracking().Where(s => s.OrganizationId == id).OrderBy(s => s.Name).Select(s => s.Id).Take(1000).ToListAsync(ct);
            var services = await ShapeAsync(reader, "service", serviceIds, full_service == true, [], ct);
            foreach (var s in services.OfType<JsonObject>()) s.Remove("organization");
            if (services.Count > 0) organization["services"] = new JsonArray([.. services]);
            return TypedResults.Ok(organization);
        });

        hsds.MapGet("/taxonomies", async Task<IResult> (HttpRequest request, DirectoryReader reader, HavenDb db, CancellationToken ct) =>
        {
            var (query, errors) = await ParseAsync(request, reader, ct);
            if (query is null) return TypedResults.ValidationProblem(errors);
            return await PageAsync(request, query, Records(db, "taxonomy", query.Filter.Search), page => Task.FromResult(page.Select(r => JsonNode.Parse(r.Json)).ToList()), ct);
        });
        hsds.MapGet("/taxonomies/{id}", async Task<Results<Ok<JsonObject>, NotFound>> (string id, DirectoryReader reader, CancellationToken ct) =>
            await OneAsync(reader, "taxonomy", id, [], ct) is { } taxonomy ? TypedResults.Ok(taxonomy) : TypedResults.NotFound());

        hsds.MapGet("/taxonomy_terms", async Task<IResult> (HttpRequest request, DirectoryReader reader, HavenDb db, CancellationToken ct) =>
        {
            var (query, errors) = await ParseAsync(request, reader, ct);
            if (query is null) return TypedResults.ValidationProblem(errors);
            var terms = Records(db, "taxonomy_term", query.Filter.Search);
            if (query.Filter.TaxonomyId is { } taxonomy)
                terms = terms.Where(r => db.DirectoryLinks.Any(l => l.ParentTable == "taxonomy_term" && l.ParentId == r.Id && l.Field == "taxonomy_detail" && l.Id == taxonomy));
            if (query.ParentId is { } parent)
                terms = terms.Where(r => r.Json.Contains("\"parent_id\":\"" + parent + "\""));
            if (query.TopOnly) terms = terms.Where(r => !r.Json.Contains("\"parent_id\":"));
            return await PageAsync(request, query, terms, page => ShapeAsync(reader, "taxonomy_term", page.Select(r => r.Id), false, [], ct), ct);
        });
        hsds.MapGet("/taxonomy_terms/{id}", async Task<Results<Ok<JsonObject>, NotFound>> (string id, DirectoryReader reader, CancellationToken ct) =>
            await OneAsync(reader, "taxonomy_term", id, [], ct) is { } term ? TypedResults.Ok(term) : TypedResults.NotFound());
        return endpoints;
    }

    /// <summary>Records of one table by search words over their fields, ordered by id.</summary>
    static IQueryable<DirectoryRecord> Records(HavenDb db, string table, string? search)
    {
        var q = db.DirectoryRecords.AsNoTracking().Where(r => r.Table == table && !r.Confidential);
        foreach (var word in DirectoryReader.Words(search))
            q = q.Where(r => r.Json.ToLower().Contains(word));
        return q.OrderBy(r => r.Id);
    }

    static async Task<JsonObject?> OneAsync(DirectoryReader reader, string table, string id, string[] apiNests, CancellationToken ct)
    {
        if (id.Length > 100) return null;
        var graph = await reader.GraphAsync([(table, id)], DirectoryViewer.Public, full: true, apiNests, ct);
        return graph.Full(table, id, DirectoryViewer.Public, apiNests);
    }

    static async Task<List<JsonNode?>> ShapeAsync(DirectoryReader reader, string table, IEnumerable<string> ids, bool full, string[] apiNests, CancellationToken ct)
    {
        var list = ids.ToList();
        var graph = await reader.GraphAsync(list.Select(id => (table, id)), DirectoryViewer.Public, full, apiNests, ct);
        return [.. list.Select(id => (JsonNode?)(full ? graph.Full(table, id, DirectoryViewer.Public, apiNests) : graph.Listed(table, id, DirectoryViewer.Public, apiNests)))];
    }

    sealed record HsdsQuery(ServiceFilter Filter, int Page, int PerPage, bool Full, bool Minimal, bool Ndjson, string? ParentId, bool TopOnly);

    /// <summary>Reads the specification's query parameters; every bad one is named in a 400.</summary>
    static async Task<(HsdsQuery?, Dictionary<string, string[]>)> ParseAsync(HttpRequest request, DirectoryReader reader, CancellationToken ct)
    {
        var q = request.Query;
        var errors = new Dictionary<string, string[]>();
        string? Text(string name) => q[name].FirstOrDefault() is { Length: > 0 } v ? v : null;
        bool Flag(string name)
        {
            if (Text(name) is not { } v) return false;
            if (bool.TryParse(v, out var b)) return b;
            errors[name] = [$"{name} must be true or false."];
            return false;
        }
        int Number(string name, int fallback, int min, int max)
        {
            if (Text(name) is not { } v) return fallback;
            if (int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
            errors[name] = [$"{name} must be a whole number from {min} to {max}."];
            return fallback;
        }

        var page = Number("page", 1, 1, int.MaxValue);
        var perPage = Number("per_page", DefaultPerPage, 1, MaxPerPage);
        var format = Text("format") ?? "json";
        if (format is not ("json" or "ndjson")) errors["format"] = ["format must be json or ndjson."];
        var search = Text("search");
        if (search?.Length > 200) errors["search"] = ["search is longer than 200 characters."];

        DateTime? modifiedAfter = null;
        if (Text("modified_after") is { } m)
        {
            if (DateTime.TryParse(m, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)) modifiedAfter = parsed;
            else errors["modified_after"] = ["modified_after must be a date and time, such as 2025-01-31T00:00:00Z."];
        }
        var term = Text("taxonomy_term_id");
        if (term is not null && (term.Length > 100 || !await reader.ExistsAsync("taxonomy_term", term, ct)))
            errors["taxonomy_term_id"] = ["No taxonomy term has this id; see /hsds/taxonomy_terms."];
        var taxonomy = Text("taxonomy_id");
        if (taxonomy is not null && (taxonomy.Length > 100 || !await reader.ExistsAsync("taxonomy", taxonomy, ct)))
            errors["taxonomy_id"] = ["No taxonomy has this id; see /hsds/taxonomies."];

        var postcode = Text("postcode");
        GeoCircle? near = null;
        if (Text("proximity") is { } proximity)
        {
            if (!double.TryParse(proximity, NumberStyles.Float, CultureInfo.InvariantCulture, out var metres) || !double.IsFinite(metres) || metres <= 0 || metres > MaxProximityMetres)
                errors["proximity"] = [$"proximity must be a distance in metres, more than 0 and at most {MaxProximityMetres:0}."];
            else if (postcode is null)
                errors["proximity"] = ["proximity needs a postcode to measure from."];
            else if (await reader.PostcodeCentreAsync(postcode, ct) is { } centre)
                near = new GeoCircle(centre.Latitude, centre.Longitude, metres);
            else
                errors["postcode"] = ["No listed location has this postcode, so distance cannot be measured from it."];
        }
        var (full, minimal, topOnly) = (Flag("full"), Flag("minimal"), Flag("top_only"));
        if (errors.Count > 0) return (null, errors);
        var filter = new ServiceFilter(search, term, taxonomy, Text("organization_id"), modifiedAfter, near is null ? postcode : null, near);
        return (new HsdsQuery(filter, page, perPage, full, minimal, format == "ndjson", Text("parent_id"), topOnly), errors);
    }

    /// <summary>The specification's Page, or every result as newline-delimited JSON when format=ndjson.</summary>
    static async Task<IResult> PageAsync<T>(HttpRequest request, HsdsQuery query, IQueryable<T> items, Func<List<T>, Task<List<JsonNode?>>> shape, CancellationToken ct)
    {
        if (query.Ndjson)
            return TypedResults.Stream(async stream =>
            {
                const int batch = 500;
                for (var skip = 0; ; skip += batch)
                {
                    var chunk = await items.Skip(skip).Take(batch).ToListAsync(ct);
                    var text = new StringBuilder();
                    foreach (var node in await shape(chunk)) text.Append(node?.ToJsonString()).Append('\n');
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), ct);
                    if (chunk.Count < batch) break;
                }
            }, "application/x-ndjson");

        var total = await items.CountAsync(ct);
        var pages = (int)Math.Ceiling(total / (double)query.PerPage);
        if (query.Page > Math.Max(1, pages))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["page"] = [$"page {query.Page} is beyond the last page ({Math.Max(1, pages)})."] });
        var rows = await items.Skip((query.Page - 1) * query.PerPage).Take(query.PerPage).ToListAsync(ct);
        var contents = await shape(rows);
        return TypedResults.Ok(new JsonObject
        {
            ["total_items"] = total,
            ["total_pages"] = pages,
            ["page_number"] = query.Page,
            ["size"] = contents.Count,
            ["first_page"] = query.Page == 1,
            ["last_page"] = query.Page >= pages,
            ["empty"] = total == 0,
            ["contents"] = new JsonArray([.. contents]),
        });
    }
}
