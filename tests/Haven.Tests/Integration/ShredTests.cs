using System.Net;
using System.Net.Http.Json;
using Haven.Data;
using Haven.Features.Clients;
using Haven.Features.Conflicts;
using Haven.Features.Consent;
using Haven.Features.Matters;
using Haven.Features.Referrals;
using Haven.Features.ServiceDirectory;
using Haven.Features.ServiceDirectory.Hsds;
using Haven.Http;
using Haven.Security;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

/// <summary>
/// A shred as an attacker tries to undo it: with the database files and the master key from the same data folder,
/// carve every page of the database and its write-ahead log for the client's ciphertexts, and try every key there is.
/// </summary>
public abstract class ShredTests<TApp> where TApp : HavenApp, new()
{
    /// <summary>Every ciphertext that belonged to the client, and the ids they are bound to.</summary>
    protected sealed record Traces(Guid Client, Guid Party, List<byte[]> Blobs);

    protected static async Task<Traces> ClientWithEverythingAsync(HavenApp app, TestNetwork net)
    {
        var listed = SyntheticDirectory.Generate(HsdsSchema.BuiltIn, 20_000, 20_005, [new SyntheticDirectory.Town("Carvington", "NY", 42.1, -75.9, "139")], seed: 5);
        await app.WithScopeAsync(s => s.GetRequiredService<DirectoryImport>().ImportAsync(listed, net.OrgB, false, "test"));
        var token = net["advocateA1"].Token;
        var api = app.ApiClient(token);
        var created = await api.PostAsJsonAsync("/api/clients", new CreateClientRequest(new ClientDetails
        {
            ChosenName = "Carvable Quillfeather",
            LegalName = "Carvable Marker Legalname",
            ContactMethods = [new ContactMethod { Kind = "phone", Value = "+1 212 555 0142", SafeToContact = true }],
        }, null), JsonBody.Json);
        created.EnsureSuccessStatusCode();
        var client = (await created.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        (await app.GrantAsync(token, client, RecipientClass.ServiceProvider, DataCategory.Identity, DataCategory.Contact)).EnsureSuccessStatusCode();
        var service = listed.Of("service").First().Text("id")!;
        (await api.PostAsJsonAsync($"/api/clients/{client}/referrals", new ReferralRequest(service, [DataCategory.Identity, DataCategory.Contact], null), JsonBody.Json)).EnsureSuccessStatusCode();
        var matter = (await (await api.PostAsJsonAsync($"/api/clients/{client}/matters", new MatterInput(MatterType.Immigration, null), JsonBody.Json)).Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
        (await api.PostAsJsonAsync($"/api/matters/{matter}/adverse-parties", new AdversePartyInput("Carvable Trafficker Name", ["Carvable Alias"], AdverseRole.Trafficker), JsonBody.Json)).EnsureSuccessStatusCode();

        return await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HavenDb>();
            var row = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == client);
            var referral = await db.Referrals.AsNoTracking().SingleAsync(r => r.ClientId == client);
            var party = await db.AdverseParties.AsNoTracking().SingleAsync(p => p.ClientId == client);
            var grants = await db.ConsentGrants.AsNoTracking().Where(g => g.ClientId == client).ToListAsync();
            var blobs = new List<byte[]> { row.WrappedKey, row.SealedDetails, referral.SealedPacket!, party.WrappedKey, party.SealedDetails };
            blobs.AddRange(await db.ClientSearchTokens.Where(t => t.ClientId == client).Select(t => t.Hash).ToListAsync());
            blobs.AddRange(await db.AdversePartyTokens.Where(t => t.PartyId == party.Id).Select(t => t.Hash).ToListAsync());
            Assert.NotEmpty(grants);
            return new Traces(client, party.Id, blobs);
        });
    }

    [Fact]
    public async Task A_shred_and_a_restore_leave_the_client_unreadable_and_the_freed_space_cleaned()
    {
        await using var app = new TApp();
        var net = await app.NetworkAsync();
        var traces = await ClientWithEverythingAsync(app, net);
        var backup = Path.Combine(app.DataDirectory, "before.backup");
        await app.WithScopeAsync(s => s.GetRequiredService<Features.Operations.Backups>().BackupAsync(backup));
        Assert.Equal(HttpStatusCode.NoContent, (await app.ApiClient(net["advocateA1"].Token).DeleteAsync($"/api/clients/{traces.Client}")).StatusCode);
        await AssertCleanedAsync(app, traces);
        // The restore brings the rows back for a moment; the ledger destroys them again, and the freed space is cleaned again.
        await app.WithScopeAsync(s => s.GetRequiredService<Features.Operations.Backups>().RestoreAsync(backup));
        await AssertCleanedAsync(app, traces);
    }

    static async Task AssertCleanedAsync(HavenApp app, Traces traces)
    {
        if (app.Provider == DatabaseProvider.Sqlite)
        {
            // (After a restore the log holds the audit event written since; never a page of the client.)
            Assert.DoesNotContain(traces.Blobs, Carve(app).Contains);
            return;
        }
        // PostgreSQL: the affected tables were vacuumed after the commit, so no dead tuple of the client waits for the
        // autovacuum; pgstattuple reads the pages themselves. (The bytes may stay in free space until reused: the
        // operations guide says so.)
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HavenDb>();
            await db.Database.ExecuteSqlRawAsync("CREATE EXTENSION IF NOT EXISTS pgstattuple");
            foreach (var table in new[] { "Clients", "Referrals", "AdverseParties", "AdversePartyTokens", "ClientSearchTokens", "ConsentGrants" })
            {
                var query = $"SELECT dead_tuple_count AS \"Value\" FROM pgstattuple('\"{table}\"')";
                var dead = await db.Database.SqlQueryRaw<long>(query).SingleAsync();
                Assert.True(dead == 0, $"{table} holds {dead} dead tuples after the shred");
            }
            return 0;
        });
    }

    protected sealed record Files(byte[] Bytes, long WalLength)
    {
        public bool Contains(byte[] needle) => Bytes.AsSpan().IndexOf(needle) >= 0;

        /// <summary>Runs that start with the ciphertext version byte and are as long as a wrapped 32-byte key.</summary>
        public IEnumerable<byte[]> WrappedKeyCandidates()
        {
            const int length = 1 + 12 + 16 + 32;
            for (var i = 0; i + length <= Bytes.Length; i++)
                if (Bytes[i] == Crypto.Version1) yield return Bytes[i..(i + length)];
        }
    }

    /// <summary>The database file, its write-ahead log and shared memory, read raw while the app runs.</summary>
    protected static Files Carve(HavenApp app)
    {
        using var all = new MemoryStream();
        long wal = 0;
        foreach (var file in Directory.GetFiles(app.DataDirectory, "haven.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (file.EndsWith("-wal", StringComparison.Ordinal)) wal = stream.Length;
            stream.CopyTo(all);
        }
        return new Files(all.ToArray(), wal);
    }
}

public sealed class ShredSqlite : ShredTests<SqliteApp>
{
    [Fact]
    public async Task Nothing_of_a_shredded_client_is_left_in_the_files_for_a_carver()
    {
        await using var app = new SqliteApp();
        var net = await app.NetworkAsync();
        var traces = await ClientWithEverythingAsync(app, net);
        // The traces are really in the files before the shred: the carver would find them.
        Assert.All(traces.Blobs.Take(5), b => Assert.True(Carve(app).Contains(b), "a ciphertext should be in the files before the shred"));

        Assert.Equal(HttpStatusCode.NoContent, (await app.ApiClient(net["advocateA1"].Token).DeleteAsync($"/api/clients/{traces.Client}")).StatusCode);

        var files = Carve(app);
        Assert.True(files.WalLength == 0, $"the write-ahead log still holds {files.WalLength:N0} bytes after the shred");
        for (var i = 0; i < traces.Blobs.Count; i++)
            Assert.False(files.Contains(traces.Blobs[i]), $"ciphertext {i} of the shredded client is still in the files");
        // Every 61-byte run that could be a wrapped key, tried with the organization's key for the client and the party.
        var orgKeys = await app.WithScopeAsync(s => s.GetRequiredService<KeyRing>().ForOrganizationAsync(s.GetRequiredService<HavenDb>(), net.OrgA));
        var tried = 0;
        foreach (var candidate in files.WrappedKeyCandidates())
        {
            tried++;
            foreach (var owner in new[] { traces.Client, traces.Party })
            {
                try
                {
                    orgKeys.UnwrapClientKey(owner, candidate);
                    Assert.Fail("a key of the shredded client was carved out of the files and unwrapped");
                }
                catch (System.Security.Cryptography.CryptographicException) { }
            }
        }
        Assert.True(tried > 0);
    }
}
public sealed class ShredPostgres : ShredTests<PostgresApp>;
