using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Features.Consent;
using Haven.Features.Screening;
using Haven.Http;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

public abstract class ScreeningTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : HavenApp
{
    Task<Guid> NewClientAsync(string token) => app.NewClientAsync(token, "Screen Person");

    static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    [Fact]
    public async Task Instruments_are_listed_with_questions_options_and_languages()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var list = (await api.GetFromJsonAsync<List<InstrumentInfo>>("/api/screening/instruments?lang=es", JsonBody.Json))!;
        Assert.Equal(["court-screen", "full-screen", "needs-check", "short-screen"], list.Select(i => i.Id));
        var shortScreen = list.Single(i => i.Id == "short-screen");
        Assert.Equal("es", shortScreen.Language);
        Assert.Contains(shortScreen.Languages, l => l.Code == "zh-Hans" && l.Status == TranslationStatus.Draft);
        var owes = shortScreen.Questions.Single(q => q.Id == "owes-money");
        Assert.StartsWith("¿Debe dinero", owes.Text);
        Assert.Equal(["yes", "no", "unsure", "prefer-not"], owes.Options!.Select(o => o.Id));
        Assert.Equal("owes-money", shortScreen.Questions.Single(q => q.Id == "debt-grows").ShowIf!.Question);

        var korean = (await api.GetFromJsonAsync<List<InstrumentInfo>>("/api/screening/instruments?lang=ko", JsonBody.Json))!;
        Assert.True(korean.Single(i => i.Id == "court-screen").LanguageFellBack);
        Assert.False(korean.Single(i => i.Id == "needs-check").LanguageFellBack);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ApiClient("").GetAsync("/api/screening/instruments")).StatusCode);
    }

    [Fact]
    public async Task Evaluate_returns_a_result_and_stores_nothing()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var before = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Screenings.CountAsync());
        var response = await api.PostAsync("/api/screening/evaluate", Json(new
        {
            instrument = "short-screen",
            language = "fr",
            answers = new Dictionary<string, object> { ["age"] = 30, ["work"] = new[] { "farm" }, ["job-different"] = "yes", ["documents-kept"] = "yes", ["money-taken"] = "yes", ["wants"] = new[] { "housing" } },
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<EvaluateResponse>(JsonBody.Json))!;
        Assert.True(body.LanguageFellBack);
        Assert.Contains("English is used", body.Notice);
        // Indicators on the labour track, but neither the decision rule nor every element of 7102(11)(B): the middle of the ladder.
        Assert.Equal(Summary.ConsiderFullAssessment, body.Result.Summary);
        Assert.Equal(ScreeningEngine.RulesVersion, body.Result.RulesVersion);
        Assert.Equal("1.1", body.Result.InstrumentVersion);
        Assert.Contains(body.Result.Indicators, i => i.Code == "CD.DOCUMENTS" && i.RaisedBy.Contains("documents-kept"));
        Assert.Equal(["housing"], body.Result.Needs);
        Assert.Contains(HtcdsControl.WithholdsDocuments, body.Result.MethodsOfControl);
        Assert.Equal(before, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Screenings.CountAsync()));
    }

    [Theory]
    [InlineData("""{ "instrument": "no-such", "answers": {} }""", "There is no instrument")]
    [InlineData("""{ "answers": {} }""", "Name the instrument")]
    [InlineData("""{ "instrument": "short-screen", "answers": { "favourite-colour": "blue" } }""", "is not a question of instrument")]
    [InlineData("""{ "instrument": "short-screen", "answers": { "age": "old" } }""", "takes a number")]
    [InlineData("""{ "instrument": "short-screen", "answers": { "work": "farm" } }""", "takes a list of option ids")]
    [InlineData("""{ "instrument": "short-screen", "answers": { "owes-money": "no", "debt-grows": "yes" } }""", "hidden by the skip logic")]
    [InlineData("""{ "instrument": "short-screen", "answers": [1, 2] }""", "not valid JSON for this request")]
    public async Task Bad_evaluations_name_the_problem(string body, string expected)
    {
        var net = await app.NetworkAsync();
        var response = await app.ApiClient(net["advocateA1"].Token).PostAsync("/api/screening/evaluate", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_client_screening_is_agreed_answered_in_parts_completed_sealed_and_audited()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var client = await NewClientAsync(net["advocateA1"].Token);

        // No agreement, no screening; unknown instrument named.
        var refused = await api.PostAsync("/api/screenings", Json(new { instrument = "short-screen", clientId = client, agreed = false }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("agreement", await refused.Content.ReadAsStringAsync());
        Assert.Contains("There is no instrument", await (await api.PostAsync("/api/screenings", Json(new { instrument = "nope", clientId = client, agreed = true }))).Content.ReadAsStringAsync());

        var started = await api.PostAsync("/api/screenings", Json(new { instrument = "short-screen", clientId = client, agreed = true, language = "es" }));
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;

        // First part, then pause; a bad answer changes nothing; then the rest and complete.
        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsync($"/api/screenings/{id}/answers", Json(new { answers = new Dictionary<string, object?> { ["age"] = 24, ["citizen"] = null }, complete = false }))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsync($"/api/screenings/{id}/answers", Json(new { answers = new Dictionary<string, object> { ["owes-money"] = "yes", ["debt-grows"] = "yes" }, complete = false }))).StatusCode);
        var bad = await api.PutAsync($"/api/screenings/{id}/answers", Json(new { answers = new Dictionary<string, object> { ["hurt"] = "sometimes" }, complete = true }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var paused = (await api.GetFromJsonAsync<ScreeningView>($"/api/screenings/{id}", JsonBody.Json))!;
        Assert.Equal(ScreeningStatus.InProgress, paused.Status);
        Assert.Equal("es", paused.Language);
        Assert.Equal(3, paused.Answers.Count);

        // Changing the answer that opened a follow-up drops the follow-up.
        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsync($"/api/screenings/{id}/answers", Json(new { answers = new Dictionary<string, object> { ["owes-money"] = "no", ["hurt"] = "yes", ["threatened"] = "yes", ["documents-kept"] = "yes", ["job-different"] = "yes" }, complete = true }))).StatusCode);
        var done = (await api.GetFromJsonAsync<ScreeningView>($"/api/screenings/{id}", JsonBody.Json))!;
        Assert.Equal(ScreeningStatus.Completed, done.Status);
        Assert.False(done.Answers.ContainsKey("debt-grows"));
        Assert.NotNull(done.Result);
        Assert.Contains(done.Result!.Indicators, i => i.Code == "CD.VIOLENCE");
        Assert.Contains(done.Result.NextSteps, s => s.Code == "safety-plan");
        Assert.Contains("completed", await (await api.PutAsync($"/api/screenings/{id}/answers", Json(new { answers = new { }, complete = false }))).Content.ReadAsStringAsync());

        var row = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Screenings.AsNoTracking().SingleAsync(x => x.Id == id));
        Assert.Null(row.WrappedKey);
        Assert.DoesNotContain("documents-kept", Encoding.UTF8.GetString(row.SealedAnswers));
        Assert.DoesNotContain("CD.VIOLENCE", Encoding.UTF8.GetString(row.SealedResult!));
        var events = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEvents.Where(e => e.SubjectId == client).Select(e => e.Type).ToListAsync());
        Assert.Contains(AuditEventType.ScreeningStarted, events);
        Assert.Contains(AuditEventType.ScreeningAnswered, events);
        Assert.Contains(AuditEventType.ScreeningCompleted, events);
        Assert.Contains(AuditEventType.ScreeningViewed, events);

        var list = (await api.GetFromJsonAsync<List<ScreeningSummary>>($"/api/clients/{client}/screenings", JsonBody.Json))!;
        Assert.Equal(id, Assert.Single(list).Id);
        // The other team and the other organization see nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await app.ApiClient(net["advocateA2"].Token).GetAsync($"/api/screenings/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ApiClient(net["advocateB"].Token).GetAsync($"/api/screenings/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ApiClient(net["advocateB"].Token).GetAsync($"/api/clients/{client}/screenings")).StatusCode);
    }

    [Fact]
    public async Task An_anonymous_screening_is_private_to_its_screener_until_attached_to_a_client()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var started = await api.PostAsync("/api/screenings", Json(new { instrument = "needs-check", agreed = true, language = "zh-Hans" }));
        var id = (await started.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        await api.PutAsync($"/api/screenings/{id}/answers", Json(new { answers = new Dictionary<string, object> { ["housing"] = "yes", ["legal"] = "yes", ["legal-kind"] = new[] { "immigration" } }, complete = true }));
        var row = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Screenings.AsNoTracking().SingleAsync(x => x.Id == id));
        Assert.NotNull(row.WrappedKey);
        Assert.Null(row.ClientId);

        Assert.Equal(HttpStatusCode.NotFound, (await app.ApiClient(net["attorneyA1"].Token).GetAsync($"/api/screenings/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(net["adminA"].Token).GetAsync($"/api/screenings/{id}")).StatusCode);

        // Attaching needs a client the screener may work on.
        var otherTeamClient = await NewClientAsync(net["advocateA2"].Token);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync($"/api/screenings/{id}/attach", Json(new { clientId = otherTeamClient }))).StatusCode);
        var client = await NewClientAsync(net["advocateA1"].Token);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/screenings/{id}/attach", Json(new { clientId = client }))).StatusCode);
        Assert.Contains("already belongs", await (await api.PostAsync($"/api/screenings/{id}/attach", Json(new { clientId = client }))).Content.ReadAsStringAsync());

        var view = (await app.ApiClient(net["attorneyA1"].Token).GetFromJsonAsync<ScreeningView>($"/api/screenings/{id}", JsonBody.Json))!;
        Assert.Equal(client, view.ClientId);
        Assert.Null(view.Result!.Summary);
        Assert.Equal(["housing", "legal-immigration"], view.Result.Needs);
        row = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Screenings.AsNoTracking().SingleAsync(x => x.Id == id));
        Assert.Null(row.WrappedKey);
        Assert.Contains(AuditEventType.ScreeningAttached, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEvents.Where(e => e.SubjectId == client).Select(e => e.Type).ToListAsync()));
    }

    [Fact]
    public async Task A_stopped_screening_keeps_its_answers_and_takes_no_more()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var client = await NewClientAsync(net["advocateA1"].Token);
        var id = (await (await api.PostAsync("/api/screenings", Json(new { instrument = "full-screen", clientId = client, agreed = true }))).Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        await api.PutAsync($"/api/screenings/{id}/answers", Json(new { answers = new Dictionary<string, object> { ["age"] = 40 }, complete = false }));
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/screenings/{id}/stop", null)).StatusCode);
        var view = (await api.GetFromJsonAsync<ScreeningView>($"/api/screenings/{id}", JsonBody.Json))!;
        Assert.Equal(ScreeningStatus.Stopped, view.Status);
        Assert.Null(view.Result);
        Assert.Single(view.Answers);
        Assert.Contains("stopped", await (await api.PutAsync($"/api/screenings/{id}/answers", Json(new { answers = new { }, complete = true }))).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Screening_results_leave_only_through_the_guard_and_never_with_the_answers()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var client = await NewClientAsync(net["advocateA1"].Token);
        var id = (await (await api.PostAsync("/api/screenings", Json(new { instrument = "short-screen", clientId = client, agreed = true }))).Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        await api.PutAsync($"/api/screenings/{id}/answers", Json(new { answers = new Dictionary<string, object> { ["documents-kept"] = "yes", ["wants"] = new[] { "housing" } }, complete = true }));

        var export = new { recipientClass = "Attorney", categories = new[] { "ScreeningResults" } };
        var refused = await api.PostAsync($"/api/clients/{client}/disclosures", Json(export));
        Assert.DoesNotContain("Documents taken away", await refused.Content.ReadAsStringAsync());

        var grant = await app.GrantAsync(net["advocateA1"].Token, client, RecipientClass.Attorney, DataCategory.ScreeningResults);
        Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
        var allowed = await (await api.PostAsync($"/api/clients/{client}/disclosures", Json(export))).Content.ReadAsStringAsync();
        Assert.Contains("Documents taken away", allowed);
        Assert.Contains("Housing or a safe place to stay", allowed);
        Assert.DoesNotContain("documents-kept", allowed);
    }

    // A result given by rules since corrected: a notice, and evaluating the same answers again under the current rules,
    // audited, with the old result kept in the history and answers to reworded questions not carried over.
    [Fact]
    public async Task A_result_from_corrected_rules_is_flagged_and_evaluated_again_keeping_the_old_one()
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var client = await NewClientAsync(net["advocateA1"].Token);
        var id = (await (await api.PostAsync("/api/screenings", Json(new { instrument = "full-screen", clientId = client, agreed = true }))).Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        // Answered under version 1.0: hard times alone, and long hours (a question reworded in 1.1).
        var answers = new Dictionary<string, object> { ["age"] = 33, ["work"] = new[] { "sex-work" }, ["hard-times"] = new[] { "money", "status" }, ["long-hours"] = "yes", ["trusted-recruiter"] = "yes" };
        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsync($"/api/screenings/{id}/answers", Json(new { answers, complete = true }))).StatusCode);
        Assert.Null((await api.GetFromJsonAsync<ScreeningView>($"/api/screenings/{id}", JsonBody.Json))!.Outdated);

        // Make the stored result what rules 1.0 gave and stored (a bare result, no rules version): "indicators present" from poverty and papers.
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HavenDb>();
            var row = await db.Screenings.SingleAsync(x => x.Id == id);
            var owner = await db.Clients.SingleAsync(c => c.Id == client);
            var keys = await s.GetRequiredService<Haven.Security.KeyRing>().ForOrganizationAsync(db, row.OrganizationId);
            var current = StoredResult.Read(ClientRecords.OpenFor(keys, owner, id, row.SealedResult!)).Result;
            var legacy = current with
            {
                InstrumentVersion = "1.0",
                RulesVersion = null,
                Summary = Summary.IndicatorsPresent,
                SummaryText = "Indicators present",
                Indicators = [new IndicatorFinding("AR.ECONOMIC", IndicatorKind.Operational, "Abuse of economic hardship", Dimension.RecruitmentByAbuseOfVulnerability, ["hard-times"])],
            };
            row.SealedResult = ClientRecords.SealFor(keys, owner, id, JsonSerializer.SerializeToUtf8Bytes(legacy, JsonBody.Json));
            row.InstrumentVersion = "1.0";
            await db.SaveChangesAsync();
            return 0;
        });
        var flagged = (await api.GetFromJsonAsync<ScreeningView>($"/api/screenings/{id}", JsonBody.Json))!;
        Assert.Contains("rules 1.0", flagged.Outdated);
        Assert.Equal(Summary.IndicatorsPresent, flagged.Result!.Summary);

        // The result page shows the notice; its button evaluates again (the API does the same: POST .../reevaluate).
        var browser = await WebSession.SignInAsync(app, net["advocateA1"]);
        Assert.Contains("This result may not follow the current rules", WebUtility.HtmlDecode(await browser.GetStringAsync($"/screenings/{id}/result")));
        var submitted = await WebSession.SubmitAsync(browser, $"/screenings/{id}/result", "reevaluate", []);
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync($"/screenings/{id}/result"));
        Assert.DoesNotContain("may not follow the current rules", page);
        Assert.Contains("Earlier results", page);
        Assert.Contains("Not carried over", page);
        var view = (await api.GetFromJsonAsync<ScreeningView>($"/api/screenings/{id}", JsonBody.Json))!;
        Assert.Null(view.Outdated);
        Assert.Equal(ScreeningEngine.RulesVersion, view.Result!.RulesVersion);
        Assert.Equal(Summary.NoIndicatorsIdentified, view.Result.Summary);
        Assert.Contains(Facts.SituationPrefix + "money", view.Result.Facts);
        Assert.Equal(["long-hours"], view.NotCarriedOver);
        var earlier = Assert.Single(view.Earlier!);
        Assert.Equal(Summary.IndicatorsPresent, earlier.Result.Summary);
        Assert.Equal("1.0", earlier.Result.Rules);
        Assert.Equal(answers.Count, view.Answers.Count);

        var events = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEvents.Where(e => e.SubjectId == client).Select(e => e.Type).ToListAsync());
        Assert.Contains(AuditEventType.ScreeningReevaluated, events);

        // Only a completed screening, and only one the staff member may see.
        var open = (await (await api.PostAsync("/api/screenings", Json(new { instrument = "short-screen", clientId = client, agreed = true }))).Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        var refused = await api.PostAsync($"/api/screenings/{open}/reevaluate", Json(new { }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Only a completed screening", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"/api/screenings/{Guid.NewGuid()}/reevaluate", Json(new { }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ApiClient(net["advocateB"].Token).PostAsync($"/api/screenings/{id}/reevaluate", Json(new { }))).StatusCode);
    }
}

public sealed class ScreeningSqlite(SqliteApp app) : ScreeningTests<SqliteApp>(app);
public sealed class ScreeningPostgres(PostgresApp app) : ScreeningTests<PostgresApp>(app);

public abstract class ScreeningPageTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : HavenApp
{
    static string PathOf(Uri location) => location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString;

    [Fact]
    public async Task Screening_forms_refuse_bad_input_with_clear_errors_and_keep_what_was_stored()
    {
        var net = await app.NetworkAsync();
        var client = await app.NewClientAsync(net["advocateA1"].Token, "Form Person");
        var browser = await WebSession.SignInAsync(app, net["advocateA1"]);

        // Start: no instrument, no agreement.
        var refused = WebUtility.HtmlDecode(await (await WebSession.SubmitAsync(browser, $"/clients/{client}/screenings", "start-screening", new() { ["Input.Language"] = "en" })).Content.ReadAsStringAsync());
        Assert.Contains("Choose an instrument.", refused);
        Assert.Contains("Record the person's agreement to be screened before starting.", refused);
        var started = await WebSession.SubmitAsync(browser, $"/clients/{client}/screenings", "start-screening",
            new() { ["Input.Instrument"] = "short-screen", ["Input.Language"] = "es", ["Input.Agreed"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var screening = PathOf(started.Headers.Location!);

        // Answers: a number that is not one, and one out of range; nothing is stored.
        async Task<string> Post(Dictionary<string, string> fields) =>
            WebUtility.HtmlDecode(await (await WebSession.SubmitAsync(browser, screening, "answers", fields)).Content.ReadAsStringAsync());
        Assert.Contains("\"age\" takes a number.", await Post(new() { ["section"] = "0", ["shown"] = "age,started-under-18,work,citizen", ["q.age"] = "veinte", ["action"] = "next" }));
        Assert.Contains("\"age\" takes a number from 0 to 120.", await Post(new() { ["section"] = "0", ["shown"] = "age", ["q.age"] = "130", ["action"] = "next" }));
        Assert.Contains("\"colour\" is not an option of \"work\"", await Post(new() { ["section"] = "0", ["shown"] = "work", ["q.work"] = "colour", ["action"] = "next" }));
        var view = await app.ApiClient(net["advocateA1"].Token).GetFromJsonAsync<ScreeningView>("/api" + screening, JsonBody.Json);
        Assert.Empty(view!.Answers);

        // A good save moves on to the next section; the page shows the Spanish wording and the draft notice.
        var next = await WebSession.SubmitAsync(browser, screening, "answers", new() { ["section"] = "0", ["shown"] = "age,started-under-18,work,citizen", ["q.age"] = "31", ["action"] = "next" });
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.EndsWith("?section=1", next.Headers.Location!.OriginalString);
        var page = WebUtility.HtmlDecode(await (await browser.GetAsync(next.Headers.Location)).Content.ReadAsStringAsync());
        Assert.Contains("¿El trabajo, el lugar o el jefe eran diferentes", page);
        Assert.Contains("a native speaker has not reviewed it yet", page);

        // Attach form on an anonymous screening: an unknown reference is refused.
        var anonymous = await WebSession.SubmitAsync(browser, "/screenings", "start-screening", new() { ["Input.Instrument"] = "needs-check", ["Input.Agreed"] = "true" });
        var anonymousUrl = PathOf(anonymous.Headers.Location!);
        await WebSession.SubmitAsync(browser, anonymousUrl, "answers", new() { ["section"] = "4", ["shown"] = "documents", ["q.documents"] = "yes", ["action"] = "finish" });
        var attach = WebUtility.HtmlDecode(await (await WebSession.SubmitAsync(browser, anonymousUrl + "/result", "attach", new() { ["Input.Reference"] = "C-NOSUCH00" })).Content.ReadAsStringAsync());
        Assert.Contains("Choose a client whose record you may work on.", attach);
        Assert.Contains("Identity documents", attach);

        // Reporting duties: only org admins, and not too long.
        Assert.NotEqual(HttpStatusCode.OK, (await browser.GetAsync("/organization/reporting-duties")).StatusCode);
        var admin = await WebSession.SignInAsync(app, net["adminA"]);
        var tooLong = WebUtility.HtmlDecode(await (await WebSession.SubmitAsync(admin, "/organization/reporting-duties", "reporting-duties", new() { ["Input.Text"] = new string('x', 4001) })).Content.ReadAsStringAsync());
        Assert.Contains("Reporting duties must be at most 4,000 characters.", tooLong);
        var saved = WebUtility.HtmlDecode(await (await WebSession.SubmitAsync(admin, "/organization/reporting-duties", "reporting-duties", new() { ["Input.Text"] = "Call the state child abuse hotline within 24 hours." })).Content.ReadAsStringAsync());
        Assert.Contains("Saved.", saved);
        Assert.Equal("Call the state child abuse hotline within 24 hours.", await app.WithScopeAsync(s => s.GetRequiredService<Haven.Features.Organizations.Network>().ReportingDutiesAsync(net.OrgA)));
    }
}

public sealed class ScreeningPagesSqlite(SqliteApp app) : ScreeningPageTests<SqliteApp>(app);
public sealed class ScreeningPagesPostgres(PostgresApp app) : ScreeningPageTests<PostgresApp>(app);
