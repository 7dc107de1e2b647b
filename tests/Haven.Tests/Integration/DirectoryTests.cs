using System.Net;
using System.Text.Json.Nodes;
using Haven.Data;
using Haven.Features.ServiceDirectory;
using Haven.Features.ServiceDirectory.Hsds;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

public abstract class DirectoryTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : HavenApp
{
    static readonly HsdsSchema Schema = HsdsSchema.BuiltIn;
    static readonly IReadOnlyList<SyntheticDirectory.Town> Towns = SyntheticDirectory.Towns(12);

    Task<DirectoryImportResult> ImportAsync(HsdsDataset dataset, Guid? listedBy = null, bool acceptDefects = false) =>
        app.WithScopeAsync(s => s.GetRequiredService<DirectoryImport>().ImportAsync(dataset, listedBy, acceptDefects, "test"));

    Task<int> RecordCountAsync() => app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().DirectoryRecords.CountAsync());

    async Task<JsonNode> GetJsonAsync(string url)
    {
        var response = await app.CreateClient().GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>A small directory: 60 services around 12 towns, three safe houses among them, listed by organization A.</summary>
    async Task<HsdsDataset> SyntheticAsync()
    {
        var net = await app.NetworkAsync();
        var dataset = SyntheticDirectory.Generate(Schema, 0, 60, Towns);
        await ImportAsync(dataset, net.OrgA);
        return dataset;
    }

    static string Temp() => Directory.CreateTempSubdirectory("haven-hsds-").FullName;

    [Fact]
    public async Task The_standards_csv_example_is_refused_until_its_defects_are_accepted_then_round_trips()
    {
        var before = await RecordCountAsync();
        var refused = await Assert.ThrowsAsync<DirectoryImportException>(() => ImportAsync(HsdsFiles.Read(HsdsStandard.CsvExample, Schema)));
        Assert.Contains(refused.Problems, p => p.ToString() == "locations.csv line 2: latitude 100 is out of range (-90 to 90).");
        Assert.Contains(refused.Problems, p => p.Where == "taxonomy_terms.csv line 2" && p.Message.Contains("taxonomy_id 07ff6aee"));
        Assert.Equal(before, await RecordCountAsync());

        var original = HsdsFiles.Read(HsdsStandard.CsvExample, Schema);
        var result = await ImportAsync(original, acceptDefects: true);
        Assert.Equal(21, result.RowsByTable.Values.Sum());
        Assert.Equal(9, result.DefectsAccepted);

        var folder = Temp();
        await app.WithScopeAsync(s => s.GetRequiredService<DirectoryExport>().ExportAsync(folder, ExportFormat.Csv, "test"));
        Assert.True(File.Exists(Path.Combine(folder, "datapackage.json")));
        var exported = HsdsFiles.Read(folder, Schema);
        Assert.Empty(exported.Errors);
        foreach (var row in original.Rows)
        {
            var back = exported.Find(row.Table, row.Id);
            Assert.True(back is not null && JsonNode.DeepEquals(row.Fields, back.Fields), $"{row.Table} {row.Id} did not round-trip: {back?.Fields.ToJsonString()}");
        }

        // The tabular JSON export holds the same rows and validates against the standard's tabular schema.
        var file = Path.Combine(Temp(), "directory.json");
        await app.WithScopeAsync(s => s.GetRequiredService<DirectoryExport>().ExportAsync(file, ExportFormat.Json, "test"));
        var tabular = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        var byTable = new JsonObject();
        foreach (var (name, rows) in tabular) byTable[Schema.ByFile[name].Name] = rows!.DeepClone();
        Assert.Empty(await HsdsStandard.ProblemsAsync("tabular", byTable));
        var reread = new HsdsDataset(Schema);
        using (var stream = File.OpenRead(file)) HsdsFiles.ReadJson(stream, "directory.json", reread);
        Assert.Empty(reread.Errors);
        Assert.All(original.Rows, row => Assert.True(JsonNode.DeepEquals(row.Fields, reread.Find(row.Table, row.Id)?.Fields)));
    }

    [Theory]
    [InlineData("service_full.json", "/hsds/services/ac148810-d857-441c-9679-408f346de14b", "service")]
    [InlineData("service_at_location_full.json", "/hsds/service_at_locations/e94c9f38-1e8f-4564-91d4-d53501ab1765", "service_at_location")]
    [InlineData("organization_full.json", "/hsds/organizations/d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610?full_service=true", "organization")]
    public async Task The_standards_json_examples_import_and_the_api_gives_them_back_unchanged(string example, string url, string schema)
    {
        var dataset = HsdsFiles.Read(Path.Combine(HsdsStandard.Examples, example), Schema);
        Assert.Empty(dataset.Errors);
        await ImportAsync(dataset, acceptDefects: true);
        var served = await GetJsonAsync(url);
        Assert.True(JsonNode.DeepEquals(HsdsStandard.Example(example), served), $"{example} came back different:\n{served.ToJsonString()}");
        Assert.Empty(await HsdsStandard.ProblemsAsync(schema, served));
    }

    [Fact]
    public async Task Every_endpoint_answers_with_the_page_shape_and_validates_against_the_compiled_schemas()
    {
        var dataset = await SyntheticAsync();
        var root = await GetJsonAsync("/hsds/");
        Assert.Equal("3.0", (string?)root["version"]);

        async Task PageAsync(string url, string itemSchema, int? expectedTotal = null)
        {
            var page = await GetJsonAsync(url);
            foreach (var field in new[] { "total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents" })
                Assert.True(page[field] is not null, $"{url} lacks {field}");
            if (expectedTotal is { } total) Assert.Equal(total, (int)page["total_items"]!);
            var contents = page["contents"]!.AsArray();
            Assert.Equal((int)page["size"]!, contents.Count);
            Assert.NotEmpty(contents);
            foreach (var item in contents)
            {
                var problems = await HsdsStandard.ProblemsAsync(itemSchema, item!);
                Assert.True(problems.Count == 0, $"{url}: {string.Join("; ", problems)}");
            }
        }

        var serviceId = dataset.Of("service").First().Id;
        var siteId = dataset.Of("service_at_location").First().Id;
        var orgId = dataset.Of("organization").First().Id;
        await PageAsync("/hsds/services?per_page=20", "service_list");
        await PageAsync($"/hsds/services?full=true&per_page=10&organization_id={orgId}", "service", 5);
        Assert.Empty(await HsdsStandard.ProblemsAsync("service", await GetJsonAsync($"/hsds/services/{serviceId}")));
        await PageAsync("/hsds/service_at_locations?per_page=20", "service_at_location_list");
        await PageAsync("/hsds/service_at_locations?full=true&per_page=5", "service_at_location");
        Assert.Empty(await HsdsStandard.ProblemsAsync("service_at_location", await GetJsonAsync($"/hsds/service_at_locations/{siteId}")));
        await PageAsync("/hsds/organizations?search=alliance", "organization_list");
        await PageAsync("/hsds/organizations?full=true&per_page=3", "organization");
        var organization = await GetJsonAsync($"/hsds/organizations/{orgId}");
        Assert.Equal(5, organization["services"]!.AsArray().Count);
        Assert.Empty(await HsdsStandard.ProblemsAsync("organization", organization));
        await PageAsync("/hsds/taxonomies", "taxonomy");
        Assert.Equal("Open Eligibility", (string?)(await GetJsonAsync($"/hsds/taxonomies/{DirectoryVocabulary.OpenEligibilityId}"))["name"]);
        await PageAsync($"/hsds/taxonomy_terms?taxonomy_id={DirectoryVocabulary.HavenId}&per_page=100", "taxonomy_term",
            DirectoryVocabulary.Attributes.Count + Haven.Features.Screening.Needs.All.Count);
        await PageAsync("/hsds/taxonomy_terms?search=housing&top_only=true", "taxonomy_term");
        var housing = DirectoryVocabulary.TermId("openEligibility:1103");
        var children = await GetJsonAsync($"/hsds/taxonomy_terms?parent_id={housing}&per_page=100");
        Assert.Contains(children["contents"]!.AsArray(), t => (string?)t!["name"] == "Emergency Shelter");
        var term = await GetJsonAsync($"/hsds/taxonomy_terms/{housing}");
        Assert.Equal("1103", (string?)term["code"]);
        Assert.Empty(await HsdsStandard.ProblemsAsync("taxonomy_term", term));

        // Minimal and ndjson.
        var minimal = await GetJsonAsync("/hsds/services?minimal=true&per_page=5");
        Assert.All(minimal["contents"]!.AsArray(), s => Assert.Equal(["id", "name", "status", "last_modified"], s!.AsObject().Select(p => p.Key)));
        var ndjson = await app.CreateClient().GetAsync($"/hsds/services?format=ndjson&organization_id={orgId}");
        Assert.Equal("application/x-ndjson", ndjson.Content.Headers.ContentType!.MediaType);
        var lines = (await ndjson.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.All(lines, l => Assert.Equal(orgId, (string?)JsonNode.Parse(l)!["organization_id"]));
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync("/hsds/services/no-such-service")).StatusCode);
    }

    [Fact]
    public async Task Filters_combine_with_and_and_distance_goes_by_the_postcode_centre()
    {
        var dataset = await SyntheticAsync();
        var town = Towns[0];
        var postcode = dataset.Of("address").First(a => a.Text("city") == town.Name).Text("postal_code")!;
        var need = DirectoryVocabulary.TermId(DirectoryVocabulary.NeedCode("housing"));

        var page = await GetJsonAsync($"/hsds/services?search={Uri.EscapeDataString(town.Name.ToLowerInvariant())}&taxonomy_term_id={need}&postcode={postcode}&proximity=30000&per_page=200");
        var found = page["contents"]!.AsArray().Select(s => (string)s!["id"]!).ToHashSet();

        // Work out the answer from the file itself: the name, the term and a public site within the radius of the centre.
        var centre = await app.WithScopeAsync(s => s.GetRequiredService<DirectoryReader>().PostcodeCentreAsync(postcode));
        Assert.NotNull(centre);
        bool Meets(HsdsRow service, double metres)
        {
            if (!service.Text("name")!.Contains(town.Name, StringComparison.OrdinalIgnoreCase)) return false;
            var hasNeed = dataset.Links.Any(l => l.ParentId == service.Id && l.Table == "attribute" && dataset.Find("attribute", l.Id)!.Text("taxonomy_term_id") == need);
            var sites = dataset.Of("service_at_location").Where(s => s.Text("service_id") == service.Id).Select(s => dataset.Find("location", s.Text("location_id")!)!);
            var confidential = dataset.Of("attribute").Where(a => a.Text("link_entity") == "location").Select(a => a.Text("link_id")).ToHashSet();
            return hasNeed && sites.Any(l => !confidential.Contains(l.Id)
                && GeoCircle.Distance(centre.Value.Latitude, centre.Value.Longitude, l.Number("latitude")!.Value, l.Number("longitude")!.Value) <= metres);
        }
        var services = dataset.Of("service").ToList();
        Assert.All(found, id => Assert.True(Meets(dataset.Find("service", id)!, 30_300), $"{id} should not match"));
        Assert.All(services.Where(s => Meets(s, 29_700)), s => Assert.Contains(s.Id, found));
        Assert.NotEmpty(found);
        Assert.Equal(found.Count, (int)page["total_items"]!);

        // The same filters on service_at_locations.
        var sites = await GetJsonAsync($"/hsds/service_at_locations?taxonomy_term_id={need}&postcode={postcode}&proximity=30000&per_page=200");
        Assert.NotEmpty(sites["contents"]!.AsArray());
        Assert.All(sites["contents"]!.AsArray(), s => Assert.StartsWith(town.Name + " Office", (string?)s!["location"]!["name"]));

        // modified_after: the generator dates service n at 2026-01-01 plus n minutes.
        var recent = await GetJsonAsync("/hsds/services?modified_after=2026-01-01T00:50:00Z&per_page=200");
        Assert.Equal(services.Count(s => string.CompareOrdinal(s.Text("last_modified"), "2026-01-01T00:50:00Z") >= 0), (int)recent["total_items"]!);
    }

    [Theory]
    [InlineData("/hsds/service_at_locations?proximity=1000", "proximity", "needs a postcode")]
    [InlineData("/hsds/service_at_locations?postcode=00000&proximity=1000", "postcode", "No listed location has this postcode")]
    [InlineData("/hsds/services?proximity=-5&postcode=10001", "proximity", "distance in metres")]
    [InlineData("/hsds/services?page=9999", "page", "beyond the last page")]
    [InlineData("/hsds/services?page=0", "page", "whole number from 1")]
    [InlineData("/hsds/services?per_page=1000", "per_page", "from 1 to 200")]
    [InlineData("/hsds/services?taxonomy_term_id=not-a-term", "taxonomy_term_id", "No taxonomy term has this id")]
    [InlineData("/hsds/service_at_locations?taxonomy_id=nope", "taxonomy_id", "No taxonomy has this id")]
    [InlineData("/hsds/services?modified_after=last-tuesday", "modified_after", "date and time")]
    [InlineData("/hsds/services?format=xml", "format", "json or ndjson")]
    [InlineData("/hsds/services?full=perhaps", "full", "true or false")]
    public async Task Bad_api_parameters_get_a_problem_naming_them(string url, string parameter, string message)
    {
        await SyntheticAsync();
        var response = await app.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Contains(message, (string?)errors[parameter]![0]);
    }

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "broken.json", """{ "id": "5b0e1f5e-0000-4000-8000-000000000001", "name": """, "broken.json line 1: malformed JSON" },
        { "services.csv", "id,name,status\n\"5b0e1f5e-0000-4000-8000-000000000002,Open,active\n", "a quoted field is not closed" },
        { "services.csv", "id,name,status\n5b0e1f5e-0000-4000-8000-000000000003,Open\n", "services.csv line 2: 2 cells where the header has 3" },
        { "services.csv", "id,name,status,colour\n5b0e1f5e-0000-4000-8000-000000000004,Open,active,red\n", "'colour' is not a field of service" },
        { "services.csv", "id,name,status\n5b0e1f5e-0000-4000-8000-000000000005,Open,active\n5b0e1f5e-0000-4000-8000-000000000005,Other,active\n", "duplicate service id 5b0e1f5e-0000-4000-8000-000000000005" },
        { "services.csv", "id,status\n5b0e1f5e-0000-4000-8000-000000000006,active\n", "service.name is required" },
        { "services.csv", "id,name,status,minimum_age\n5b0e1f5e-0000-4000-8000-000000000007,Open,active,twelve\n", "minimum_age must be a number" },
        { "attributes.csv", "id,link_id,link_type,link_entity,taxonomy_term_id\n5b0e1f5e-0000-4000-8000-000000000008,5b0e1f5e-0000-4000-8000-000000000009,x,service,5b0e1f5e-0000-4000-8000-00000000000a\n", "unknown taxonomy term 5b0e1f5e-0000-4000-8000-00000000000a" },
        { "locations.csv", "id,location_type,latitude,longitude\n5b0e1f5e-0000-4000-8000-00000000000b,physical,91,10\n", "latitude 91 is out of range" },
        { "locations.csv", "id,location_type,latitude\n5b0e1f5e-0000-4000-8000-00000000000c,physical,40\n", "latitude and longitude must be given together" },
        { "service_at_location.csv", "id,service_id,location_id\n5b0e1f5e-0000-4000-8000-00000000000d,5b0e1f5e-0000-4000-8000-00000000000e,5b0e1f5e-0000-4000-8000-00000000000f\n", "service_id 5b0e1f5e-0000-4000-8000-00000000000e names no service" },
        { "pets.csv", "id,name\n1,Rex\n", "pets.csv: not an HSDS table file" },
        { "service.json", """{ "id": "5b0e1f5e-0000-4000-8000-000000000010", "name": "Open", "status": "active", "phones": { "number": "1" } }""", "service.json $.phones: must be an array" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_is_refused_with_where_and_why_and_nothing_is_stored(string name, string content, string message)
    {
        // A good file beside the bad one proves the import is all or nothing.
        var folder = Temp();
        await File.WriteAllTextAsync(Path.Combine(folder, "organizations.csv"), "id,name,description\n5b0e1f5e-0000-4000-8000-0000000000ff,Good Org,Fine\n");
        await File.WriteAllTextAsync(Path.Combine(folder, name), content);
        var before = await RecordCountAsync();
        var path = name.EndsWith(".json", StringComparison.Ordinal) ? Path.Combine(folder, name) : folder;
        var dataset = HsdsFiles.Read(path, Schema);
        var refused = await Assert.ThrowsAsync<DirectoryImportException>(() => ImportAsync(dataset));
        Assert.Contains(refused.Problems, p => p.ToString().Contains(message));
        Assert.Equal(before, await RecordCountAsync());
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<DirectoryReader>().ExistsAsync("organization", "5b0e1f5e-0000-4000-8000-0000000000ff")));
    }

    [Fact]
    public async Task A_safe_house_address_never_reaches_the_public_api_exports_or_logs()
    {
        var dataset = await SyntheticAsync();
        var safeHouses = dataset.Of("attribute").Where(a => a.Text("taxonomy_term_id") == DirectoryVocabulary.TermId(DirectoryVocabulary.ConfidentialLocation))
            .Select(a => a.Text("link_id")!).ToList();
        Assert.NotEmpty(safeHouses);
        var location = dataset.Find("location", safeHouses[0])!;
        var address = dataset.Of("address").Single(a => a.Text("location_id") == location.Id);
        var secrets = new[] { address.Text("address_1")!, location.Text("name")!, location.Number("latitude")!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var site = dataset.Of("service_at_location").Single(s => s.Text("location_id") == location.Id);
        var service = site.Text("service_id")!;

        var seen = new List<(string Where, string Text)>();
        async Task FetchAsync(string url) => seen.Add((url, await (await app.CreateClient().GetAsync(url)).Content.ReadAsStringAsync()));
        await FetchAsync($"/hsds/services/{service}");
        await FetchAsync($"/hsds/service_at_locations/{site.Id}");
        await FetchAsync($"/hsds/services?full=true&per_page=200");
        await FetchAsync($"/hsds/service_at_locations?full=true&per_page=200");
        await FetchAsync($"/hsds/services?format=ndjson&full=true");
        await FetchAsync($"/hsds/organizations/{location.Text("organization_id")}?full_service=true");
        await FetchAsync($"/hsds/organizations?full=true&per_page=200");
        await FetchAsync($"/hsds/service_at_locations?postcode={address.Text("postal_code")}&per_page=200");
        await FetchAsync($"/find?need=housing&postcode={address.Text("postal_code")}&radius_km=100");
        // Staff of another organization: the service finder and the referral page show the safe house only as an area.
        var net = await app.NetworkAsync();
        var other = await WebSession.SignInAsync(app, net["advocateB"]);
        var client = await app.NewClientAsync(net["advocateB"].Token, "Directory Person");
        foreach (var url in new[] { $"/clients/{client}/services?need=housing&postcode={address.Text("postal_code")}&radius_km=100", $"/clients/{client}/referrals/new?service={service}" })
        {
            var response = await other.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            seen.Add((url, System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync())));
        }
        var folder = Temp();
        await app.WithScopeAsync(s => s.GetRequiredService<DirectoryExport>().ExportAsync(folder, ExportFormat.Csv, "test"));
        foreach (var file in Directory.GetFiles(folder)) seen.Add((file, await File.ReadAllTextAsync(file)));
        var json = Path.Combine(Temp(), "d.json");
        await app.WithScopeAsync(s => s.GetRequiredService<DirectoryExport>().ExportAsync(json, ExportFormat.Json, "test"));
        seen.Add((json, await File.ReadAllTextAsync(json)));
        seen.Add(("logs", string.Join('\n', app.Logs.Lines)));
        // Nor does the database hold it in clear text.
        var stored = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().DirectoryRecords.Where(r => r.Json.Contains(address.Text("address_1")!)).CountAsync());
        Assert.Equal(0, stored);

        foreach (var (where, text) in seen)
            foreach (var secret in secrets)
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{where} shows a safe house detail");

        // The listing organization's own staff do see it, on its listing page.
        var own = await WebSession.SignInAsync(app, net["advocateA1"]);
        var listing = System.Net.WebUtility.HtmlDecode(await (await own.GetAsync($"/directory/listings/{Uri.EscapeDataString(service)}")).Content.ReadAsStringAsync());
        Assert.Contains(address.Text("address_1")!, listing);

        var shown = (await GetJsonAsync($"/hsds/service_at_locations/{site.Id}"))["location"]!;
        Assert.Equal("Confidential location", (string?)shown["name"]);
        Assert.Contains($"in {address.Text("city")}, {address.Text("state_province")}", (string?)shown["description"]);
    }
}

public sealed class DirectorySqlite(SqliteApp app) : DirectoryTests<SqliteApp>(app);
public sealed class DirectoryPostgres(PostgresApp app) : DirectoryTests<PostgresApp>(app);
