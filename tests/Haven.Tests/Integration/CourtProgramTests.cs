using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Features.Consent;
using Haven.Features.CourtProgram;
using Haven.Http;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

public abstract class CourtProgramTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : HavenApp
{
    static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    [Fact]
    public async Task The_calendar_holds_people_scheduled_with_screen_status_and_outcome()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var client = await app.NewClientAsync(net["advocateA1"].Token, "Court Person");
        var day = new DateOnly(2026, 12, 3);

        var bad = await api.PostAsync("/api/court/appearances", Json(new { clientId = client, docketNumber = "", courtPart = "", charges = new string('x', 501) }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problems = await bad.Content.ReadAsStringAsync();
        foreach (var expected in new[] { "Docket number is required.", "Court part is required", "Appearance date is required.", "Charges must be at most 500" })
            Assert.Contains(expected, problems);
        Assert.Equal(0, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().CourtAppearances.CountAsync(a => a.ClientId == client)));

        var added = await api.PostAsync("/api/court/appearances", Json(new { clientId = client, docketNumber = "CR-2026-004512", courtPart = "AP-7", appearsOn = day, charges = "Loitering" }));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var id = (await added.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        var sealedDetails = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().CourtAppearances.Where(a => a.Id == id).Select(a => a.SealedDetails).SingleAsync());
        Assert.DoesNotContain("CR-2026", Encoding.UTF8.GetString(sealedDetails));

        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/court/calendar?date=3/12/2026")).StatusCode);
        var line = Assert.Single((await api.GetFromJsonAsync<List<CalendarLine>>($"/api/court/calendar?date={day:yyyy-MM-dd}&part=AP-7", JsonBody.Json))!, l => l.Id == id);
        Assert.Equal("CR-2026-004512", line.DocketNumber);
        Assert.Equal("Court Person", line.Name);
        Assert.Equal(ScreenStatus.NotStarted, line.Screen);
        Assert.Empty((await api.GetFromJsonAsync<List<CalendarLine>>($"/api/court/calendar?date={day:yyyy-MM-dd}&part=AP-9", JsonBody.Json))!);
        // Another team sees the line but not who it is; another organization sees nothing.
        var other = Assert.Single((await app.ApiClient(net["advocateA2"].Token).GetFromJsonAsync<List<CalendarLine>>($"/api/court/calendar?date={day:yyyy-MM-dd}", JsonBody.Json))!, l => l.Id == id);
        Assert.Null(other.Name);
        Assert.Null(other.DocketNumber);
        Assert.DoesNotContain((await app.ApiClient(net["advocateB"].Token).GetFromJsonAsync<List<CalendarLine>>($"/api/court/calendar?date={day:yyyy-MM-dd}", JsonBody.Json))!, l => l.Id == id);

        // The screen: agreement first, once per appearance.
        Assert.Contains("agreement", await (await api.PostAsync($"/api/court/appearances/{id}/screening", Json(new { agreed = false }))).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync($"/api/court/appearances/{id}/screening", Json(new { agreed = true, language = "es" }))).StatusCode);
        Assert.Contains("already started", await (await api.PostAsync($"/api/court/appearances/{id}/screening", Json(new { agreed = true }))).Content.ReadAsStringAsync());

        var maybe = await api.PutAsync($"/api/court/appearances/{id}/outcome", Json(new { outcome = "Maybe" }));
        Assert.Equal(HttpStatusCode.BadRequest, maybe.StatusCode);
        Assert.Contains("$.outcome", await maybe.Content.ReadAsStringAsync());
        Assert.Contains("Record Offered, Accepted or Declined.", await (await api.PutAsync($"/api/court/appearances/{id}/outcome", Json(new { outcome = (string?)null }))).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsync($"/api/court/appearances/{id}/outcome", Json(new { outcome = "Accepted" }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ApiClient(net["advocateA2"].Token).PutAsync($"/api/court/appearances/{id}/outcome", Json(new { outcome = "Declined" }))).StatusCode);

        line = (await api.GetFromJsonAsync<List<CalendarLine>>($"/api/court/calendar?date={day:yyyy-MM-dd}", JsonBody.Json))!.Single(l => l.Id == id);
        Assert.Equal(ScreenStatus.InProgress, line.Screen);
        Assert.Equal(ServicesOutcome.Accepted, line.Outcome);
        var events = (await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().EventsAboutAsync(client, 100))).Select(e => e.Type).ToList();
        Assert.Contains(AuditEventType.CourtAppearanceAdded, events);
        Assert.Contains(AuditEventType.CourtCalendarViewed, events);
        Assert.Contains(AuditEventType.CourtOutcomeRecorded, events);
    }

    [Fact]
    public async Task The_letter_to_the_court_passes_the_guard_and_never_carries_screening_answers()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var client = await app.NewClientAsync(net["advocateA1"].Token, "Letter Person");
        var id = (await (await api.PostAsync("/api/court/appearances", Json(new { clientId = client, docketNumber = "CR-2026-777", courtPart = "AP-2", appearsOn = new DateOnly(2026, 12, 4) })))
            .Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        var screening = (await (await api.PostAsync($"/api/court/appearances/{id}/screening", Json(new { agreed = true }))).Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        await api.PutAsync($"/api/screenings/{screening}/answers", Json(new { answers = new Dictionary<string, object> { ["hurt"] = "yes", ["wants"] = new[] { "counseling" } }, complete = true }));

        var body = new { statements = new[] { "Attended two counseling sessions", "Is enrolled in a job training program" }, language = "en" };
        var refused = await api.PostAsync($"/api/court/appearances/{id}/letter", Json(body));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var disclosures = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Disclosures.Where(d => d.ClientId == client).ToListAsync());
        Assert.Equal(DataCategory.None, Assert.Single(disclosures).Allowed);
        Assert.Equal(DisclosureChannel.CourtLetter, disclosures[0].Channel);

        Assert.Contains("at least one statement", await (await api.PostAsync($"/api/court/appearances/{id}/letter", Json(new { statements = Array.Empty<string>() }))).Content.ReadAsStringAsync());
        Assert.Contains("At most 10 statements", await (await api.PostAsync($"/api/court/appearances/{id}/letter", Json(new { statements = Enumerable.Repeat("x", 11) }))).Content.ReadAsStringAsync());
        Assert.Contains("English (en) or Spanish (es)", await (await api.PostAsync($"/api/court/appearances/{id}/letter", Json(new { statements = new[] { "x" }, language = "fr" }))).Content.ReadAsStringAsync());

        var grant = await app.GrantAsync(net["advocateA1"].Token, client, RecipientClass.Court, DataCategory.Identity, DataCategory.CaseNotes);
        Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
        var allowed = await api.PostAsync($"/api/court/appearances/{id}/letter", Json(body));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var letter = (await allowed.Content.ReadFromJsonAsync<CourtLetter>(JsonBody.Json))!;
        Assert.Equal("Letter Person", letter.Name);
        Assert.Equal("CR-2026-777", letter.DocketNumber);
        Assert.Equal(body.statements, letter.Statements);
        var text = await allowed.Content.ReadAsStringAsync();
        foreach (var never in new[] { "hurt", "CD.VIOLENCE", "Violence", "counseling\"]", "indicator" })
            Assert.DoesNotContain(never, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Court_pages_add_people_refuse_bad_input_and_print_the_letter_only_with_consent()
    {
        var net = await app.NetworkAsync();
        var browser = await WebSession.SignInAsync(app, net["advocateA1"]);
        var bad = WebUtility.HtmlDecode(await (await WebSession.SubmitAsync(browser, "/court?date=2026-12-07", "add-appearance",
            new() { ["Input.Reference"] = "C-NOSUCH00", ["Input.DocketNumber"] = "D-1", ["Input.CourtPart"] = "AP-1", ["Input.AppearsOn"] = "2026-12-07" })).Content.ReadAsStringAsync());
        Assert.Contains("No client of your organization has that reference.", bad);
        var missing = WebUtility.HtmlDecode(await (await WebSession.SubmitAsync(browser, "/court?date=2026-12-07", "add-appearance",
            new() { ["Input.NewClientName"] = "Walk In Person", ["Input.AppearsOn"] = "2026-12-07" })).Content.ReadAsStringAsync());
        Assert.Contains("Docket number is required.", missing);

        var added = await WebSession.SubmitAsync(browser, "/court?date=2026-12-07", "add-appearance",
            new() { ["Input.NewClientName"] = "Walk In Person", ["Input.DocketNumber"] = "CR-2026-55", ["Input.CourtPart"] = "AP-1", ["Input.AppearsOn"] = "2026-12-07" });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var calendar = WebUtility.HtmlDecode(await (await browser.GetAsync("/court?date=2026-12-07")).Content.ReadAsStringAsync());
        Assert.Contains("Walk In Person", calendar);
        Assert.Contains("CR-2026-55", calendar);
        var appearance = System.Text.RegularExpressions.Regex.Match(calendar, "/court/appearances/[0-9a-f-]{36}").Value;

        var refused = WebUtility.HtmlDecode(await (await WebSession.SubmitAsync(browser, appearance, "court-letter",
            new() { ["Letter.Statements"] = "Attended two counseling sessions", ["Letter.Language"] = "es" })).Content.ReadAsStringAsync());
        Assert.Contains("No consent in force lets us share case notes with the court.", refused);
        var empty = WebUtility.HtmlDecode(await (await WebSession.SubmitAsync(browser, appearance, "court-letter", new() { ["Letter.Statements"] = "  " })).Content.ReadAsStringAsync());
        Assert.Contains("Write at least one statement", empty);

        var clientId = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().CourtAppearances.Where(a => a.Id == Guid.Parse(appearance.Split('/').Last())).Select(a => a.ClientId).SingleAsync());
        Assert.Equal(HttpStatusCode.Created, (await app.GrantAsync(net["advocateA1"].Token, clientId, RecipientClass.Court, DataCategory.Identity, DataCategory.CaseNotes)).StatusCode);
        var letter = WebUtility.HtmlDecode(await (await WebSession.SubmitAsync(browser, appearance, "court-letter",
            new() { ["Letter.Statements"] = "Asistió a dos sesiones de consejería", ["Letter.Language"] = "es" })).Content.ReadAsStringAsync());
        Assert.Contains("Carta a la corte", letter);
        Assert.Contains("Asistió a dos sesiones de consejería", letter);
        Assert.Contains("CR-2026-55", letter);
    }
}

public sealed class CourtProgramSqlite(SqliteApp app) : CourtProgramTests<SqliteApp>(app);
public sealed class CourtProgramPostgres(PostgresApp app) : CourtProgramTests<PostgresApp>(app);
