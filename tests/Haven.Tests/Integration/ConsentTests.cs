using System.Net;
using System.Net.Http.Json;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Features.Consent;
using Haven.Http;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

/// <summary>
/// Consent grants and the disclosure guard through real HTTP. Each outbound path (printed letter, export,
/// read by another organization) has its own test with no grant, a grant, a revoked grant and an expired one.
/// </summary>
public abstract class ConsentTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : HavenApp
{
    DateOnly Today => DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);

    async Task<Guid> NewClientAsync(string name)
    {
        var net = await app.NetworkAsync();
        var response = await app.ApiClient(net["advocateA1"].Token).PostAsJsonAsync("/api/clients", new CreateClientRequest(new ClientDetails
        {
            ChosenName = name,
            ImmigrationStatus = "Synthetic status",
            ContactMethods = [new ContactMethod { Kind = "phone", Value = "+1 212 555 0199", SafeToContact = true }],
        }, null));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
    }

    async Task<Guid> GrantAsync(Guid client, object body)
    {
        var net = await app.NetworkAsync();
        var response = await app.ApiClient(net["advocateA1"].Token).PostAsJsonAsync($"/api/clients/{client}/consents", body, JsonBody.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
    }

    object ToOrgB(TestNetwork net, params DataCategory[] categories) => new
    {
        categories,
        recipientClass = RecipientClass.Organization,
        recipientOrganizationId = net.OrgB,
        purpose = "Shelter intake",
        method = ConsentMethod.Verbal,
        language = "es",
        interpreterUsed = false,
        expiresOn = Today.AddMonths(6),
        clientPresent = true,
    };

    async Task RevokeAsync(Guid client, Guid grant)
    {
        var net = await app.NetworkAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await app.ApiClient(net["advocateA1"].Token).PostAsync($"/api/clients/{client}/consents/{grant}/revoke", null)).StatusCode);
    }

    // Expiry is simulated on the row: moving the shared test clock by days would expire every test's tokens.
    Task ExpireAsync(Guid grant) => app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().ConsentGrants.Where(g => g.Id == grant)
        .ExecuteUpdateAsync(u => u.SetProperty(g => g.GivenAt, DateTime.UtcNow.AddDays(-30)).SetProperty(g => g.ExpiresAt, app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1))));

    Task<List<Disclosure>> DisclosuresAsync(Guid client) =>
        app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Disclosures.Where(d => d.ClientId == client).OrderBy(d => d.At).ThenBy(d => d.Id).ToListAsync());

    [Fact]
    public async Task Export_passes_the_guard_with_no_grant_a_grant_a_revoked_grant_and_an_expired_one()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var client = await NewClientAsync("Export Person");
        var request = new DisclosureRequest(RecipientClass.Organization, net.OrgB, [DataCategory.Identity, DataCategory.Immigration]);
        async Task<HttpResponseMessage> Export() => await api.PostAsJsonAsync($"/api/clients/{client}/disclosures", request, JsonBody.Json);

        var none = await Export();
        Assert.Equal(HttpStatusCode.Forbidden, none.StatusCode);
        Assert.Contains("Identity, Immigration", await none.Content.ReadAsStringAsync());

        var grant = await GrantAsync(client, ToOrgB(net, DataCategory.Identity));
        var allowed = await Export();
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var packet = (await allowed.Content.ReadFromJsonAsync<DisclosurePacket>(JsonBody.Json))!;
        Assert.Equal("Export Person", packet.ChosenName);
        Assert.Null(packet.ImmigrationStatus);      // not granted: withheld
        Assert.Null(packet.ContactMethods);         // not asked for, not granted
        Assert.Equal([DataCategory.Immigration], packet.Withheld);
        Assert.Equal(["Shelter intake"], packet.Purposes);

        await RevokeAsync(client, grant);
        Assert.Equal(HttpStatusCode.Forbidden, (await Export()).StatusCode);

        var second = await GrantAsync(client, ToOrgB(net, DataCategory.Identity));
        Assert.Equal(HttpStatusCode.OK, (await Export()).StatusCode);
        await ExpireAsync(second);
        Assert.Equal(HttpStatusCode.Forbidden, (await Export()).StatusCode);

        var record = await DisclosuresAsync(client);
        Assert.Equal([DataCategory.None, DataCategory.Identity, DataCategory.None, DataCategory.Identity, DataCategory.None], record.Select(d => d.Allowed));
        Assert.All(record, d => Assert.Equal(DisclosureChannel.Export, d.Channel));
        var events = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEvents.Where(e => e.SubjectId == client).Select(e => e.Type).ToListAsync());
        Assert.Equal(3, events.Count(t => t == AuditEventType.DisclosureRefused));
        Assert.Equal(2, events.Count(t => t == AuditEventType.DisclosureAllowed));
    }

    [Fact]
    public async Task Another_organization_reads_through_the_guard_with_no_grant_a_grant_a_revoked_grant_and_an_expired_one()
    {
        var net = await app.NetworkAsync();
        var shelter = app.ApiClient(net["advocateB"].Token);
        var client = await NewClientAsync("Shared Person");
        async Task<HttpResponseMessage> Read(string categories = "Identity,Contact") => await shelter.GetAsync($"/api/shared/clients/{client}?categories={categories}");

        Assert.Equal(HttpStatusCode.Forbidden, (await Read()).StatusCode);
        // Organization B cannot reach the record through organization A's own endpoints either.
        Assert.Equal(HttpStatusCode.NotFound, (await shelter.GetAsync($"/api/clients/{client}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await shelter.GetAsync($"/api/clients/{client}/consents")).StatusCode);

        var grant = await GrantAsync(client, ToOrgB(net, DataCategory.Identity, DataCategory.Contact));
        var packet = (await (await Read()).Content.ReadFromJsonAsync<DisclosurePacket>(JsonBody.Json))!;
        Assert.Equal("Shared Person", packet.ChosenName);
        Assert.Equal("+1 212 555 0199", Assert.Single(packet.ContactMethods!).Value);
        Assert.Null(packet.ImmigrationStatus);
        Assert.Equal(HttpStatusCode.Forbidden, (await Read("Immigration")).StatusCode);

        await RevokeAsync(client, grant);
        Assert.Equal(HttpStatusCode.Forbidden, (await Read()).StatusCode);
        var second = await GrantAsync(client, ToOrgB(net, DataCategory.Identity, DataCategory.Contact));
        Assert.Equal(HttpStatusCode.OK, (await Read()).StatusCode);
        await ExpireAsync(second);
        Assert.Equal(HttpStatusCode.Forbidden, (await Read()).StatusCode);

        // The client's own organization keeps the record of every read by the other organization.
        var record = await DisclosuresAsync(client);
        Assert.All(record, d => Assert.Equal(DisclosureChannel.ApiRead, d.Channel));
        Assert.All(record, d => Assert.Equal(net.OrgA, d.OrganizationId));
        Assert.All(record, d => Assert.Equal(net["advocateB"].Id, d.ActorId));
        Assert.Equal(6, record.Count);

        // Bad requests name the problem; a client of one's own organization is not read this way.
        var unknown = await Read("Weather");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("Unknown category", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await Read("")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ApiClient(net["advocateA1"].Token).GetAsync($"/api/shared/clients/{client}?categories=Identity")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await shelter.GetAsync($"/api/shared/clients/{Guid.NewGuid()}?categories=Identity")).StatusCode);
    }

    [Fact]
    public async Task Printed_letter_passes_the_guard_with_no_grant_a_grant_a_revoked_grant_and_an_expired_one()
    {
        var net = await app.NetworkAsync();
        var browser = await WebSession.SignInAsync(app, net["advocateA1"]);
        var client = await NewClientAsync("Letter Person");
        var url = $"/clients/{client}/share";
        async Task<string> Letter() => await (await WebSession.SubmitAsync(browser, url, "share", new()
        {
            ["Input.Recipient"] = $"org:{net.OrgB}",
            ["Input.Identity"] = "true",
            ["Input.Immigration"] = "true",
            ["Input.LetterLanguage"] = "es",
        })).Content.ReadAsStringAsync() is var html ? WebUtility.HtmlDecode(html) : "";

        Assert.Contains("Not shared: no consent covers this.", await Letter());
        var grant = await GrantAsync(client, ToOrgB(net, DataCategory.Identity));
        var letter = await Letter();
        Assert.Contains("Información compartida con", letter);
        Assert.Contains("Letter Person", letter);
        Assert.DoesNotContain("Synthetic status", letter);                 // immigration not granted
        Assert.Contains("No se compartió (sin consentimiento): información migratoria", letter);

        await RevokeAsync(client, grant);
        Assert.DoesNotContain("Letter Person", await Letter());
        var second = await GrantAsync(client, ToOrgB(net, DataCategory.Identity));
        Assert.Contains("Letter Person", await Letter());
        await ExpireAsync(second);
        Assert.DoesNotContain("Letter Person", await Letter());

        var record = await DisclosuresAsync(client);
        Assert.Equal(5, record.Count);
        Assert.All(record, d => Assert.Equal(DisclosureChannel.Letter, d.Channel));
    }

    [Fact]
    public async Task Police_and_immigration_are_reached_only_by_a_grant_naming_them()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var client = await NewClientAsync("Authority Person");
        await GrantAsync(client, new
        {
            categories = new[] { DataCategory.Identity },
            recipientClass = RecipientClass.Other,
            purpose = "Anything",
            method = ConsentMethod.Written,
            language = "en",
            expiresOn = Today.AddMonths(1),
            clientPresent = true,
        });
        var police = new DisclosureRequest(RecipientClass.LawEnforcement, null, [DataCategory.Identity]);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsJsonAsync($"/api/clients/{client}/disclosures", police, JsonBody.Json)).StatusCode);
        // Not even an org admin can override it.
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ApiClient(net["adminA"].Token).PostAsJsonAsync($"/api/clients/{client}/disclosures", police, JsonBody.Json)).StatusCode);
        await GrantAsync(client, new
        {
            categories = new[] { DataCategory.Identity },
            recipientClass = RecipientClass.LawEnforcement,
            purpose = "Report the client chose to make",
            method = ConsentMethod.Written,
            language = "en",
            expiresOn = Today.AddMonths(1),
            clientPresent = true,
        });
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/clients/{client}/disclosures", police, JsonBody.Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsJsonAsync($"/api/clients/{client}/disclosures",
            new DisclosureRequest(RecipientClass.ImmigrationAuthority, null, [DataCategory.Identity]), JsonBody.Json)).StatusCode);
    }

    [Fact]
    public async Task Bad_consent_input_is_refused_by_name_and_nothing_is_stored()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var client = await NewClientAsync("Bad Input Person");
        async Task<string> Rejected(object body)
        {
            var response = await api.PostAsJsonAsync($"/api/clients/{client}/consents", body, JsonBody.Json);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
        var good = new Dictionary<string, object?>
        {
            ["categories"] = new[] { "Identity" },
            ["recipientClass"] = "Organization",
            ["recipientOrganizationId"] = net.OrgB,
            ["purpose"] = "Shelter intake",
            ["method"] = "Verbal",
            ["language"] = "es",
            ["expiresOn"] = Today.AddMonths(6),
            ["clientPresent"] = true,
        };
        Dictionary<string, object?> With(string key, object? value) => new(good) { [key] = value };

        Assert.Contains("Expiry date must be on or after the start date", await Rejected(new Dictionary<string, object?>(good) { ["startsOn"] = Today.AddDays(10), ["expiresOn"] = Today.AddDays(5) }));
        Assert.Contains("Choose an organization of the network", await Rejected(With("recipientOrganizationId", Guid.NewGuid())));
        Assert.Contains("Choose at least one kind of information", await Rejected(With("categories", Array.Empty<string>())));
        Assert.Contains("Purpose must be at most 500 characters", await Rejected(With("purpose", new string('p', 501))));
        Assert.Contains("Consent is recorded only with the client present", await Rejected(With("clientPresent", false)));
        Assert.Contains("Expiry date is required", await Rejected(With("expiresOn", null)));
        Assert.Contains("Consent cannot start in the past", await Rejected(With("startsOn", Today.AddDays(-1))));
        Assert.Contains("Language must be a language code", await Rejected(With("language", "<script>")));
        Assert.Contains("$.categories", await Rejected(With("categories", new[] { "Weather" })));
        Assert.Contains("Say whether consent was given verbally or in writing", await Rejected(With("method", null)));
        var malformed = await api.PostAsync($"/api/clients/{client}/consents", new StringContent("{\"categories\": [", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        Assert.Equal(0, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().ConsentGrants.CountAsync(g => g.ClientId == client)));
        // A disclosure request with no recipient or no categories names the field.
        var noRecipient = await api.PostAsJsonAsync($"/api/clients/{client}/disclosures", new DisclosureRequest(null, null, [DataCategory.Identity]), JsonBody.Json);
        Assert.Contains("RecipientClass", await noRecipient.Content.ReadAsStringAsync());
        Assert.Empty(await DisclosuresAsync(client));
    }

    [Fact]
    public async Task Consent_recorded_on_the_page_shows_the_wording_in_the_clients_language_first()
    {
        var net = await app.NetworkAsync();
        var browser = await WebSession.SignInAsync(app, net["advocateA1"]);
        var client = await NewClientAsync("Page Consent Person");
        var url = $"/clients/{client}/consent/new";
        var fields = new Dictionary<string, string>
        {
            ["Input.Recipient"] = $"org:{net.OrgB}",
            ["Input.Identity"] = "true",
            ["Input.Purpose"] = "Vivienda segura",
            ["Input.Method"] = "Verbal",
            ["Input.Language"] = "es",
            ["Input.ExpiresOn"] = Today.AddMonths(3).ToString("yyyy-MM-dd"),
            ["Input.ClientPresent"] = "true",
        };
        var preview = WebUtility.HtmlDecode(await (await WebSession.SubmitAsync(browser, url, "consent", fields)).Content.ReadAsStringAsync());
        Assert.Contains("Usted acepta que compartamos", preview);
        Assert.Equal(0, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().ConsentGrants.CountAsync(g => g.ClientId == client)));

        var wording = System.Text.RegularExpressions.Regex.Match(preview, "name=\"Input.Previewed\" value=\"([^\"]*)\"").Groups[1].Value;
        var recorded = await WebSession.SubmitAsync(browser, url, "consent", new(fields) { ["Input.Previewed"] = wording });
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        var list = WebUtility.HtmlDecode(await (await browser.GetAsync($"/clients/{client}/consent")).Content.ReadAsStringAsync());
        Assert.Contains("Vivienda segura", list);
        Assert.Contains("Usted acepta que compartamos", list);

        // A changed detail after the wording was read asks for the new wording to be read; nothing more is stored.
        var changed = await (await WebSession.SubmitAsync(browser, url, "consent", new(fields) { ["Input.Previewed"] = wording, ["Input.Purpose"] = "Otro fin" })).Content.ReadAsStringAsync();
        Assert.Contains("The details changed", changed);
        Assert.Equal(1, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().ConsentGrants.CountAsync(g => g.ClientId == client)));

        // Bad form input is named on the page.
        var bad = await (await WebSession.SubmitAsync(browser, url, "consent", new(fields) { ["Input.ClientPresent"] = "false", ["Input.Recipient"] = "org:not-a-guid" })).Content.ReadAsStringAsync();
        Assert.Contains("Consent is recorded only with the client present", bad);
        Assert.Contains("Choose who the information may go to", bad);
    }

    [Fact]
    public async Task The_disclosure_record_lists_who_saw_and_received_the_data_in_english_or_spanish()
    {
        var net = await app.NetworkAsync();
        var client = await NewClientAsync("Record Person");
        await app.ApiClient(net["attorneyA1"].Token).GetAsync($"/api/clients/{client}");
        await app.ApiClient(net["attorneyA1"].Token).GetAsync("/api/clients");   // one event about every client on the page
        await app.ApiClient(net["advocateB"].Token).GetAsync($"/api/shared/clients/{client}?categories=Identity");
        var browser = await WebSession.SignInAsync(app, net["advocateA1"]);
        var english = WebUtility.HtmlDecode(await (await browser.GetAsync($"/clients/{client}/disclosure-record")).Content.ReadAsStringAsync());
        Assert.Contains("Who has seen or received your information", english);
        Assert.Contains("attorneyA1", english);
        Assert.Contains("opened your record", english);
        Assert.Contains("saw your name in a list of clients", english);
        Assert.Contains("Refused to share who you are", english);
        var spanish = WebUtility.HtmlDecode(await (await browser.GetAsync($"/clients/{client}/disclosure-record?lang=es")).Content.ReadAsStringAsync());
        Assert.Contains("Quién ha visto o recibido su información", spanish);
        Assert.Contains("abrió su expediente", spanish);
        // Staff of another team or organization cannot print it.
        var outsider = await WebSession.SignInAsync(app, net["advocateB"]);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/clients/{client}/disclosure-record")).StatusCode);
    }
}

public sealed class ConsentSqlite(SqliteApp app) : ConsentTests<SqliteApp>(app);
public sealed class ConsentPostgres(PostgresApp app) : ConsentTests<PostgresApp>(app);
