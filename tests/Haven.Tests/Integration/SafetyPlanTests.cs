using System.Net;
using System.Net.Http.Json;
using System.Text;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Features.SafetyPlans;
using Haven.Http;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

public abstract class SafetyPlanTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : HavenApp
{
    async Task<Guid> NewClientAsync()
    {
        var net = await app.NetworkAsync();
        var created = await app.ApiClient(net["advocateA1"].Token).PostAsJsonAsync("/api/clients", new CreateClientRequest(new ClientDetails { ChosenName = "Plan Person" }, null));
        return (await created.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
    }

    [Fact]
    public async Task The_team_writes_and_reads_a_sealed_audited_safety_plan()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var client = await NewClientAsync();
        Assert.True((await api.GetFromJsonAsync<SafetyPlanView>($"/api/clients/{client}/safety-plan", JsonBody.Json))!.Content.IsEmpty);

        var plan = new SafetyPlanContent { CodeWords = "Blue umbrella means call 911", SafeContactTimes = "Weekdays 10-12" };
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/clients/{client}/safety-plan", plan, JsonBody.Json)).StatusCode);
        var read = (await app.ApiClient(net["attorneyA1"].Token).GetFromJsonAsync<SafetyPlanView>($"/api/clients/{client}/safety-plan", JsonBody.Json))!;
        Assert.Equal("Blue umbrella means call 911", read.Content.CodeWords);
        Assert.Equal("advocateA1", read.UpdatedBy);

        var sealedContent = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().SafetyPlans.Where(p => p.ClientId == client).Select(p => p.SealedContent).SingleAsync());
        Assert.DoesNotContain("umbrella", Encoding.UTF8.GetString(sealedContent));
        var events = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEvents.Where(e => e.SubjectId == client).Select(e => e.Type).ToListAsync());
        Assert.Contains(AuditEventType.SafetyPlanUpdated, events);
        Assert.Equal(2, events.Count(t => t == AuditEventType.SafetyPlanViewed));

        // Not the other team (without breaking the glass), not the other organization.
        Assert.Equal(HttpStatusCode.NotFound, (await app.ApiClient(net["advocateA2"].Token).GetAsync($"/api/clients/{client}/safety-plan")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ApiClient(net["advocateB"].Token).PutAsJsonAsync($"/api/clients/{client}/safety-plan", plan, JsonBody.Json)).StatusCode);
    }

    [Fact]
    public async Task Bad_plan_input_is_refused_by_field_and_the_plan_is_unchanged()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var client = await NewClientAsync();
        await api.PutAsJsonAsync($"/api/clients/{client}/safety-plan", new SafetyPlanContent { SafePlaces = "Library on 5th" }, JsonBody.Json);

        var tooLong = await api.PutAsJsonAsync($"/api/clients/{client}/safety-plan", new SafetyPlanContent { Other = new string('x', 2001) }, JsonBody.Json);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("Other must be at most 2,000 characters", await tooLong.Content.ReadAsStringAsync());
        var control = await api.PutAsJsonAsync($"/api/clients/{client}/safety-plan", new SafetyPlanContent { CodeWords = "a\u0007b" }, JsonBody.Json);
        Assert.Contains("CodeWords must be plain text", await control.Content.ReadAsStringAsync());
        var notJson = await api.PutAsync($"/api/clients/{client}/safety-plan", new StringContent("plan", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);

        Assert.Equal("Library on 5th", (await api.GetFromJsonAsync<SafetyPlanView>($"/api/clients/{client}/safety-plan", JsonBody.Json))!.Content.SafePlaces);
    }

    [Fact]
    public async Task The_plan_is_edited_on_a_page_and_printed_in_spanish()
    {
        var net = await app.NetworkAsync();
        var client = await NewClientAsync();
        var browser = await WebSession.SignInAsync(app, net["advocateA1"]);
        var saved = await WebSession.SubmitAsync(browser, $"/clients/{client}/safety-plan/edit", "safety-plan", new()
        {
            ["Input.CodeWords"] = "Pizza order means danger",
            ["Input.SafePlaces"] = "Clinic on Main St",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var spanish = WebUtility.HtmlDecode(await (await browser.GetAsync($"/clients/{client}/safety-plan?lang=es")).Content.ReadAsStringAsync());
        Assert.Contains("Su plan de seguridad", spanish);
        Assert.Contains("Palabras clave", spanish);
        Assert.Contains("Pizza order means danger", spanish);

        var bad = await WebSession.SubmitAsync(browser, $"/clients/{client}/safety-plan/edit", "safety-plan", new() { ["Input.Other"] = new string('y', 2001) });
        Assert.Contains("Other must be at most 2,000 characters", await bad.Content.ReadAsStringAsync());
        var edit = WebUtility.HtmlDecode(await (await browser.GetAsync($"/clients/{client}/safety-plan/edit")).Content.ReadAsStringAsync());
        Assert.Contains("Pizza order means danger", edit); // the form opens with the saved plan
    }
}

public sealed class SafetyPlansSqlite(SqliteApp app) : SafetyPlanTests<SqliteApp>(app);
public sealed class SafetyPlansPostgres(PostgresApp app) : SafetyPlanTests<PostgresApp>(app);
