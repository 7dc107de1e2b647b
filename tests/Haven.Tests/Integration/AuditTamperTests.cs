using System.Net.Http.Json;
using Haven.Data;
using Haven.Features.Accounts;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Http;
using Haven.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

/// <summary>Someone with write access to the database changes the audit log; verification finds where.</summary>
public abstract class AuditTamperTests<TApp> where TApp : HavenApp, new()
{
    static async Task<TApp> AppWithHistoryAsync()
    {
        var app = new TApp();
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        for (var i = 0; i < 5; i++)
        {
            var created = await api.PostAsJsonAsync("/api/clients", new CreateClientRequest(new ClientDetails { ChosenName = $"Audit Person {i}" }, null));
            var id = (await created.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id;
            await api.GetAsync($"/api/clients/{id}");
            if (i == 2) await api.GetAsync("/api/clients");   // one event about the three clients listed
        }
        return app;
    }

    static Task<AuditVerification> VerifyAsync(HavenApp app) =>
        app.WithScopeAsync(s => AuditChain.VerifyAsync(s.GetRequiredService<HavenDb>()));

    static Task Sql(HavenApp app, string sql) =>
        app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Database.ExecuteSqlRawAsync(sql));

    static async Task<long> MiddleAsync(HavenApp app) =>
        await app.WithScopeAsync(async s => await s.GetRequiredService<HavenDb>().AuditEvents.MaxAsync(e => e.Seq)) / 2;

    [Fact]
    public async Task An_intact_log_verifies_and_an_edited_event_is_found()
    {
        await using var app = await AppWithHistoryAsync();
        var intact = await VerifyAsync(app);
        Assert.True(intact.Intact, intact.Problem);
        Assert.True(intact.EventsChecked > 10);

        var k = await MiddleAsync(app);
        await Sql(app, $"UPDATE \"AuditEvents\" SET \"Purpose\" = 'forged' WHERE \"Seq\" = {k}");
        var result = await VerifyAsync(app);
        Assert.Equal(k, result.FirstBadSeq);
        Assert.Contains("edited", result.Problem);
    }

    [Fact]
    public async Task A_deleted_event_is_found()
    {
        await using var app = await AppWithHistoryAsync();
        var k = await MiddleAsync(app);
        await Sql(app, $"DELETE FROM \"AuditEvents\" WHERE \"Seq\" = {k}");
        var result = await VerifyAsync(app);
        Assert.Equal(k + 1, result.FirstBadSeq);
        Assert.Contains("missing", result.Problem);
    }

    [Fact]
    public async Task An_inserted_event_is_found()
    {
        await using var app = await AppWithHistoryAsync();
        var k = await MiddleAsync(app);
        // Make room at k by renumbering everything after it, then slip in a copy of its neighbour.
        await Sql(app, $"UPDATE \"AuditEvents\" SET \"Seq\" = -\"Seq\" WHERE \"Seq\" >= {k}");
        await Sql(app, "UPDATE \"AuditEvents\" SET \"Seq\" = -\"Seq\" + 1 WHERE \"Seq\" < 0");
        await Sql(app, $"INSERT INTO \"AuditEvents\" (\"Seq\", \"AtMs\", \"Type\", \"ActorId\", \"OrganizationId\", \"SubjectId\", \"Purpose\", \"PreviousHash\", \"Hash\") " +
                       $"SELECT {k}, \"AtMs\", \"Type\", \"ActorId\", \"OrganizationId\", \"SubjectId\", \"Purpose\", \"PreviousHash\", \"Hash\" FROM \"AuditEvents\" WHERE \"Seq\" = {k - 1}");
        var result = await VerifyAsync(app);
        Assert.Equal(k, result.FirstBadSeq);
    }

    static Task<long> ListedAsync(HavenApp app) =>
        app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEvents.Where(e => e.Type == AuditEventType.ClientListed).Select(e => e.Seq).SingleAsync());

    static Task<byte[]> SubjectsOfAsync(HavenApp app, long seq) =>
        app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEvents.Where(e => e.Seq == seq).Select(e => e.Subjects!).SingleAsync());

    [Fact]
    public async Task A_client_taken_from_or_added_to_an_event_about_many_is_found()
    {
        await using var app = await AppWithHistoryAsync();
        var listed = await ListedAsync(app);
        var subjects = await SubjectsOfAsync(app, listed);
        Assert.Equal(3, AuditEvent.Unpack(subjects).Count());
        Assert.True((await VerifyAsync(app)).Intact);

        foreach (var forged in new[] { subjects[16..], [.. subjects, .. Guid.CreateVersion7().ToByteArray()] })
        {
            await SetSubjectsAsync(app, listed, forged);
            var result = await VerifyAsync(app);
            Assert.Equal(listed, result.FirstBadSeq);
            Assert.Contains("list of clients was edited", result.Problem);
        }
        await SetSubjectsAsync(app, listed, subjects);
        Assert.True((await VerifyAsync(app)).Intact);
    }

    static Task<int> SetSubjectsAsync(HavenApp app, long seq, byte[] subjects) =>
        app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEvents.Where(e => e.Seq == seq).ExecuteUpdateAsync(u => u.SetProperty(e => e.Subjects, subjects)));

    [Fact]
    public async Task Each_client_of_an_event_about_many_finds_it_and_a_forged_day_row_finds_nothing()
    {
        await using var app = await AppWithHistoryAsync();
        var listed = await ListedAsync(app);
        var subjects = await SubjectsOfAsync(app, listed);
        foreach (var client in AuditEvent.Unpack(subjects))
            Assert.Contains(listed, (await EventsAboutAsync(app, client)).Select(e => e.Seq));
        var days = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditSubjectDays.ToListAsync());
        Assert.Equal(3, days.Count);
        Assert.All(days, d => Assert.Equal((1, listed, listed), (d.Count, d.FirstSeq, d.LastSeq)));

        // Day rows only point into the chain; an event is found for a client only if its own list names them.
        var outsider = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEvents
            .Where(e => e.Type == AuditEventType.ClientCreated).OrderByDescending(e => e.Seq).Select(e => e.SubjectId!.Value).FirstAsync());
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HavenDb>();
            db.AuditSubjectDays.Add(new AuditSubjectDay
            {
                SubjectId = outsider,
                Day = days[0].Day,
                ActorId = days[0].ActorId,
                Type = AuditEventType.ClientListed,
                Count = 1,
                FirstSeq = listed,
                LastSeq = listed,
                FirstAtMs = days[0].FirstAtMs,
                LastAtMs = days[0].LastAtMs,
            });
            return await db.SaveChangesAsync();
        });
        Assert.DoesNotContain(listed, (await EventsAboutAsync(app, outsider)).Select(e => e.Seq));
    }

    [Fact]
    public async Task Upgrading_turns_the_by_client_index_of_each_view_into_day_rows()
    {
        await using var app = await AppWithHistoryAsync();
        var listed = await ListedAsync(app);
        var subjects = await SubjectsOfAsync(app, listed);
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HavenDb>();
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(db.Database.GetMigrations().Single(m => m.EndsWith("_AuditEventSubjects")));
            foreach (var client in AuditEvent.Unpack(subjects))
            {
                var sql = $"INSERT INTO \"AuditEventSubjects\" (\"Seq\", \"SubjectId\") VALUES ({listed}, '{client.ToString().ToUpperInvariant()}')";
                await db.Database.ExecuteSqlRawAsync(sql);
            }
            await migrator.MigrateAsync();
            return 0;
        });
        var days = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditSubjectDays.ToListAsync());
        Assert.Equal(AuditEvent.Unpack(subjects).Order(), days.Select(d => d.SubjectId).Order());
        Assert.All(days, d => Assert.Equal((1, listed, listed, AuditEventType.ClientListed), (d.Count, d.FirstSeq, d.LastSeq, d.Type)));
        Assert.Contains(listed, (await EventsAboutAsync(app, days[0].SubjectId)).Select(e => e.Seq));
    }

    static Task<List<AuditEvent>> EventsAboutAsync(HavenApp app, Guid client, int take = 100) =>
        app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().EventsAboutAsync(client, take));

    [Fact]
    public async Task Repeated_views_of_a_list_count_on_one_row_a_day_and_each_is_found_newest_first()
    {
        await using var app = new TApp();
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var created = await api.PostAsJsonAsync("/api/clients", new CreateClientRequest(new ClientDetails { ChosenName = "Audit Day Person" }, null));
        var id = (await created.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        for (var i = 0; i < 3; i++) await api.GetAsync("/api/clients");
        await api.GetAsync($"/api/clients/{id}");
        // The next UTC day, with a fresh token (the test's lives a day).
        var now = app.Clock.GetUtcNow();
        app.Clock.Advance(now.Date.AddDays(1) - now.UtcDateTime + TimeSpan.FromMinutes(1));
        var token = await app.WithScopeAsync(async s => (await s.GetRequiredService<ApiTokens>()
            .CreateAsync((await s.GetRequiredService<UserManager<HavenUser>>().FindByIdAsync(net["advocateA1"].Id))!, TimeSpan.FromDays(1))).Token);
        api = app.ApiClient(token);
        for (var i = 0; i < 2; i++) Assert.True((await api.GetAsync("/api/clients")).IsSuccessStatusCode);

        var days = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditSubjectDays.Where(d => d.SubjectId == id).OrderBy(d => d.Day).ToListAsync());
        Assert.Equal([3, 2], days.Select(d => d.Count));
        Assert.Equal(days[0].Day + 1, days[1].Day);
        Assert.All(days, d => Assert.Equal(net["advocateA1"].Id, d.ActorId));

        // Newest first across both days and the events naming the client; a short page stops early.
        var all = await EventsAboutAsync(app, id);
        Assert.Equal(all.Select(e => e.Seq).OrderDescending(), all.Select(e => e.Seq));
        Assert.Equal(5, all.Count(e => e.Subjects is not null));
        Assert.Contains(all, e => e.Type == AuditEventType.ClientViewed);
        Assert.Equal(all.Take(3).Select(e => e.Seq), (await EventsAboutAsync(app, id, 3)).Select(e => e.Seq));

        var access = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AccessAboutAsync(id));
        var listing = Assert.Single(access, a => a.Type == AuditEventType.ClientListed);
        Assert.Equal((5, net["advocateA1"].Id), (listing.Count, listing.ActorId));
        Assert.Equal(days[0].FirstAtMs, listing.FirstAtMs);
        Assert.Equal(days[1].LastAtMs, listing.LastAtMs);
    }

    [Fact]
    public async Task Reordered_events_are_found()
    {
        await using var app = await AppWithHistoryAsync();
        var k = await MiddleAsync(app);
        await Sql(app, $"UPDATE \"AuditEvents\" SET \"Seq\" = -1 WHERE \"Seq\" = {k}");
        await Sql(app, $"UPDATE \"AuditEvents\" SET \"Seq\" = {k} WHERE \"Seq\" = {k + 1}");
        await Sql(app, $"UPDATE \"AuditEvents\" SET \"Seq\" = {k + 1} WHERE \"Seq\" = -1");
        var result = await VerifyAsync(app);
        Assert.Equal(k, result.FirstBadSeq);
    }
}

public sealed class AuditTamperSqlite : AuditTamperTests<SqliteApp>;
public sealed class AuditTamperPostgres : AuditTamperTests<PostgresApp>;
