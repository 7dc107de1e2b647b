using System.Diagnostics;
using Haven.Data;
using Haven.Features.ServiceDirectory;
using Haven.Features.ServiceDirectory.Hsds;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Haven.Bench;

/// <summary>One question asked of the directory: services in a town, for a need, within 25 km of a postcode.</summary>
public sealed record DirectoryQuestion(string Search, string TermId, string Need, string Postcode, double Latitude, double Longitude)
{
    public string HsdsPath => $"/hsds/services?search={Uri.EscapeDataString(Search)}&taxonomy_term_id={TermId}&postcode={Uri.EscapeDataString(Postcode)}&proximity=25000&per_page=50";
}

/// <summary>
/// The national directory benchmark (issue 5): a synthetic directory imported in slices, HSDS search under load,
/// the matching engine with five constraints, and the same question answered the way the anchors do (PostGIS
/// ST_DWithin with full-text search), with the ratio.
/// </summary>
public static class DirectoryBench
{
    public const int Towns = 2000;
    const int Slice = 25_000;

    public static async Task<bool> HasServicesAsync(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<HavenDb>().DirectoryServices.AnyAsync();
    }

    public static async Task ImportAsync(IServiceProvider services, int count)
    {
        var schema = HsdsSchema.BuiltIn;
        var towns = SyntheticDirectory.Towns(Towns);
        // Safe houses are sealed under the key of the organization that lists them: one invented network member lists all.
        Guid lister;
        using (var scope = services.CreateScope())
            lister = (await scope.ServiceProvider.GetRequiredService<Features.Organizations.Network>()
                .CreateOrganizationAsync("Directory Bench Network", Features.Organizations.OrganizationKind.Shelter)).Id;
        var watch = Stopwatch.StartNew();
        long rows = 0, links = 0;
        for (var from = 0; from < count; from += Slice)
        {
            var dataset = SyntheticDirectory.Generate(schema, from, Math.Min(count, from + Slice), towns);
            rows += dataset.Rows.Count;
            using var scope = services.CreateScope();
            links += (await scope.ServiceProvider.GetRequiredService<DirectoryImport>().ImportAsync(dataset, lister, false, "bench")).Links;
        }
        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HavenDb>();
            var sites = await db.DirectorySites.CountAsync();
            Console.WriteLine($"directory import: {count:N0} services at {sites:N0} sites ({rows:N0} HSDS records, {links:N0} links) in {watch.Elapsed.TotalSeconds:F0} s, " +
                $"{count / 1000 / watch.Elapsed.TotalSeconds * 1000:N0} services/s, in slices of {Slice:N0}, each one transaction");
        }
    }

    /// <summary>Questions drawn from the directory itself, so each has answers: a service's town, need and postcode.</summary>
    public static async Task<List<DirectoryQuestion>> QuestionsAsync(IServiceProvider services, int count, int total)
    {
        var towns = SyntheticDirectory.Towns(Towns);
        var random = new Random(5);
        using var scope = services.CreateScope();
        var reader = scope.ServiceProvider.GetRequiredService<DirectoryReader>();
        var questions = new List<DirectoryQuestion>();
        while (questions.Count < count)
        {
            var n = random.Next(total);
            var dataset = SyntheticDirectory.Generate(HsdsSchema.BuiltIn, n, n + 1, towns);
            var service = dataset.Of("service").Single();
            var address = dataset.Of("address").First();
            var need = dataset.Of("attribute").Select(a => a.Text("taxonomy_term_id")!)
                .Select(t => DirectoryVocabulary.NeedTerms.Keys.FirstOrDefault(k => DirectoryVocabulary.TermId(DirectoryVocabulary.NeedCode(k)) == t)).First(k => k is not null)!;
            if (await reader.PostcodeCentreAsync(address.Text("postal_code")!) is not { } centre) continue;
            questions.Add(new DirectoryQuestion(address.Text("city")!.Split(' ')[0].ToLowerInvariant(), DirectoryVocabulary.TermId(DirectoryVocabulary.NeedCode(need)),
                need, address.Text("postal_code")!, centre.Latitude, centre.Longitude));
        }
        return questions;
    }

    /// <summary>Matching in process, one request at a time: a 25 km radius and five constraints (need, language, an attribute, age, open at a time).</summary>
    public static async Task MatchingAsync(IServiceProvider services, List<DirectoryQuestion> questions)
    {
        var times = new List<double>();
        var engine = new List<double>();
        var matched = 0;
        for (var i = 0; i < 600; i++)
        {
            var q = questions[i % questions.Count];
            var request = new MatchRequest([q.Need], ["en"], ["haven:no-id-required"], Age: 30, RadiusMetres: 25_000,
                OpenAt: new DateTime(2026, 11, 23, 11, 0, 0));
            using var scope = services.CreateScope();
            var matching = scope.ServiceProvider.GetRequiredService<ServiceMatching>();
            var watch = Stopwatch.StartNew();
            var (outcome, _) = await matching.MatchAsync(request, new MatchPlace(Postcode: q.Postcode));
            if (i >= 100) times.Add(watch.Elapsed.TotalMilliseconds); // the first hundred warm up
            matched += outcome?.Matches.Count ?? 0;
        }
        // The engine alone, on the candidates of one question.
        var candidates = Enumerable.Range(0, 400).Select(i => new MatchCandidate($"s{i}", "Service", "Town", new HashSet<string> { "housing" },
            new HashSet<string> { "haven:no-id-required" }, new HashSet<string> { "en", i % 3 == 0 ? "es" : "ko" }, null, null, i * 60.0, false,
            [OpeningHours.Parse("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "17:00")!], null, DateTime.UtcNow, null)).ToList();
        var rank = new MatchRequest(["housing"], ["es"], ["haven:no-id-required"], RadiusMetres: 25_000, OpenAt: new DateTime(2026, 11, 23, 11, 0, 0));
        for (var i = 0; i < 2000; i++)
        {
            var watch = Stopwatch.StartNew();
            MatchingEngine.Rank(candidates, rank, DateTime.UtcNow, TimeSpan.FromDays(180));
            if (i >= 200) engine.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        engine.Sort();
        Console.WriteLine($"matching, 25 km, 5 constraints (need, English, no ID required, age 30, open at a time), 1 connection, {times.Count} requests: " +
            $"p50 {Percentile(times, 50):F1} ms, p95 {Percentile(times, 95):F1} ms, {matched / 600.0:F1} matches each; " +
            $"ranking alone (400 candidates): p50 {Percentile(engine, 50):F2} ms, p95 {Percentile(engine, 95):F2} ms");
    }

    /// <summary>
    /// The same question two ways, straight against PostgreSQL with 8 concurrent connections: Haven's query (grid-cell
    /// index, then the circle; words by LIKE) and the anchors' (PostGIS geography with ST_DWithin, tsvector full-text).
    /// Both count every match and fetch the first page of 50.
    /// </summary>
    public static async Task AnchorComparisonAsync(IServiceProvider services, string connectionString, List<DirectoryQuestion> questions, int seconds)
    {
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            var watch = Stopwatch.StartNew();
            foreach (var sql in new[]
            {
                "CREATE EXTENSION IF NOT EXISTS postgis",
                "DROP TABLE IF EXISTS anchor_sites, anchor_services",
                """CREATE TABLE anchor_sites AS SELECT "ServiceId" AS service, ST_SetSRID(ST_MakePoint("Longitude", "Latitude"), 4326)::geography AS geog FROM "DirectorySites" WHERE "Latitude" IS NOT NULL""",
                "CREATE INDEX ON anchor_sites USING gist (geog)",
                "CREATE INDEX ON anchor_sites (service)",
                """CREATE TABLE anchor_services AS SELECT "Id" AS id, "Name" AS name, to_tsvector('simple', "SearchText") AS tsv FROM "DirectoryServices" """,
                "CREATE INDEX ON anchor_services USING gin (tsv)",
                "CREATE UNIQUE INDEX ON anchor_services (id)",
                "ANALYZE",
            })
            {
                await using var command = new NpgsqlCommand(sql, setup) { CommandTimeout = 3600 };
                await command.ExecuteNonQueryAsync();
            }
            Console.WriteLine($"anchor tables (PostGIS geography + GiST, tsvector + GIN) built in {watch.Elapsed.TotalSeconds:F0} s");
        }

        const string anchorWhere = """
            FROM anchor_services s
            WHERE s.tsv @@ plainto_tsquery('simple', @q)
              AND EXISTS (SELECT 1 FROM "DirectoryServiceTerms" t WHERE t."ServiceId" = s.id AND t."TermId" = @term)
              AND EXISTS (SELECT 1 FROM anchor_sites a WHERE a.service = s.id AND ST_DWithin(a.geog, ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)::geography, 25000))
            """;
        var dataSource = NpgsqlDataSource.Create(connectionString);
        async Task AnchorAsync(DirectoryQuestion q)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            foreach (var sql in new[] { "SELECT count(*) " + anchorWhere, "SELECT s.id " + anchorWhere + " ORDER BY s.name, s.id LIMIT 50" })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                command.Parameters.AddWithValue("q", q.Search);
                command.Parameters.AddWithValue("term", q.TermId);
                command.Parameters.AddWithValue("lat", q.Latitude);
                command.Parameters.AddWithValue("lon", q.Longitude);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) { }
            }
        }
        async Task HavenAsync(DirectoryQuestion q)
        {
            using var scope = services.CreateScope();
            var reader = scope.ServiceProvider.GetRequiredService<DirectoryReader>();
            var filter = new ServiceFilter(q.Search, q.TermId, Near: new GeoCircle(q.Latitude, q.Longitude, 25_000));
            var query = reader.Services(filter);
            await query.CountAsync();
            await query.OrderBy(s => s.Name).ThenBy(s => s.Id).Take(50).Select(s => s.Id).ToListAsync();
        }
        var haven = await LoadAsync("Haven: grid cells + LIKE", questions, HavenAsync, seconds);
        var anchor = await LoadAsync("anchor: PostGIS ST_DWithin + tsvector", questions, AnchorAsync, seconds);
        Console.WriteLine($"anchor p95 / Haven p95 = {anchor / haven:F2} (above 1: Haven is faster)");
        await dataSource.DisposeAsync();
    }

    static async Task<double> LoadAsync(string name, List<DirectoryQuestion> questions, Func<DirectoryQuestion, Task> ask, int seconds)
    {
        for (var i = 0; i < 50; i++) await ask(questions[i % questions.Count]); // warm-up
        var times = new System.Collections.Concurrent.ConcurrentBag<double>();
        var until = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async worker =>
        {
            var random = new Random(worker);
            while (until.Elapsed.TotalSeconds < seconds)
            {
                var watch = Stopwatch.StartNew();
                await ask(questions[random.Next(questions.Count)]);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }));
        var sorted = times.Order().ToList();
        Console.WriteLine($"{name,-40} 8 connections, {sorted.Count / until.Elapsed.TotalSeconds,7:F0} q/s, p50 {Percentile(sorted, 50):F1} ms, p95 {Percentile(sorted, 95):F1} ms");
        return Percentile(sorted, 95);
    }

    static double Percentile(List<double> sorted, int p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];
}
