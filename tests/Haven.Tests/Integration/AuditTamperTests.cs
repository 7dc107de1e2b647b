using System.Net.Http.Json;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Http;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
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

    [Fact]
    public async Task A_client_taken_from_or_added_to_an_event_about_many_is_found()
    {
        await using var app = await AppWithHistoryAsync();
        var listed = await ListedAsync(app);
        var subjects = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEvents.Where(e => e.Seq == listed).Select(e => e.Subjects!).SingleAsync());
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
    public async Task Each_client_of_an_event_about_many_finds_it()
    {
        await using var app = await AppWithHistoryAsync();
        var listed = await ListedAsync(app);
        var subjects = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEvents.Where(e => e.Seq == listed).Select(e => e.Subjects!).SingleAsync());
        foreach (var client in AuditEvent.Unpack(subjects))
            Assert.Contains(listed, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEventsAbout(client).Select(e => e.Seq).ToListAsync()));
        Assert.Equal(3, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEventSubjects.CountAsync()));
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
