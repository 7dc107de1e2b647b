using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Haven.Data;
using Haven.Features.Accounts;
using Haven.Features.Clients;
using Haven.Features.Deadlines;
using Haven.Features.Matters;
using Haven.Http;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

/// <summary>Tasks and deadlines, "my deadlines" and the iCalendar feed through real HTTP.</summary>
public abstract class DeadlineTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : HavenApp
{
    DateTime Now => app.Clock.GetUtcNow().UtcDateTime;

    async Task<(Guid Client, Guid Matter, string Reference)> NewMatterAsync(string staff)
    {
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net[staff].Token);
        var created = await api.PostAsJsonAsync("/api/clients", new CreateClientRequest(new ClientDetails { ChosenName = "Deadline Person Zyx" }, null));
        var client = (await created.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        var opened = await api.PostAsJsonAsync($"/api/clients/{client}/matters", new MatterInput(MatterType.Immigration, null), JsonBody.Json);
        var matter = (await opened.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        var view = await api.GetFromJsonAsync<MatterView>($"/api/matters/{matter}", JsonBody.Json);
        return (client, matter, view!.Reference);
    }

    async Task<HttpResponseMessage> AddAsync(string staff, Guid matter, TaskInput input)
    {
        var net = await app.NetworkAsync();
        return await app.ApiClient(net[staff].Token).PostAsJsonAsync($"/api/matters/{matter}/tasks", input, JsonBody.Json);
    }

    [Fact]
    public async Task My_deadlines_lists_open_tasks_most_urgent_first_and_done_ones_leave()
    {
        var net = await app.NetworkAsync();
        var (_, matter, reference) = await NewMatterAsync("attorneyA1");
        Assert.Equal(HttpStatusCode.Created, (await AddAsync("attorneyA1", matter, new TaskInput(TaskKind.FilingDeadline, Now.AddDays(3), null, [7, 1], "File the I-914"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await AddAsync("attorneyA1", matter, new TaskInput(TaskKind.FollowUp, Now.AddDays(-1), null, [], null))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await AddAsync("attorneyA1", matter, new TaskInput(TaskKind.CourtDate, Now.AddDays(20), null, [1], null))).StatusCode);
        // Assigned to a colleague: on their list, not mine.
        Assert.Equal(HttpStatusCode.Created, (await AddAsync("attorneyA1", matter, new TaskInput(TaskKind.Appointment, Now.AddDays(1), net["advocateA1"].Id, [], null))).StatusCode);

        var api = app.ApiClient(net["attorneyA1"].Token);
        var mine = (await api.GetFromJsonAsync<List<DeadlineView>>("/api/deadlines", JsonBody.Json))!.Where(d => d.MatterReference == reference).ToList();
        Assert.Equal([TaskKind.FollowUp, TaskKind.FilingDeadline, TaskKind.CourtDate], mine.Select(d => d.Kind));
        Assert.True(mine[0].Overdue(Now));
        Assert.True(mine[1].Reminding(Now));      // a week's reminder has been reached
        Assert.False(mine[2].Reminding(Now));
        Assert.Equal("File the I-914", mine[1].Details);

        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/tasks/{mine[0].Id}/complete", null)).StatusCode);
        var after = (await api.GetFromJsonAsync<List<DeadlineView>>("/api/deadlines", JsonBody.Json))!.Where(d => d.MatterReference == reference).ToList();
        Assert.Equal(2, after.Count);
        var colleague = (await app.ApiClient(net["advocateA1"].Token).GetFromJsonAsync<List<DeadlineView>>("/api/deadlines", JsonBody.Json))!;
        Assert.Contains(colleague, d => d.MatterReference == reference && d.Kind == TaskKind.Appointment);
    }

    [Fact]
    public async Task The_calendar_feed_carries_no_personal_data_and_stops_when_revoked()
    {
        var net = await app.NetworkAsync();
        var (_, matter, reference) = await NewMatterAsync("advocateA1");
        await AddAsync("advocateA1", matter, new TaskInput(TaskKind.FilingDeadline, Now.AddDays(5), null, [1], "Secret detail Zyx"));
        var api = app.ApiClient(net["advocateA1"].Token);
        var url = (await (await api.PostAsync("/api/calendar-feed", null)).Content.ReadFromJsonAsync<FeedCreated>(JsonBody.Json))!.Url;
        var path = new Uri(url).AbsolutePath;

        var anonymous = app.BrowserClient();
        var feed = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType!.MediaType);
        var text = await feed.Content.ReadAsStringAsync();
        Assert.Contains("BEGIN:VCALENDAR", text);
        Assert.Contains($"SUMMARY:Filing deadline: matter {reference}", text);
        Assert.Contains("BEGIN:VALARM", text);
        Assert.Contains("TRIGGER:-P1D", text);
        Assert.DoesNotContain("Zyx", text);                       // neither the client's name nor the task's details

        // A new address replaces the old one; revoking ends it; both say why.
        var second = (await (await api.PostAsync("/api/calendar-feed", null)).Content.ReadFromJsonAsync<FeedCreated>(JsonBody.Json))!.Url;
        var old = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.Gone, old.StatusCode);
        Assert.Contains("This calendar feed was revoked", await old.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri(second).AbsolutePath)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/calendar-feed")).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await anonymous.GetAsync(new Uri(second).AbsolutePath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/calendar/cal_not-a-real-feed-secret.ics")).StatusCode);

        // Revoking a staff member's tokens (CLI, sign out everywhere) revokes their calendar address as well.
        var status = await app.WithScopeAsync(async s =>
        {
            var user = await s.GetRequiredService<StaffAccounts>().CreateAsync(net.OrgA, $"leaver-{Guid.NewGuid():N}@test.haven.example", "Leaver", TestNetwork.Password, Roles.Advocate);
            var deadlines = s.GetRequiredService<Deadlines>();
            var secret = await deadlines.NewFeedAsync(new Haven.Security.Staff(user.Id, net.OrgA, new HashSet<string> { Roles.Advocate }));
            await s.GetRequiredService<ApiTokens>().RevokeAllAsync(user);
            return (await deadlines.FeedAsync(secret)).Status;
        });
        Assert.Equal(Deadlines.FeedStatus.Revoked, status);
    }

    [Fact]
    public async Task Bad_task_input_is_refused_by_name_and_nothing_is_stored()
    {
        var net = await app.NetworkAsync();
        var (client, matter, _) = await NewMatterAsync("advocateA1");
        async Task<string> Rejected(TaskInput input)
        {
            var response = await AddAsync("advocateA1", matter, input);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
        Assert.Contains("Choose the kind", await Rejected(new TaskInput(null, Now.AddDays(1), null, [], null)));
        Assert.Contains("Due date and time are required", await Rejected(new TaskInput(TaskKind.CourtDate, null, null, [], null)));
        Assert.Contains("within a year before and ten years after", await Rejected(new TaskInput(TaskKind.CourtDate, Now.AddYears(20), null, [], null)));
        Assert.Contains("Assign it to a colleague in your organization", await Rejected(new TaskInput(TaskKind.CourtDate, Now.AddDays(1), net["advocateB"].Id, [], null)));
        Assert.Contains("Reminders can be", await Rejected(new TaskInput(TaskKind.CourtDate, Now.AddDays(1), null, [5], null)));
        Assert.Contains("Details must be at most", await Rejected(new TaskInput(TaskKind.CourtDate, Now.AddDays(1), null, [], new string('d', 1001))));
        var malformed = await app.ApiClient(net["advocateA1"].Token).PostAsync($"/api/matters/{matter}/tasks", new StringContent("{\"dueAt\": \"tomorrow\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("$.dueAt", await malformed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await AddAsync("advocateB", matter, new TaskInput(TaskKind.CourtDate, Now.AddDays(1), null, [], null))).StatusCode);
        Assert.Equal(0, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().CaseTasks.CountAsync(t => t.ClientId == client)));
    }

    [Fact]
    public async Task Deadlines_are_added_on_the_matter_page_and_the_feed_is_managed_on_my_deadlines()
    {
        var net = await app.NetworkAsync();
        var (_, matter, reference) = await NewMatterAsync("advocateA2");
        var browser = await WebSession.SignInAsync(app, net["advocateA2"]);
        var added = await WebSession.SubmitAsync(browser, $"/matters/{matter}", "add-task", new()
        {
            ["NewTask.Kind"] = "CourtDate",
            ["NewTask.DueAt"] = Now.AddDays(2).ToString("yyyy-MM-ddTHH:mm"),
            ["NewTask.RemindDayBefore"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var bad = await WebSession.SubmitAsync(browser, $"/matters/{matter}", "add-task", new() { ["NewTask.Kind"] = "CourtDate" });
        Assert.Contains("Due date and time are required", await bad.Content.ReadAsStringAsync());

        var page = await (await browser.GetAsync("/deadlines")).Content.ReadAsStringAsync();
        Assert.Contains(reference, page);
        Assert.Contains("Court date", page);
        var created = await (await WebSession.SubmitAsync(browser, "/deadlines", "new-feed", [])).Content.ReadAsStringAsync();
        var url = Regex.Match(created, "class=\"feed-url\">([^<]+)<").Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await app.BrowserClient().GetAsync(new Uri(url).AbsolutePath)).StatusCode);
        await WebSession.SubmitAsync(browser, "/deadlines", "revoke-feed", []);
        Assert.Equal(HttpStatusCode.Gone, (await app.BrowserClient().GetAsync(new Uri(url).AbsolutePath)).StatusCode);
    }
}

public sealed class DeadlinesSqlite(SqliteApp app) : DeadlineTests<SqliteApp>(app);
public sealed class DeadlinesPostgres(PostgresApp app) : DeadlineTests<PostgresApp>(app);
