using System.Net;
using System.Net.Http.Json;
using System.Text;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Features.Matters;
using Haven.Http;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

/// <summary>Matters and notes through real HTTP: numbering, status, privileged notes, encryption, audit and tenancy.</summary>
public abstract class MatterTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : HavenApp
{
    DateOnly Today => DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);

    async Task<(Guid Client, Guid Matter)> NewMatterAsync(MatterType type = MatterType.Immigration)
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var created = await api.PostAsJsonAsync("/api/clients", new CreateClientRequest(new ClientDetails { ChosenName = "Matter Person" }, null));
        var client = (await created.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        var opened = await api.PostAsJsonAsync($"/api/clients/{client}/matters", new MatterInput(type, null), JsonBody.Json);
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        return (client, (await opened.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value);
    }

    async Task<HttpResponseMessage> NoteAsync(string staff, Guid matter, string body, NoteVisibility visibility)
    {
        var net = await app.NetworkAsync();
        return await app.ApiClient(net[staff].Token).PostAsJsonAsync($"/api/matters/{matter}/notes", new NoteInput(body, visibility), JsonBody.Json);
    }

    async Task<MatterView> ViewAsync(string staff, Guid matter)
    {
        var net = await app.NetworkAsync();
        return (await app.ApiClient(net[staff].Token).GetFromJsonAsync<MatterView>($"/api/matters/{matter}", JsonBody.Json))!;
    }

    [Fact]
    public async Task Matters_are_numbered_listed_and_closed_with_an_outcome()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var (client, first) = await NewMatterAsync();
        var second = (await (await api.PostAsJsonAsync($"/api/clients/{client}/matters", new MatterInput(MatterType.Housing, Today.AddDays(-3)), JsonBody.Json))
            .Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        var list = (await api.GetFromJsonAsync<List<MatterSummary>>($"/api/clients/{client}/matters", JsonBody.Json))!;
        Assert.Equal(2, list.Count);
        var numbers = list.Select(m => int.Parse(m.Reference[2..])).Order().ToList();
        Assert.True(numbers[0] > 1000 && numbers[1] == numbers[0] + 1);

        var closed = await api.PutAsJsonAsync($"/api/matters/{second}", new MatterUpdate(MatterStatus.Closed, null, "Lease signed"), JsonBody.Json);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var view = await ViewAsync("advocateA1", second);
        Assert.Equal(MatterStatus.Closed, view.Status);
        Assert.Equal(Today, view.ClosedOn);
        Assert.Equal("Lease signed", view.Outcome);
        Assert.Equal(MatterStatus.Open, (await ViewAsync("advocateA1", first)).Status);
    }

    [Fact]
    public async Task Bad_matter_and_note_input_is_refused_by_name_and_nothing_changes()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var (client, matter) = await NewMatterAsync();
        async Task<string> Rejected(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
        Assert.Contains("Choose the type of matter", await Rejected(await api.PostAsJsonAsync($"/api/clients/{client}/matters", new MatterInput(null, null), JsonBody.Json)));
        Assert.Contains("cannot be opened in the future", await Rejected(await api.PostAsJsonAsync($"/api/clients/{client}/matters", new MatterInput(MatterType.Civil, Today.AddDays(2)), JsonBody.Json)));
        Assert.Contains("$.type", await Rejected(await api.PostAsync($"/api/clients/{client}/matters", new StringContent("{\"type\":\"Astrology\"}", Encoding.UTF8, "application/json"))));
        Assert.Contains("on or after the opened date", await Rejected(await api.PutAsJsonAsync($"/api/matters/{matter}", new MatterUpdate(MatterStatus.Closed, Today.AddYears(-1), null), JsonBody.Json)));
        Assert.Contains("Only a closed matter has a closed date", await Rejected(await api.PutAsJsonAsync($"/api/matters/{matter}", new MatterUpdate(MatterStatus.Pending, Today, null), JsonBody.Json)));
        Assert.Contains("Outcome must be at most", await Rejected(await api.PutAsJsonAsync($"/api/matters/{matter}", new MatterUpdate(MatterStatus.Closed, null, new string('o', 2001)), JsonBody.Json)));
        Assert.Contains("A note can be at most 20,000 characters", await Rejected(await NoteAsync("advocateA1", matter, new string('n', 20_001), NoteVisibility.Team)));
        Assert.Contains("The note is empty", await Rejected(await NoteAsync("advocateA1", matter, "   ", NoteVisibility.Team)));
        Assert.Contains("Only attorneys on the client's team write privileged notes", await Rejected(await NoteAsync("advocateA1", matter, "Advocate tries", NoteVisibility.Privileged)));

        Assert.Equal(1, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Matters.CountAsync(m => m.ClientId == client)));
        Assert.Equal(0, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Notes.CountAsync(n => n.MatterId == matter)));
        Assert.Equal(MatterStatus.Open, (await ViewAsync("advocateA1", matter)).Status);
    }

    [Fact]
    public async Task A_privileged_note_is_read_only_by_the_clients_attorneys()
    {
        var net = await app.NetworkAsync();
        var (client, matter) = await NewMatterAsync();
        Assert.Equal(HttpStatusCode.Created, (await NoteAsync("advocateA1", matter, "Team note: prefers evening calls", NoteVisibility.Team)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await NoteAsync("attorneyA1", matter, "Privileged: strategy for the T visa", NoteVisibility.Privileged)).StatusCode);

        var attorney = await ViewAsync("attorneyA1", matter);
        Assert.Equal(["Team note: prefers evening calls", "Privileged: strategy for the T visa"], attorney.Notes.Select(n => n.Body));

        // The advocate and the (non-attorney) org admin see that a privileged note exists, not what it says.
        foreach (var who in new[] { "advocateA1", "adminA" })
        {
            var view = await ViewAsync(who, matter);
            Assert.Equal(2, view.Notes.Count);
            Assert.Equal("Team note: prefers evening calls", view.Notes[0].Body);
            Assert.True(view.Notes[1].Withheld);
            Assert.Equal(NoteVisibility.Privileged, view.Notes[1].Visibility);
        }

        // Breaking the glass opens the record but never privileged notes.
        var outsider = app.ApiClient(net["advocateA2"].Token);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/matters/{matter}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await outsider.PostAsJsonAsync($"/api/clients/{client}/break-glass", new BreakGlassRequest("Covering for a colleague on leave today"))).StatusCode);
        var glass = await ViewAsync("advocateA2", matter);
        Assert.True(glass.Notes[1].Withheld);

        // Another organization cannot reach the matter at all.
        Assert.Equal(HttpStatusCode.NotFound, (await app.ApiClient(net["advocateB"].Token).GetAsync($"/api/matters/{matter}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await NoteAsync("advocateB", matter, "Intrusion", NoteVisibility.Team)).StatusCode);

        // Notes are sealed at rest, and reads are audited against the client.
        var bodies = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Notes.Where(n => n.MatterId == matter).Select(n => n.SealedBody).ToListAsync());
        Assert.All(bodies, b => Assert.DoesNotContain("strategy", Encoding.UTF8.GetString(b)));
        var events = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEvents.Where(e => e.SubjectId == client).ToListAsync());
        Assert.Equal(2, events.Count(e => e.Type == AuditEventType.NoteWritten));
        Assert.Contains(events, e => e.Type == AuditEventType.NotesRead && e.ActorId == net["attorneyA1"].Id);
        Assert.Contains(events, e => e.Type == AuditEventType.NotesRead && e.ActorId == net["advocateA2"].Id && e.Purpose == "break-glass");
    }

    [Fact]
    public async Task The_matter_page_says_a_privileged_note_exists_without_showing_it()
    {
        var net = await app.NetworkAsync();
        var (_, matter) = await NewMatterAsync();
        await NoteAsync("attorneyA1", matter, "Privileged page note", NoteVisibility.Privileged);
        var advocate = await WebSession.SignInAsync(app, net["advocateA1"]);
        var page = await (await advocate.GetAsync($"/matters/{matter}")).Content.ReadAsStringAsync();
        Assert.Contains("A privileged note exists here", page);
        Assert.DoesNotContain("Privileged page note", page);
        Assert.DoesNotContain("value=\"Privileged\"", page); // advocates are not offered privileged notes

        var attorney = await WebSession.SignInAsync(app, net["attorneyA1"]);
        Assert.Contains("Privileged page note", await (await attorney.GetAsync($"/matters/{matter}")).Content.ReadAsStringAsync());

        // A note written on the page, and a bad one named on the page.
        var added = await WebSession.SubmitAsync(advocate, $"/matters/{matter}", "add-note", new() { ["Note.Body"] = "Called back, all fine", ["Note.Visibility"] = "Team" });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var empty = await WebSession.SubmitAsync(advocate, $"/matters/{matter}", "add-note", new() { ["Note.Body"] = "", ["Note.Visibility"] = "Team" });
        Assert.Contains("The note is empty", await empty.Content.ReadAsStringAsync());
    }
}

public sealed class MattersSqlite(SqliteApp app) : MatterTests<SqliteApp>(app);
public sealed class MattersPostgres(PostgresApp app) : MatterTests<PostgresApp>(app);
