using System.Net;
using System.Net.Http.Json;
using System.Text;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Http;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

public abstract class ClientApiTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : HavenApp
{
    static ClientDetails Person(string name, string? legal = null, string? phone = null) => new()
    {
        ChosenName = name,
        LegalName = legal,
        ImmigrationStatus = "Synthetic status",
        ContactMethods = phone is null ? [] : [new ContactMethod { Kind = "phone", Value = phone, SafeToContact = true }],
    };

    async Task<Guid> CreateAsync(HttpClient client, ClientDetails details, Guid? team = null)
    {
        var response = await client.PostAsJsonAsync("/api/clients", new CreateClientRequest(details, team));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
    }

    async Task<int> CountClientsAsync() => await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Clients.CountAsync());

    [Fact]
    public async Task Create_read_update_and_find_a_client()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var id = await CreateAsync(api, Person("Luz Marina", "Luz Marina Ortiz Test", "+1 212 555 0101"));

        var view = await api.GetFromJsonAsync<ClientView>($"/api/clients/{id}", JsonBody.Json);
        Assert.Equal("Luz Marina", view!.Details.ChosenName);
        Assert.Equal(ClientAccess.Team, view.Access);

        var update = await api.PutAsJsonAsync($"/api/clients/{id}", view.Details with { Pronouns = "she/her" });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("she/her", (await api.GetFromJsonAsync<ClientView>($"/api/clients/{id}", JsonBody.Json))!.Details.Pronouns);

        async Task<List<SearchHit>> Search(ClientSearch s) =>
            (await (await api.PostAsJsonAsync("/api/clients/search", s)).Content.ReadFromJsonAsync<List<SearchHit>>(JsonBody.Json))!;
        Assert.Contains(await Search(new ClientSearch("mar", null, null)), h => h.Id == id);          // prefix of a word
        Assert.Contains(await Search(new ClientSearch("luz MARINA", null, null)), h => h.Id == id);   // every word, any case
        Assert.Contains(await Search(new ClientSearch(null, "luz marina ortiz test", null)), h => h.Id == id);
        Assert.Contains(await Search(new ClientSearch(null, null, "(212) 555-0101")), h => h.Id == id);
        Assert.DoesNotContain(await Search(new ClientSearch(null, "Luz Marina", null)), h => h.Id == id); // legal name is exact
        Assert.DoesNotContain(await Search(new ClientSearch("marinaz", null, null)), h => h.Id == id);

        var page = await api.GetFromJsonAsync<ClientPage>("/api/clients", JsonBody.Json);
        Assert.Contains(page!.Items, c => c.Id == id && c.ChosenName == "Luz Marina");
    }

    [Fact]
    public async Task The_list_pages_through_every_client_newest_first_once_each()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var created = new List<Guid>();
        for (var i = 0; i < ClientRecords.PageSize + 1; i++) created.Add(await CreateAsync(api, Person($"Paging Person {i}")));

        var seen = new List<Guid>();
        for (var number = 1; ; number++)
        {
            var page = (await api.GetFromJsonAsync<ClientPage>($"/api/clients?page={number}", JsonBody.Json))!;
            Assert.Equal(number, page.Page);
            if (page.HasMore) Assert.Equal(ClientRecords.PageSize, page.Items.Count);
            seen.AddRange(page.Items.Select(c => c.Id));
            if (!page.HasMore) break;
        }
        Assert.Equal(seen.Count, seen.Distinct().Count());
        var positions = created.Select(id => seen.IndexOf(id)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.OrderDescending(), positions);
    }

    [Fact]
    public async Task Every_read_and_write_is_audited_without_personal_data()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var id = await CreateAsync(api, Person("Audit Subject Zed"));
        await api.GetAsync($"/api/clients/{id}");
        var page = await api.GetFromJsonAsync<ClientPage>("/api/clients", JsonBody.Json);
        await api.PostAsJsonAsync("/api/clients/search", new ClientSearch("zed", null, null));
        var events = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().EventsAboutAsync(id, 100));
        Assert.Contains(events, e => e.Type == AuditEventType.ClientCreated && e.ActorId == net["advocateA1"].Id);
        Assert.Contains(events, e => e.Type == AuditEventType.ClientViewed);
        // A list page and search hits are one event each about every client they showed.
        var listed = Assert.Single(events, e => e.Type == AuditEventType.ClientListed);
        Assert.Null(listed.SubjectId);
        Assert.Equal(page!.Items.Select(c => c.Id).Order(), AuditEvent.Unpack(listed.Subjects!));
        Assert.Contains(events, e => e.Type == AuditEventType.ClientFoundBySearch && e.ActorId == net["advocateA1"].Id);
        Assert.All(events, e => Assert.DoesNotContain("Zed", (e.Purpose ?? "") + e.ActorId));
    }

    [Fact]
    public async Task Another_organizations_client_is_not_found_for_read_change_or_delete()
    {
        var net = await app.NetworkAsync();
        var id = await CreateAsync(app.ApiClient(net["advocateB"].Token), Person("Other Org Person"));
        foreach (var staff in new[] { "advocateA1", "adminA" })
        {
            var api = app.ApiClient(net[staff].Token);
            Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/clients/{id}")).StatusCode);
            var put = await api.PutAsJsonAsync($"/api/clients/{id}", Person("Changed"));
            Assert.True(put.StatusCode == HttpStatusCode.NotFound, $"{put.StatusCode}: {await put.Content.ReadAsStringAsync()}");
            Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync($"/api/clients/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsJsonAsync($"/api/clients/{id}/break-glass", new BreakGlassRequest("I need to see this record now"))).StatusCode);
            var hits = await (await api.PostAsJsonAsync("/api/clients/search", new ClientSearch("other org person", null, null))).Content.ReadFromJsonAsync<List<SearchHit>>(JsonBody.Json);
            Assert.DoesNotContain(hits!, h => h.Id == id);
        }
        var owner = await app.ApiClient(net["advocateB"].Token).GetFromJsonAsync<ClientView>($"/api/clients/{id}", JsonBody.Json);
        Assert.Equal("Other Org Person", owner!.Details.ChosenName);
    }

    [Fact]
    public async Task Staff_outside_the_team_must_break_the_glass_and_org_admins_see_it()
    {
        var net = await app.NetworkAsync();
        var id = await CreateAsync(app.ApiClient(net["advocateA1"].Token), Person("Team One Client"));
        var outsider = app.ApiClient(net["advocateA2"].Token);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync($"/api/clients/{id}")).StatusCode);

        var tooShort = await outsider.PostAsJsonAsync($"/api/clients/{id}/break-glass", new BreakGlassRequest("need"));
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains("Reason", await tooShort.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync($"/api/clients/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await outsider.PostAsJsonAsync($"/api/clients/{id}/break-glass", new BreakGlassRequest("Covering the on-call shift tonight"))).StatusCode);
        var view = await outsider.GetFromJsonAsync<ClientView>($"/api/clients/{id}", JsonBody.Json);
        Assert.Equal(ClientAccess.BreakGlass, view!.Access);

        var admin = await app.WithScopeAsync(async s => await s.GetRequiredService<AuditBrowser>().BreakGlassAsync(new Security.Staff(net["adminA"].Id, net.OrgA, new HashSet<string> { "OrgAdmin" })));
        Assert.Contains(admin, g => g.ClientId == id && g.Reason == "Covering the on-call shift tonight");

        // Break-the-glass access expires.
        app.Clock.Advance(TimeSpan.FromHours(5));
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync($"/api/clients/{id}")).StatusCode);
    }

    [Fact]
    public async Task Roles_without_client_work_are_refused()
    {
        var net = await app.NetworkAsync();
        var response = await app.ApiClient(net["researcherA"].Token).GetAsync("/api/clients");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Bad_bodies_get_a_clear_error_and_store_nothing()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var before = await CountClientsAsync();

        async Task<string> Rejected(HttpContent content)
        {
            var response = await api.PostAsync("/api/clients", content);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
        var huge = await Rejected(JsonContent.Create(new CreateClientRequest(Person(new string('x', 100_000)), null)));
        Assert.Contains("ChosenName is too long", huge);
        Assert.DoesNotContain("xxxxxxxx", huge);
        Assert.Contains("control characters", await Rejected(JsonContent.Create(new CreateClientRequest(Person("Luz\u0001"), null))));
        Assert.Contains("ChosenName is required", await Rejected(JsonContent.Create(new CreateClientRequest(Person(""), null))));
        Assert.Contains("details is required", await Rejected(JsonContent.Create(new { teamId = (Guid?)null })));
        Assert.Contains("not valid JSON", await Rejected(new StringContent("{\"details\": {\"chosenName\": ", Encoding.UTF8, "application/json")));
        Assert.Contains("$.details.dateOfBirth", await Rejected(new StringContent("{\"details\": {\"chosenName\": \"A\", \"dateOfBirth\": \"someday\"}}", Encoding.UTF8, "application/json")));
        Assert.Contains("application/json", await Rejected(new StringContent("chosenName=Luz", Encoding.UTF8, "text/plain")));
        Assert.Contains("Team", await Rejected(JsonContent.Create(new CreateClientRequest(Person("Wrong team"), net.TeamA2))));
        Assert.Equal(before, await CountClientsAsync());

        var id = await CreateAsync(api, Person("Stays Intact"));
        var bad = await api.PutAsJsonAsync($"/api/clients/{id}", Person(new string('y', 300)));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("Stays Intact", (await api.GetFromJsonAsync<ClientView>($"/api/clients/{id}", JsonBody.Json))!.Details.ChosenName);

        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/clients?page=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync("/api/clients/search", new ClientSearch(null, null, null))).StatusCode);
    }

    [Fact]
    public async Task Concurrent_writes_and_reads_all_succeed()
    {
        // Writes hold a transaction while they audit, reads audit on their own: neither may wait on the other forever.
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var id = await CreateAsync(api, Person("Concurrency Person"));
        var work = Enumerable.Range(0, 24).Select(i => (i % 3) switch
        {
            0 => api.PostAsJsonAsync("/api/clients", new CreateClientRequest(Person($"Parallel {i}"), null)),
            1 => api.GetAsync("/api/clients"),
            _ => api.GetAsync($"/api/clients/{id}"),
        });
        var responses = await Task.WhenAll(work);
        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        var verified = await app.WithScopeAsync(s => AuditChain.VerifyAsync(s.GetRequiredService<HavenDb>(), s.GetRequiredService<AuditAnchor>()));
        Assert.True(verified.Intact, verified.Problem);
    }

    [Fact]
    public async Task Deleting_a_client_shreds_it()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var id = await CreateAsync(api, Person("To Be Shredded", null, "+1 212 555 0199"));
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/clients/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/clients/{id}")).StatusCode);
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HavenDb>();
            Assert.False(await db.Clients.AnyAsync(c => c.Id == id));
            Assert.False(await db.ClientSearchTokens.AnyAsync(t => t.ClientId == id));
            Assert.Contains(id, s.GetRequiredService<ShredLedger>().All());
            return 0;
        });
    }

    [Fact]
    public async Task Missing_unknown_expired_and_revoked_tokens_are_refused()
    {
        var net = await app.NetworkAsync();
        var none = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await none.GetAsync("/api/clients")).StatusCode);

        var unknown = await app.ApiClient("hvn_not-a-real-token").GetAsync("/api/clients");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Contains("not valid", await unknown.Content.ReadAsStringAsync());

        var (token, user) = await app.WithScopeAsync(async s =>
        {
            var users = s.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Features.Accounts.HavenUser>>();
            var u = (await users.FindByIdAsync(net["attorneyA1"].Id))!;
            return ((await s.GetRequiredService<Features.Accounts.ApiTokens>().CreateAsync(u, TimeSpan.FromMinutes(10))).Token, u);
        });
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(token).GetAsync("/api/clients")).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        var expired = await app.ApiClient(token).GetAsync("/api/clients");
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync());

        var fresh = await app.WithScopeAsync(async s => (await s.GetRequiredService<Features.Accounts.ApiTokens>().CreateAsync(user, TimeSpan.FromHours(1))).Token);
        await app.WithScopeAsync(s => s.GetRequiredService<Features.Accounts.ApiTokens>().RevokeAllAsync(user));
        var revoked = await app.ApiClient(fresh).GetAsync("/api/clients");
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains("revoked", await revoked.Content.ReadAsStringAsync());
    }
}

public sealed class ClientApiSqlite(SqliteApp app) : ClientApiTests<SqliteApp>(app);
public sealed class ClientApiPostgres(PostgresApp app) : ClientApiTests<PostgresApp>(app);
