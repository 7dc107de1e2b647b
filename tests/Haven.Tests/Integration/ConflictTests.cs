using System.Net;
using System.Net.Http.Json;
using System.Text;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Features.Conflicts;
using Haven.Features.Matters;
using Haven.Http;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

/// <summary>Conflict checks through real HTTP, over blind indexes of names and their sounds.</summary>
public abstract class ConflictTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : HavenApp
{
    async Task<ConflictResult> CheckAsync(string staff, params string[] names)
    {
        var net = await app.NetworkAsync();
        var response = await app.ApiClient(net[staff].Token).PostAsJsonAsync("/api/conflict-checks", new ConflictCheckRequest([.. names]), JsonBody.Json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ConflictResult>(JsonBody.Json))!;
    }

    [Fact]
    public async Task A_phonetic_match_finds_a_client_and_an_adverse_party()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["attorneyA1"].Token);
        var suffix = Guid.NewGuid().ToString("N")[..4];
        // Unusual synthetic surnames keep this test's matches apart from other tests' data.
        var created = await api.PostAsJsonAsync("/api/clients", new CreateClientRequest(new ClientDetails { ChosenName = "John Quixmarley", LegalName = "Johnathan Quixmarley" }, null));
        var client = (await created.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        var opened = await api.PostAsJsonAsync($"/api/clients/{client}/matters", new MatterInput(MatterType.Employment, null), JsonBody.Json);
        var matter = (await opened.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        var party = await api.PostAsJsonAsync($"/api/matters/{matter}/adverse-parties", new AdversePartyInput("Vorblex Farms", ["Vorblex Harvest Co"], AdverseRole.Employer), JsonBody.Json);
        Assert.Equal(HttpStatusCode.Created, party.StatusCode);

        var result = await CheckAsync("attorneyA1", "Jon Quixmarlie");
        var hit = Assert.Single(result.Hits, h => h.ClientId == client);
        Assert.Equal(MatchKind.Phonetic, hit.Match);
        Assert.Equal("John Quixmarley", hit.Name);
        Assert.True(hit.Score >= 0.7);

        var employer = await CheckAsync("attorneyA1", "Vorblecks Farms");
        Assert.Contains(employer.Hits, h => h.Kind == "AdverseParty" && h.MatterId == matter && h.Name == "Vorblex Farms");
        Assert.Contains((await CheckAsync("attorneyA1", "Vorblex Harvest")).Hits, h => h.MatterId == matter);   // aliases count

        // Another team sees that a client matches, not who; another organization sees nothing.
        var otherTeam = await CheckAsync("advocateA2", "John Quixmarley");
        var hidden = Assert.Single(otherTeam.Hits, h => h.ClientId == client);
        Assert.Null(hidden.Name);
        Assert.DoesNotContain((await CheckAsync("advocateB", "John Quixmarley")).Hits, h => h.ClientId == client);

        // The check is recorded with its conclusion, names sealed; showing a client's name is an audited read.
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsJsonAsync($"/api/conflict-checks/{result.CheckId}/outcome", new ConflictDecision(ConflictOutcome.NeedsReview), JsonBody.Json)).StatusCode);
        var check = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().ConflictChecks.SingleAsync(c => c.Id == result.CheckId));
        Assert.Equal(ConflictOutcome.NeedsReview, check.Outcome);
        Assert.DoesNotContain("Quixmarlie", Encoding.UTF8.GetString(check.SealedNames));
        Assert.Contains(await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().EventsAboutAsync(client, 100)), e =>
            e.Type == AuditEventType.ClientFoundByConflictCheck && e.ActorId == net["attorneyA1"].Id);
        var tokens = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AdversePartyTokens.Select(t => t.Hash).ToListAsync());
        Assert.All(tokens, h => Assert.Equal(16, h.Length));   // keyed hashes only, no names
    }

    [Fact]
    public async Task Bad_conflict_and_adverse_party_input_is_refused_by_name()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        async Task<string> Rejected(string url, object body)
        {
            var response = await api.PostAsJsonAsync(url, body, JsonBody.Json);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
        var checks = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().ConflictChecks.CountAsync());
        Assert.Contains("Give at least one name to check", await Rejected("/api/conflict-checks", new ConflictCheckRequest([])));
        Assert.Contains("Give at least one name to check", await Rejected("/api/conflict-checks", new ConflictCheckRequest(["  ", "--"])));
        Assert.Contains("at most 200 characters", await Rejected("/api/conflict-checks", new ConflictCheckRequest([new string('a', 201)])));
        Assert.Equal(checks, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().ConflictChecks.CountAsync()));

        var created = await api.PostAsJsonAsync("/api/clients", new CreateClientRequest(new ClientDetails { ChosenName = "Party Person" }, null));
        var client = (await created.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        var matter = (await (await api.PostAsJsonAsync($"/api/clients/{client}/matters", new MatterInput(MatterType.Civil, null), JsonBody.Json)).Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        Assert.Contains("Name is required", await Rejected($"/api/matters/{matter}/adverse-parties", new AdversePartyInput("", null, AdverseRole.Other)));
        Assert.Contains("Choose the party", await Rejected($"/api/matters/{matter}/adverse-parties", new AdversePartyInput("Someone", null, null)));
        Assert.Contains("At most 10 aliases", await Rejected($"/api/matters/{matter}/adverse-parties", new AdversePartyInput("Someone", [.. Enumerable.Range(0, 11).Select(i => $"Alias {i}")], AdverseRole.Other)));
        Assert.Contains("Record NoConflict, Conflict or NeedsReview", await Rejected($"/api/conflict-checks/{Guid.NewGuid()}/outcome", new ConflictDecision(null)));
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsJsonAsync($"/api/conflict-checks/{Guid.NewGuid()}/outcome", new ConflictDecision(ConflictOutcome.Conflict), JsonBody.Json)).StatusCode);
        Assert.Equal(0, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AdverseParties.CountAsync(p => p.MatterId == matter)));
    }

    [Fact]
    public async Task The_conflict_check_page_runs_a_check_and_records_the_conclusion()
    {
        var net = await app.NetworkAsync();
        await app.ApiClient(net["advocateA1"].Token).PostAsJsonAsync("/api/clients", new CreateClientRequest(new ClientDetails { ChosenName = "Zebulon Trawick" }, null));
        var browser = await WebSession.SignInAsync(app, net["advocateA1"]);
        var page = await (await WebSession.SubmitAsync(browser, "/conflicts", "conflict-check", new() { ["Input.Names"] = "Zebulun Trawik" })).Content.ReadAsStringAsync();
        Assert.Contains("Zebulon Trawick", page);
        Assert.Contains("sounds alike", page);
        var checkId = System.Text.RegularExpressions.Regex.Match(page, "name=\"Decision.CheckId\" value=\"([^\"]+)\"").Groups[1].Value;
        var decided = await WebSession.SubmitAsync(browser, "/conflicts", "conflict-decision", new() { ["Decision.CheckId"] = checkId, ["Decision.Outcome"] = "Conflict" });
        Assert.Contains("Your conclusion was recorded", await decided.Content.ReadAsStringAsync());
        var empty = await WebSession.SubmitAsync(browser, "/conflicts", "conflict-check", new() { ["Input.Names"] = "" });
        Assert.Contains("Give at least one name to check", await empty.Content.ReadAsStringAsync());
    }
}

public sealed class ConflictsSqlite(SqliteApp app) : ConflictTests<SqliteApp>(app);
public sealed class ConflictsPostgres(PostgresApp app) : ConflictTests<PostgresApp>(app);
