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
        app.WithScopeAsync(s => AuditChain.VerifyAsync(s.GetRequiredService<HavenDb>(), s.GetRequiredService<AuditAnchor>()));

    static Task Sql(HavenApp app, string sql) =>
        app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Database.ExecuteSqlRawAsync(sql));

    static async Task<long> MiddleAsync(HavenApp app) => await HeadAsync(app) / 2;

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

    static Task<long> HeadAsync(HavenApp app) =>
        app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().AuditEvents.MaxAsync(e => e.Seq));

    [Fact]
    public async Task A_wiped_log_is_found_and_stays_found_after_new_events()
    {
        await using var app = await AppWithHistoryAsync();
        var head = await HeadAsync(app);
        await Sql(app, "DELETE FROM \"AuditEvents\"");
        var wiped = await VerifyAsync(app);
        Assert.False(wiped.Intact);
        Assert.Contains("wiped", wiped.Problem);
        Assert.Contains($"{head:N0} events", wiped.Problem);
        // The app goes on writing a new chain from 1; the anchor does not follow it, and the log says so once.
        var api = app.ApiClient((await app.NetworkAsync())["advocateA1"].Token);
        for (var i = 0; i < (int)head + 3; i++) await api.GetAsync("/api/clients");
        var after = await VerifyAsync(app);
        Assert.False(after.Intact);
        Assert.Contains("rolled back or rewritten", after.Problem);
        Assert.Single(app.Logs.Lines, l => l.Contains("no longer reaches its anchor"));
    }

    [Fact]
    public async Task Events_cut_off_the_end_are_found()
    {
        await using var app = await AppWithHistoryAsync();
        var head = await HeadAsync(app);
        await Sql(app, $"DELETE FROM \"AuditEvents\" WHERE \"Seq\" > {head - 3}");
        var cut = await VerifyAsync(app);
        Assert.Equal(head - 2, cut.FirstBadSeq);
        Assert.Contains("cut short", cut.Problem);
        Assert.Contains($"events {head - 2}–{head}", cut.Problem);
    }

    [Fact]
    public async Task A_log_rolled_back_to_an_older_copy_and_rewritten_with_valid_hashes_is_found()
    {
        await using var app = await AppWithHistoryAsync();
        var head = await HeadAsync(app);
        // An insider with the database puts back an earlier state and writes a plausible tail with correct hashes.
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HavenDb>();
            await db.AuditEvents.Where(e => e.Seq > head - 4).ExecuteDeleteAsync();
            var last = await db.AuditEvents.OrderByDescending(e => e.Seq).FirstAsync();
            var previous = last.Hash;
            for (var seq = head - 3; seq <= head + 2; seq++)
            {
                var e = new AuditEvent { Seq = seq, AtMs = last.AtMs + seq, Type = AuditEventType.ClientListed, ActorId = last.ActorId, PreviousHash = previous, Hash = [] };
                e.Hash = AuditChain.ComputeHash(e);
                previous = e.Hash;
                db.AuditEvents.Add(e);
            }
            return await db.SaveChangesAsync();
        });
        var result = await VerifyAsync(app);
        Assert.Equal(head, result.FirstBadSeq);
        Assert.Contains("rolled back or rewritten", result.Problem);
    }

    [Fact]
    public async Task An_altered_or_missing_anchor_is_found_and_a_restore_anchors_the_restored_chain()
    {
        await using var app = await AppWithHistoryAsync();
        var anchor = app.Services.GetRequiredService<AuditAnchor>();
        var backup = Path.Combine(app.DataDirectory, "audit.backup");
        await app.WithScopeAsync(s => s.GetRequiredService<Features.Operations.Backups>().BackupAsync(backup));
        var original = await File.ReadAllTextAsync(anchor.FilePath);
        var parts = original.Trim().Split(' ');
        await File.WriteAllTextAsync(anchor.FilePath, $"{long.Parse(parts[0]) + 5} {parts[1]} {parts[2]}\n");
        var altered = await VerifyAsync(app);
        Assert.Contains("does not carry Haven's seal", altered.Problem);
        File.Delete(anchor.FilePath);
        var missing = await VerifyAsync(app);
        Assert.Contains("no audit anchor", missing.Problem);
        await File.WriteAllTextAsync(anchor.FilePath, original);

        // The restored chain is shorter than the one anchored; the restore anchors it, and it verifies.
        var api = app.ApiClient((await app.NetworkAsync())["advocateA1"].Token);
        for (var i = 0; i < 5; i++) await api.GetAsync("/api/clients");
        await app.WithScopeAsync(s => s.GetRequiredService<Features.Operations.Backups>().RestoreAsync(backup));
        var restored = await VerifyAsync(app);
        Assert.True(restored.Intact, restored.Problem);
        // And the anchor follows new events again.
        await api.GetAsync("/api/clients");
        var head = await HeadAsync(app);
        Assert.StartsWith($"{head} ", await File.ReadAllTextAsync(anchor.FilePath));
        Assert.True((await VerifyAsync(app)).Intact);
    }
}

public sealed class AuditTamperSqlite : AuditTamperTests<SqliteApp>;
public sealed class AuditTamperPostgres : AuditTamperTests<PostgresApp>;
