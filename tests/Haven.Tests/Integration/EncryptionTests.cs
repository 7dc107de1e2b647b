using System.Net;
using System.Net.Http.Json;
using System.Text;
using Haven.Data;
using Haven.Features.Clients;
using Haven.Features.Operations;
using Haven.Features.Organizations;
using Haven.Http;
using Haven.Security;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

/// <summary>What an attacker with the database (or a backup) but not the master key can read: nothing identifying.</summary>
public abstract class EncryptionTests<TApp> where TApp : HavenApp, new()
{
    static readonly ClientDetails Marker = new()
    {
        ChosenName = "Zephyrine Quillfeather",
        LegalName = "Zephyrine Marker Legalname",
        ImmigrationStatus = "Marker status Q7 pending",
        Address = "77 Marker Lane, Apt 9",
        CountryOfBirth = "Markerland",
        ContactMethods = [new ContactMethod { Kind = "phone", Value = "+1 212 555 0177", SafeToContact = true, SafeTimes = "after 9pm" }],
    };

    static async Task<Guid> CreateAsync(HavenApp app, string token, ClientDetails details)
    {
        var response = await app.ApiClient(token).PostAsJsonAsync("/api/clients", new CreateClientRequest(details, null));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
    }

    /// <summary>Everything the database holds, as an attacker would dump it.</summary>
    static async Task<string> RawDatabaseAsync(HavenApp app)
    {
        if (app.Provider == DatabaseProvider.Sqlite)
        {
            var files = Directory.GetFiles(app.DataDirectory, "haven.db*");
            var text = new StringBuilder();
            foreach (var file in files)
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream, Encoding.Latin1);
                text.Append(await reader.ReadToEndAsync());
            }
            return text.ToString();
        }
        return await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HavenDb>();
            var text = new StringBuilder();
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            foreach (var table in db.Model.GetEntityTypes().Select(t => t.GetTableName()).Distinct())
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT t::text FROM \"{table}\" t";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) text.AppendLine(reader.GetString(0));
            }
            return text.ToString();
        });
    }

    static IEnumerable<string> Forms(string plaintext)
    {
        yield return plaintext;
        yield return Convert.ToHexString(Encoding.UTF8.GetBytes(plaintext)).ToLowerInvariant(); // how PostgreSQL prints bytea
    }

    [Fact]
    public async Task The_raw_database_holds_no_name_phone_status_or_address()
    {
        await using var app = new TApp();
        var net = await app.NetworkAsync();
        await CreateAsync(app, net["advocateA1"].Token, Marker);
        var seeded = await app.WithScopeAsync(async s =>
        {
            // The invented demo people too: their longer values must not appear either.
            var random = new Random(7);
            var people = Enumerable.Range(0, 20).Select(i => Seeding.Invent(random, i) with { LegalName = $"Legal Person{i:00} Seeded" }).ToList();
            foreach (var p in people) await s.GetRequiredService<ClientRecords>().CreateAsync(new Staff(net["advocateA1"].Id, net.OrgA, new HashSet<string> { "Advocate" }), p, null);
            return people;
        });
        var raw = await RawDatabaseAsync(app);
        var secrets = new[] { Marker.ChosenName, "Quillfeather", Marker.LegalName!, Marker.ImmigrationStatus!, Marker.Address!, "Markerland", "555 0177", "2125550177", "after 9pm" }
            .Concat(seeded.Select(p => p.LegalName!)).Concat(seeded.Where(p => p.ImmigrationStatus is not null).Select(p => p.ImmigrationStatus!));
        foreach (var secret in secrets)
            foreach (var form in Forms(secret))
                Assert.False(raw.Contains(form, StringComparison.OrdinalIgnoreCase), $"Found plaintext '{secret}' in the database.");
        // The audit log and the page logs hold none of it either.
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("Quillfeather") || l.Contains("555 0177") || l.Contains("Marker status"));
    }

    [Fact]
    public async Task Key_rotation_rewraps_organization_keys_and_the_old_master_key_opens_nothing()
    {
        await using var app = new TApp();
        var net = await app.NetworkAsync();
        var id = await CreateAsync(app, net["advocateA1"].Token, Marker);
        var store = app.Services.GetRequiredService<MasterKeyStore>();
        var oldKey = store.Load();

        var rotated = await app.WithScopeAsync(s => s.GetRequiredService<KeyRotation>().RotateAsync());
        Assert.True(rotated >= 2);
        Assert.NotEqual(oldKey, store.Load());

        var orgs = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Organizations.AsNoTracking().ToListAsync());
        foreach (var org in orgs)
        {
            Assert.Throws<MasterKeyException>(() => KeyRing.Unwrap(oldKey, org.Id, org.WrappedKey));
            Assert.Equal(32, KeyRing.Unwrap(store.Load(), org.Id, org.WrappedKey).Length);
            Assert.Equal(Crypto.Fingerprint(store.Load()), org.MasterKeyFingerprint);
        }
        // Data was not re-encrypted and still opens; blind indexes still find it.
        var api = app.ApiClient(net["advocateA1"].Token);
        Assert.Equal(Marker.ChosenName, (await api.GetFromJsonAsync<ClientView>($"/api/clients/{id}", JsonBody.Json))!.Details.ChosenName);
        var hits = await (await api.PostAsJsonAsync("/api/clients/search", new ClientSearch("zephyr", null, null))).Content.ReadFromJsonAsync<List<SearchHit>>(JsonBody.Json);
        Assert.Contains(hits!, h => h.Id == id);
        // A new organization after rotation is wrapped under the new key.
        var created = await app.WithScopeAsync(s => s.GetRequiredService<Network>().CreateOrganizationAsync("After Rotation Org " + Guid.NewGuid().ToString("N")[..6], OrganizationKind.Other));
        Assert.Equal(Crypto.Fingerprint(store.Load()), created.MasterKeyFingerprint);
    }

    [Fact]
    public async Task The_cookie_key_ring_is_sealed_under_the_master_key_and_sealed_again_at_rotation()
    {
        await using var app = new TApp();
        await app.NetworkAsync(); // started: the ring has its first key
        var store = app.Services.GetRequiredService<MasterKeyStore>();
        var files = Directory.GetFiles(store.KeyRingFolder, "*.xml");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var text = await File.ReadAllTextAsync(file);
            Assert.DoesNotContain("<masterKey", text); // the key in the clear, as Data Protection writes it unencrypted
            Assert.Contains("sealedKey", text);
        }
        var oldKey = store.Load();
        await app.WithScopeAsync(s => s.GetRequiredService<KeyRotation>().RotateAsync());
        foreach (var file in files)
        {
            var sealedKey = System.Xml.Linq.XDocument.Load(file).Descendants("sealedKey").Single();
            Assert.Equal("masterKey", KeyRingEncryption.Open(store.Load(), sealedKey).Name.LocalName);
            Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => KeyRingEncryption.Open(oldKey, sealedKey));
        }
    }

    [Fact]
    public async Task A_shredded_client_stays_unreadable_after_restoring_an_older_backup()
    {
        await using var app = new TApp();
        var net = await app.NetworkAsync();
        var api = app.ApiClient(net["advocateA1"].Token);
        var shredded = await CreateAsync(app, net["advocateA1"].Token, Marker);
        var kept = await CreateAsync(app, net["advocateA1"].Token, new ClientDetails { ChosenName = "Kept Person" });
        var backup = Path.Combine(app.DataDirectory, "before-shred.backup");
        await app.WithScopeAsync(s => s.GetRequiredService<Backups>().BackupAsync(backup));

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/clients/{shredded}")).StatusCode);
        await app.WithScopeAsync(s => s.GetRequiredService<Backups>().RestoreAsync(backup));

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/clients/{shredded}")).StatusCode);
        Assert.Equal("Kept Person", (await api.GetFromJsonAsync<ClientView>($"/api/clients/{kept}", JsonBody.Json))!.Details.ChosenName);
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HavenDb>();
            Assert.False(await db.Clients.AnyAsync(c => c.Id == shredded)); // the wrapped key went with the row
            Assert.False(await db.ClientSearchTokens.AnyAsync(t => t.ClientId == shredded));
            return 0;
        });
        Assert.DoesNotContain("Quillfeather", await RawDatabaseAsync(app));
        // The restored database is whole: staff, tokens, the audit chain.
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/clients")).StatusCode);
        var verified = await app.WithScopeAsync(s => Features.Audit.AuditChain.VerifyAsync(s.GetRequiredService<HavenDb>(), s.GetRequiredService<Features.Audit.AuditAnchor>()));
        Assert.True(verified.Intact, verified.Problem);
    }

    [Fact]
    public async Task Second_factor_secrets_are_in_neither_the_database_nor_a_backup_and_outlive_a_key_rotation()
    {
        await using var app = new TApp();
        var net = await app.NetworkAsync();
        var staff = net["attorneyA1"];
        var codes = await app.WithScopeAsync(async s =>
        {
            var users = s.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Features.Accounts.HavenUser>>();
            return (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByIdAsync(staff.Id))!, 10))!.ToList();
        });
        Assert.Equal(10, codes.Count);
        var backup = Path.Combine(app.DataDirectory, "secrets.backup");
        await app.WithScopeAsync(s => s.GetRequiredService<Backups>().BackupAsync(backup));
        var raw = await RawDatabaseAsync(app);
        var opened = BackupTests<TApp>.Opened(app, backup);
        foreach (var secret in codes.Prepend(staff.AuthenticatorKey))
        {
            Assert.DoesNotContain(secret, raw, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, opened, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Contains("AuthenticatorKey", opened); // the rows are there, sealed

        // The codes still work, once each; the authenticator key survives a rotation of the master key.
        await app.WithScopeAsync(s => s.GetRequiredService<KeyRotation>().RotateAsync());
        var (first, replay, wrong, left, key) = await app.WithScopeAsync(async s =>
        {
            var users = s.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Features.Accounts.HavenUser>>();
            var user = (await users.FindByIdAsync(staff.Id))!;
            var first = (await users.RedeemTwoFactorRecoveryCodeAsync(user, codes[3])).Succeeded;
            var replay = (await users.RedeemTwoFactorRecoveryCodeAsync(user, codes[3])).Succeeded;
            var wrong = (await users.RedeemTwoFactorRecoveryCodeAsync(user, "AAAAA-BBBBB")).Succeeded;
            return (first, replay, wrong, await users.CountRecoveryCodesAsync(user), await users.GetAuthenticatorKeyAsync(user));
        });
        Assert.True(first);
        Assert.False(replay);
        Assert.False(wrong);
        Assert.Equal(9, left);
        Assert.Equal(staff.AuthenticatorKey, key);
        // Signing in with a code from the (resealed) key still works, through the page.
        var session = await WebSession.SignInAsync(app, staff);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/clients")).StatusCode);
    }

    [Fact]
    public async Task A_damaged_backup_is_refused_and_nothing_changes()
    {
        await using var app = new TApp();
        var net = await app.NetworkAsync();
        var id = await CreateAsync(app, net["advocateA1"].Token, new ClientDetails { ChosenName = "Before Bad Restore" });
        var backup = Path.Combine(app.DataDirectory, "good.backup");
        await app.WithScopeAsync(s => s.GetRequiredService<Backups>().BackupAsync(backup));
        var truncated = Path.Combine(app.DataDirectory, "truncated.backup");
        var bytes = await File.ReadAllBytesAsync(backup);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);
        var garbage = Path.Combine(app.DataDirectory, "garbage.backup");
        await File.WriteAllTextAsync(garbage, "this is not a backup");

        foreach (var bad in new[] { truncated, garbage, Path.Combine(app.DataDirectory, "missing.backup") })
        {
            var error = await Assert.ThrowsAsync<BackupException>(() => app.WithScopeAsync(s => s.GetRequiredService<Backups>().RestoreAsync(bad)));
            Assert.Contains(Path.GetFileName(bad), error.Message);
        }
        // A backup from before a key rotation cannot be restored under the new key, and is refused whole.
        await app.WithScopeAsync(s => s.GetRequiredService<KeyRotation>().RotateAsync());
        var wrongKey = await Assert.ThrowsAsync<BackupException>(() => app.WithScopeAsync(s => s.GetRequiredService<Backups>().RestoreAsync(backup)));
        Assert.Contains("another master key", wrongKey.Message);
        Assert.Equal(HttpStatusCode.OK, (await app.ApiClient(net["advocateA1"].Token).GetAsync($"/api/clients/{id}")).StatusCode);
    }
}

public sealed class EncryptionSqlite : EncryptionTests<SqliteApp>;
public sealed class EncryptionPostgres : EncryptionTests<PostgresApp>;
