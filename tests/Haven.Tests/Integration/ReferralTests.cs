using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Consent;
using Haven.Features.Referrals;
using Haven.Features.ServiceDirectory;
using Haven.Features.ServiceDirectory.Hsds;
using Haven.Http;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

public abstract class ReferralTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : HavenApp
{
    static readonly IReadOnlyList<SyntheticDirectory.Town> Towns = SyntheticDirectory.Towns(6, seed: 11);

    /// <summary>Organization B (a shelter) lists 40 services, safe houses among them; 20 more are not on Haven.</summary>
    async Task<(TestNetwork Net, HsdsDataset Listed, HsdsDataset NotOnHaven)> DirectoryAsync()
    {
        var net = await app.NetworkAsync();
        var listed = SyntheticDirectory.Generate(HsdsSchema.BuiltIn, 10_000, 10_040, Towns, seed: 11, safeHouseEvery: 2);
        var elsewhere = SyntheticDirectory.Generate(HsdsSchema.BuiltIn, 10_040, 10_060, Towns, seed: 11);
        await app.WithScopeAsync(async s =>
        {
            var import = s.GetRequiredService<DirectoryImport>();
            await import.ImportAsync(listed, net.OrgB, false, "test");
            return await import.ImportAsync(elsewhere, null, false, "test");
        });
        return (net, listed, elsewhere);
    }

    static string SafeHouseService(HsdsDataset dataset)
    {
        var term = DirectoryVocabulary.TermId(DirectoryVocabulary.ConfidentialLocation);
        var location = dataset.Of("attribute").First(a => a.Text("taxonomy_term_id") == term).Text("link_id");
        return dataset.Of("service_at_location").First(s => s.Text("location_id") == location).Text("service_id")!;
    }

    [Fact]
    public async Task A_consented_referral_goes_to_the_provider_who_accepts_and_completes_it_and_the_referrer_sees_each_step()
    {
        var (net, listed, _) = await DirectoryAsync();
        var advocate = app.ApiClient(net["advocateA1"].Token);
        var provider = app.ApiClient(net["advocateB"].Token);
        var client = await app.NewClientAsync(net["advocateA1"].Token, "Referral Person");
        var service = SafeHouseService(listed);

        // Before consent: the preview shows nothing may go, and sending is refused (and the refusal recorded).
        var preview = await advocate.GetFromJsonAsync<ReferralPreview>($"/api/clients/{client}/referrals/preview?service={service}&share=Identity,Contact", JsonBody.Json);
        Assert.Null(preview!.Packet);
        Assert.Equal([DataCategory.Identity, DataCategory.Contact], preview.Withheld);
        var refused = await advocate.PostAsJsonAsync($"/api/clients/{client}/referrals", new ReferralRequest(service, [DataCategory.Identity], null), JsonBody.Json);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("has not agreed", await refused.Content.ReadAsStringAsync());

        // With consent to identity only: contact is withheld from the packet.
        (await app.GrantAsync(net["advocateA1"].Token, client, RecipientClass.ServiceProvider, DataCategory.Identity)).EnsureSuccessStatusCode();
        preview = await advocate.GetFromJsonAsync<ReferralPreview>($"/api/clients/{client}/referrals/preview?service={service}&share=Identity,Contact", JsonBody.Json);
        Assert.Equal("Referral Person", preview!.Packet!.ChosenName);
        Assert.Equal([DataCategory.Contact], preview.Withheld);
        var sent = await advocate.PostAsJsonAsync($"/api/clients/{client}/referrals", new ReferralRequest(service, [DataCategory.Identity, DataCategory.Contact], null), JsonBody.Json);
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var referral = (await sent.Content.ReadFromJsonAsync<ReferralView>(JsonBody.Json))!;
        Assert.Equal(ReferralStatus.Requested, referral.Status);
        Assert.Equal([DataCategory.Identity], referral.Shared);
        Assert.Null(referral.Packet); // the sender does not hold the receiver's copy

        // Before acceptance the referring organization sees the safe house redacted; the provider sees it in full.
        var location = await SafeHouseAddressShownAsync(net["advocateA1"], service);
        Assert.False(location.Shown);

        // The provider's inbox has it; opening it shows the packet.
        var inbox = await provider.GetFromJsonAsync<List<ReferralView>>("/api/referrals/inbox", JsonBody.Json);
        Assert.Contains(inbox!, r => r.Id == referral.Id && r.Status == ReferralStatus.Requested);
        var received = await provider.GetFromJsonAsync<ReferralView>($"/api/referrals/{referral.Id}", JsonBody.Json);
        Assert.Equal("Referral Person", received!.Packet!.ChosenName);
        Assert.Null(received.Packet.ContactMethods);
        Assert.Null(received.ClientReference);

        // Wrong moves are refused with the reason named.
        Assert.Equal(HttpStatusCode.BadRequest, (await advocate.PostAsJsonAsync($"/api/referrals/{referral.Id}/status", new StatusChange(ReferralStatus.Accepted, null), JsonBody.Json)).StatusCode);
        var noReason = await provider.PostAsJsonAsync($"/api/referrals/{referral.Id}/status", new StatusChange(ReferralStatus.Rejected, null), JsonBody.Json);
        Assert.Contains("Say why the referral is rejected", await noReason.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await provider.PostAsJsonAsync($"/api/referrals/{referral.Id}/status", new StatusChange(ReferralStatus.Completed, null), JsonBody.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await provider.PostAsync($"/api/referrals/{referral.Id}/status", new StringContent("{\"status\": 42}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);

        // Accept, then complete: the loop closes and the referrer sees each change with timing kept.
        app.Clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(HttpStatusCode.NoContent, (await provider.PostAsJsonAsync($"/api/referrals/{referral.Id}/status", new StatusChange(ReferralStatus.Accepted, null), JsonBody.Json)).StatusCode);
        location = await SafeHouseAddressShownAsync(net["advocateA1"], service);
        Assert.True(location.Shown, "after acceptance the referring organization may see the safe house");
        app.Clock.Advance(TimeSpan.FromHours(20));
        Assert.Equal(HttpStatusCode.NoContent, (await provider.PostAsJsonAsync($"/api/referrals/{referral.Id}/status", new StatusChange(ReferralStatus.Completed, ReferralReason.ServiceProvided), JsonBody.Json)).StatusCode);
        var mine = await advocate.GetFromJsonAsync<List<ReferralView>>($"/api/clients/{client}/referrals", JsonBody.Json);
        var closed = mine!.Single(r => r.Id == referral.Id);
        Assert.Equal([ReferralStatus.Draft, ReferralStatus.Requested, ReferralStatus.Accepted, ReferralStatus.Completed], closed.History.Select(h => h.Status));
        // The test clock runs on from real time, so allow the seconds the test itself took.
        Assert.InRange((closed.AcceptedAt - closed.SentAt)!.Value, TimeSpan.FromHours(3), TimeSpan.FromHours(3.05));
        Assert.InRange((closed.ClosedAt - closed.SentAt)!.Value, TimeSpan.FromHours(23), TimeSpan.FromHours(23.05));
        Assert.Empty(closed.Next);

        var types = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEvents.Where(e => e.SubjectId == client).Select(e => e.Type).ToListAsync());
        Assert.Contains(AuditEventType.ReferralSent, types);
        Assert.Contains(AuditEventType.ReferralViewed, types);
        Assert.Equal(2, types.Count(t => t == AuditEventType.ReferralStatusChanged));
        Assert.Contains(AuditEventType.DisclosureRefused, types);

        // Another organization's staff cannot see or move it.
        Assert.Equal(HttpStatusCode.NotFound, (await app.ApiClient(net["advocateA2"].Token).GetAsync($"/api/referrals/{referral.Id}")).StatusCode);
    }

    async Task<(bool Shown, string Address)> SafeHouseAddressShownAsync(TestStaff staff, string serviceId) => await app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<HavenDb>();
        var site = await db.DirectorySites.FirstAsync(x => x.ServiceId == serviceId && x.Confidential);
        var viewer = await s.GetRequiredService<Referrals>().ViewerAsync(new Security.Staff(staff.Id, staff.OrganizationId, new HashSet<string> { "Advocate" }));
        var graph = await s.GetRequiredService<DirectoryReader>().GraphAsync([("service", serviceId)], viewer, true, []);
        var location = graph.Full("service", serviceId, viewer)!["service_at_locations"]!.AsArray().Select(x => x!["location"]!).Single(l => (string?)l["id"] == site.LocationId);
        var address = (string?)location["addresses"]?[0]?["address_1"];
        return (address is not null, address ?? "");
    });

    [Fact]
    public async Task A_provider_not_on_haven_gets_a_referral_recorded_by_hand_whose_outcome_the_referrer_records()
    {
        var (net, _, elsewhere) = await DirectoryAsync();
        var advocate = app.ApiClient(net["advocateA1"].Token);
        var client = await app.NewClientAsync(net["advocateA1"].Token, "Hand Person");
        (await app.GrantAsync(net["advocateA1"].Token, client, RecipientClass.ServiceProvider, DataCategory.Identity, DataCategory.Contact)).EnsureSuccessStatusCode();
        var service = elsewhere.Of("service").First().Id;

        var missing = await advocate.PostAsJsonAsync($"/api/clients/{client}/referrals", new ReferralRequest(service, [DataCategory.Identity], null), JsonBody.Json);
        Assert.Contains("not on Haven", await missing.Content.ReadAsStringAsync());
        var sent = await advocate.PostAsJsonAsync($"/api/clients/{client}/referrals", new ReferralRequest(service, [DataCategory.Identity], HandDelivery.Phone), JsonBody.Json);
        var referral = (await sent.Content.ReadFromJsonAsync<ReferralView>(JsonBody.Json))!;
        Assert.Equal(HandDelivery.Phone, referral.SentByHand);
        Assert.Equal("Hand Person", referral.Packet!.ChosenName); // what was shared stays on record
        Assert.Equal(HttpStatusCode.NoContent, (await advocate.PostAsJsonAsync($"/api/referrals/{referral.Id}/status", new StatusChange(ReferralStatus.Rejected, ReferralReason.NoCapacity), JsonBody.Json)).StatusCode);
        var after = await advocate.GetFromJsonAsync<ReferralView>($"/api/referrals/{referral.Id}", JsonBody.Json);
        Assert.Equal((ReferralStatus.Rejected, ReferralReason.NoCapacity), (after!.Status, after.Reason));
    }

    [Theory]
    [InlineData("""{ "serviceId": "no-such-service", "share": ["Identity"] }""", "serviceId", "No service in the directory has this id")]
    [InlineData("""{ "share": ["Identity"] }""", "serviceId", "No service in the directory has this id")]
    [InlineData("""{ "serviceId": "SERVICE", "share": [] }""", "share", "Choose what to share")]
    [InlineData("""{ "serviceId": "SERVICE", "share": ["Identity"], "byHand": 99 }""", "byHand", "Choose how it was sent")]
    [InlineData("""{ "serviceId": "SERVICE", "share": ["Secrets"] }""", "$.share[0]", "not valid JSON for this request")]
    [InlineData("""{ "serviceId": 12 """, "$.serviceId", "not valid JSON")]
    public async Task Bad_referrals_are_refused_with_the_field_named_and_nothing_is_stored(string body, string field, string message)
    {
        var (net, listed, _) = await DirectoryAsync();
        var client = await app.NewClientAsync(net["advocateA1"].Token, "Bad Referral");
        var before = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Referrals.CountAsync());
        var response = await app.ApiClient(net["advocateA1"].Token).PostAsync($"/api/clients/{client}/referrals",
            new StringContent(body.Replace("SERVICE", listed.Of("service").First().Id), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), await response.Content.ReadAsStringAsync());
        Assert.Contains(message, (string?)errors[field]![0]);
        Assert.Equal(before, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Referrals.CountAsync()));
        // A client of another organization is not found at all.
        var other = await app.NewClientAsync(net["advocateB"].Token, "Other Org Person");
        Assert.Equal(HttpStatusCode.NotFound, (await app.ApiClient(net["advocateA1"].Token).PostAsJsonAsync($"/api/clients/{other}/referrals",
            new ReferralRequest(listed.Of("service").First().Id, [DataCategory.Identity], null), JsonBody.Json)).StatusCode);
    }

    [Fact]
    public async Task The_provider_keeps_its_own_listing_capacity_and_attributes_current_and_matching_follows()
    {
        var (net, listed, _) = await DirectoryAsync();
        var provider = app.ApiClient(net["advocateB"].Token);
        // A housing service with a public site beside its safe house, so it can be found by distance.
        var service = listed.Of("service").First(s => (s.Text("name")!.Contains("Shelter") || s.Text("name")!.Contains("Safe Housing"))
            && listed.Of("service_at_location").Count(x => x.Text("service_id") == s.Id) == 2).Id;

        Assert.Equal(HttpStatusCode.NotFound, (await app.ApiClient(net["advocateA1"].Token).PutAsJsonAsync($"/api/directory/services/{service}/capacity", new CapacityUpdate(1, 2, "beds"))).StatusCode);
        var bad = await provider.PutAsJsonAsync($"/api/directory/services/{service}/capacity", new CapacityUpdate(9, 4, "cots"));
        var errors = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Contains("More are free than the total", (string?)errors["available"]![0]);
        Assert.Contains("Choose the unit", (string?)errors["unit"]![0]);
        Assert.Equal(HttpStatusCode.NoContent, (await provider.PutAsJsonAsync($"/api/directory/services/{service}/capacity", new CapacityUpdate(0, 6, "beds"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await provider.PostAsync($"/api/directory/services/{service}/verify", null)).StatusCode);

        var edit = await provider.PutAsJsonAsync($"/api/directory/services/{service}", new ListingEdit("Hillcrest Night Shelter", "Beds for the night.", "active", ["haven:no-id-required", "haven:trans-affirming"]));
        Assert.Equal(HttpStatusCode.NoContent, edit.StatusCode);
        var badEdit = await provider.PutAsJsonAsync($"/api/directory/services/{service}", new ListingEdit("", null, "sleeping", ["haven:magic"]));
        var editErrors = JsonNode.Parse(await badEdit.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.True(editErrors.ContainsKey("name") && editErrors.ContainsKey("status") && editErrors.ContainsKey("attributes"));

        // The public record shows the edit; matching with "has room" leaves the full shelter out and says why.
        var hsds = JsonNode.Parse(await app.CreateClient().GetStringAsync($"/hsds/services/{service}"))!;
        Assert.Equal("Hillcrest Night Shelter", (string?)hsds["name"]);
        Assert.Contains(hsds["attributes"]!.AsArray(), a => (string?)a!["taxonomy_term"]?["code"] == "haven:trans-affirming");
        var postcode = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().DirectorySites.Where(x => x.ServiceId == service && x.Postcode != null).Select(x => x.Postcode).FirstAsync());
        var match = await app.ApiClient(net["advocateA1"].Token).GetFromJsonAsync<MatchResponse>(
            $"/api/directory/match?need=housing&postcode={postcode}&attribute=haven:trans-affirming&capacity=true&radius_km=25", JsonBody.Json);
        Assert.DoesNotContain(match!.Matches, m => m.ServiceId == service);
        var left = Assert.Single(match.LeftOut, l => l.ServiceId == service);
        Assert.StartsWith("no beds free (updated", Assert.Single(left.Reasons));

        (await provider.PutAsJsonAsync($"/api/directory/services/{service}/capacity", new CapacityUpdate(2, 6, "beds"))).EnsureSuccessStatusCode();
        match = await app.ApiClient(net["advocateA1"].Token).GetFromJsonAsync<MatchResponse>(
            $"/api/directory/match?need=housing&postcode={postcode}&attribute=haven:trans-affirming&capacity=true", JsonBody.Json);
        var found = Assert.Single(match!.Matches, m => m.ServiceId == service);
        Assert.Contains("trans-affirming", found.Explanation);
        Assert.Contains("2 beds free, updated just now", found.Explanation);
        Assert.False(found.Stale);
    }

    [Fact]
    public async Task Matching_reads_hours_and_languages_from_the_directory_and_rows_from_an_older_haven_are_derived_again_at_start()
    {
        var (net, listed, _) = await DirectoryAsync();
        // A public weekday service: open on Tuesday morning, closed on Saturday night.
        var weekday = listed.Of("schedule").First(h => h.Text("byday") == "MO,TU,WE,TH,FR").Text("service_id")!;
        var (postcode, needs, languages) = await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HavenDb>();
            var row = await db.DirectoryServices.SingleAsync(x => x.Id == weekday);
            return (await db.DirectorySites.Where(x => x.ServiceId == weekday && x.Postcode != null).Select(x => x.Postcode).FirstAsync(), row.Needs!, row.Languages);
        });
        Assert.Equal("MO,TU,WE,TH,FR 09:00 17:00", await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().DirectoryServices.Where(x => x.Id == weekday).Select(x => x.Hours).SingleAsync()));
        var need = needs.Split(' ', StringSplitOptions.RemoveEmptyEntries).First();
        var language = languages.Split(' ', StringSplitOptions.RemoveEmptyEntries).First();
        var advocate = app.ApiClient(net["advocateA1"].Token);
        async Task<MatchResponse> MatchAsync(string query) =>
            (await advocate.GetFromJsonAsync<MatchResponse>($"/api/directory/match?need={need}&postcode={postcode}&radius_km=25&{query}", JsonBody.Json))!;

        Assert.Contains((await MatchAsync($"language={language}&open_at=2026-11-24T10:00")).Matches, m => m.ServiceId == weekday);
        var closed = await MatchAsync("open_at=2026-11-28T23:30");
        Assert.DoesNotContain(closed.Matches, m => m.ServiceId == weekday);
        Assert.Equal("closed at Saturday 23:30", Assert.Single(Assert.Single(closed.LeftOut, l => l.ServiceId == weekday).Reasons));
        var unspoken = await MatchAsync("language=xx");
        Assert.StartsWith("no xx", Assert.Single(Assert.Single(unspoken.LeftOut, l => l.ServiceId == weekday).Reasons));

        // A row an older Haven projected has no needs yet: it matches nothing until start-up derives it again.
        await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().DirectoryServices.Where(x => x.Id == weekday)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.Needs, (string?)null).SetProperty(x => x.Hours, "")));
        Assert.DoesNotContain((await MatchAsync("")).Matches, m => m.ServiceId == weekday);
        await app.WithScopeAsync(async s => { await s.GetRequiredService<DirectoryImport>().RefreshOutdatedAsync(); return 0; });
        Assert.Equal(needs, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().DirectoryServices.Where(x => x.Id == weekday).Select(x => x.Needs).SingleAsync()));
        Assert.Contains((await MatchAsync("open_at=2026-11-24T10:00")).Matches, m => m.ServiceId == weekday);
    }

    [Theory]
    [InlineData("/api/directory/match", "need", "Choose at least one need")]
    [InlineData("/api/directory/match?need=flying", "need", "'flying' is not a need")]
    [InlineData("/api/directory/match?need=housing&attribute=haven:magic", "attribute", "not a Haven attribute")]
    [InlineData("/api/directory/match?need=housing&age=old", "age", "whole number")]
    [InlineData("/api/directory/match?need=housing&radius_km=9000", "radius_km", "at most 500 km")]
    [InlineData("/api/directory/match?need=housing&lat=95&lon=0", "lat", "from -90 to 90")]
    [InlineData("/api/directory/match?need=housing&open_at=teatime", "open_at", "Give the time")]
    [InlineData("/api/directory/match?need=housing&postcode=00000", "query", "No listed location has this postcode")]
    public async Task Bad_match_queries_name_the_problem(string url, string field, string message)
    {
        var (net, _, _) = await DirectoryAsync();
        var response = await app.ApiClient(net["advocateA1"].Token).GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Contains(message, (string?)errors[field]![0]);
    }

    [Fact]
    public async Task The_public_search_needs_no_account_sets_no_cookies_speaks_spanish_and_never_shows_a_safe_house()
    {
        var (_, listed, _) = await DirectoryAsync();
        var term = DirectoryVocabulary.TermId(DirectoryVocabulary.ConfidentialLocation);
        var safeHouses = listed.Of("attribute").Where(a => a.Text("taxonomy_term_id") == term).Select(a => a.Text("link_id")).ToHashSet();
        var secret = listed.Of("address").First(a => safeHouses.Contains(a.Text("location_id"))).Text("address_1")!;
        var publicAddress = listed.Of("address").First(a => !safeHouses.Contains(a.Text("location_id")));
        var browser = app.CreateClient();

        var page = await browser.GetAsync($"/find?need=housing&postcode={publicAddress.Text("postal_code")}&radius_km=100");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.False(page.Headers.Contains("Set-Cookie"), "the public search sets no cookie");
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains("Quick exit", html);
        Assert.Contains("quick-exit.js", html);
        Assert.Contains("Results (", html);
        Assert.DoesNotContain(secret, html);
        Assert.DoesNotContain("Referrals to us", html); // no staff navigation

        var spanish = WebUtility.HtmlDecode(await browser.GetStringAsync("/find?culture=es"));
        Assert.Contains("Buscar ayuda", spanish);
        Assert.Contains("Salida rápida", spanish);
        var unknown = WebUtility.HtmlDecode(await browser.GetStringAsync("/find?need=housing&postcode=00000"));
        Assert.Contains("We do not know this postcode", unknown);
        var badNeed = WebUtility.HtmlDecode(await browser.GetStringAsync("/find?need=flying"));
        Assert.Contains("is not a need", badNeed);
    }
}

public sealed class ReferralsSqlite(SqliteApp app) : ReferralTests<SqliteApp>(app);
public sealed class ReferralsPostgres(PostgresApp app) : ReferralTests<PostgresApp>(app);
