using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Haven.Data;
using Haven.Features.Conflicts;
using Haven.Features.Deadlines;
using Haven.Features.Matters;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Bench;

/// <summary>Synthetic case work on top of the scale clients: matters, notes, adverse parties and the bench user's deadlines.</summary>
public static class CaseWorkSeed
{
    static readonly string[] Words = ["Harbor", "Granite", "Meridian", "Cobalt", "Juniper", "Alder", "Crescent", "Summit", "Willow", "Orchid",
        "Falcon", "Lantern", "Prairie", "Quarry", "Ridge", "Sable", "Thistle", "Vesper", "Wren", "Yarrow"];
    static readonly string[] Kinds = ["Farms", "Logistics", "Staffing", "Cleaning", "Nails", "Massage", "Construction", "Catering"];
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A synthetic business or person name for adverse party number i, reproducible for the conflict-check load.</summary>
    public static string PartyName(int i) => i % 2 == 0
        ? $"{Words[i % Words.Length]} {Words[i / Words.Length % Words.Length]} {Kinds[i % Kinds.Length]}"
        : $"{Words[i % Words.Length]}son {Words[i / 7 % Words.Length]}ez";

    public static async Task SeedAsync(HavenDb db, KeyRing keys, Guid organizationId, string benchUserId, int matters, int notes, int parties)
    {
        var watch = Stopwatch.StartNew();
        var orgKeys = await keys.ForOrganizationAsync(db, organizationId);
        var clients = await db.Clients.AsNoTracking().Where(c => c.OrganizationId == organizationId)
            .Select(c => new { c.Id, c.TeamId, c.WrappedKey }).ToListAsync();
        var random = new Random(7);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var matterRows = new List<(Guid Id, Guid Client)>(matters);
        var number = 1000;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var i = 0; i < matters; i++)
        {
            var client = clients[i % clients.Count];
            var matter = new Matter
            {
                OrganizationId = organizationId,
                ClientId = client.Id,
                TeamId = client.TeamId,
                Number = ++number,
                Type = (MatterType)(1 + random.Next(9)),
                OpenedOn = today.AddDays(-random.Next(2000)),
                UpdatedAt = DateTime.UtcNow,
            };
            db.Matters.Add(matter);
            matterRows.Add((matter.Id, client.Id));
            if (i % 20_000 == 19_999) await FlushAsync(db);
        }
        await FlushAsync(db);
        Console.WriteLine($"  {matters:N0} matters: {watch.Elapsed.TotalSeconds:F1} s");

        watch.Restart();
        var clientKeys = clients.ToDictionary(c => c.Id, c => c.WrappedKey);
        for (var i = 0; i < notes; i++)
        {
            var (matterId, clientId) = matterRows[i % matterRows.Count];
            var note = new Note
            {
                OrganizationId = organizationId,
                ClientId = clientId,
                MatterId = matterId,
                Visibility = i % 5 == 0 ? NoteVisibility.Privileged : NoteVisibility.Team,
                SealedBody = [],
                AuthorId = benchUserId,
                CreatedAt = DateTime.UtcNow.AddMinutes(-i),
            };
            var clientKey = orgKeys.UnwrapClientKey(clientId, clientKeys[clientId]);
            note.SealedBody = Crypto.Seal(clientKey, Encoding.UTF8.GetBytes($"Synthetic note {i}: called, discussed next steps, follow up next week."), Crypto.Bind(note.Id));
            db.Notes.Add(note);
            if (i % 50_000 == 49_999) await FlushAsync(db);
        }
        await FlushAsync(db);
        Console.WriteLine($"  {notes:N0} notes: {watch.Elapsed.TotalSeconds:F1} s");

        watch.Restart();
        for (var i = 0; i < parties; i++)
        {
            var (matterId, clientId) = matterRows[i * 5 % matterRows.Count];
            var name = PartyName(i);
            var key = Crypto.NewKey();
            var party = new AdverseParty { OrganizationId = organizationId, MatterId = matterId, ClientId = clientId, Role = AdverseRole.Employer, WrappedKey = [], SealedDetails = [], CreatedAt = DateTime.UtcNow };
            party.WrappedKey = orgKeys.WrapClientKey(party.Id, key);
            party.SealedDetails = Crypto.Seal(key, JsonSerializer.SerializeToUtf8Bytes(new AdversePartyDetails(name, []), Json), Crypto.Bind(party.Id));
            db.AdverseParties.Add(party);
            db.AdversePartyTokens.AddRange(NameMatching.Terms([name]).Select(t => new AdversePartyToken
            {
                OrganizationId = organizationId,
                PartyId = party.Id,
                Kind = t.Kind,
                Hash = orgKeys.BlindIndex((byte)t.Kind, t.Term),
            }));
            if (i % 10_000 == 9_999) await FlushAsync(db);
        }
        // Sixty deadlines for the bench user, spread over the coming months.
        for (var i = 0; i < 60; i++)
        {
            var (matterId, clientId) = matterRows[i * 97 % matterRows.Count];
            db.CaseTasks.Add(new CaseTask
            {
                OrganizationId = organizationId,
                ClientId = clientId,
                MatterId = matterId,
                Kind = (TaskKind)(1 + i % 4),
                DueAt = DateTime.UtcNow.AddDays(i - 5),
                AssigneeId = benchUserId,
                Reminders = "7,1",
                CreatedBy = benchUserId,
                CreatedAt = DateTime.UtcNow,
            });
        }
        await FlushAsync(db);
        db.ChangeTracker.AutoDetectChangesEnabled = true;
        await db.Database.ExecuteSqlRawAsync("ANALYZE");
        Console.WriteLine($"  {parties:N0} adverse parties and 60 deadlines: {watch.Elapsed.TotalSeconds:F1} s");
    }

    static async Task FlushAsync(HavenDb db)
    {
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
    }
}
