using Haven.Data;
using Haven.Features.Accounts;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Features.Organizations;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Operations;

public sealed record DemoLogin(string Email, string Role, string Organization);

/// <summary>Invented demo data and synthetic data at scale. Every person here is made up.</summary>
public sealed class Seeding(HavenDb db, Network network, StaffAccounts staff, KeyRing keys, AuditLog audit, TimeProvider time, ServiceDirectory.DirectoryImport directory)
{
    static readonly string[] WorkNames = ["Star", "Luz", "Mika", "Roxy", "Jade", "Nova", "Sol", "Kiki", "Marisol", "Dani", "Skye", "Paz",
        "Coco", "Lina", "Remy", "Tess", "Ivy", "Yara", "Zoe", "Alba", "Brisa", "Cielo", "Dara", "Esme", "Fern", "Gia", "Honey", "Inés"];
    static readonly string[] Surnames = ["Ortiz Vega", "Lindqvist", "Moreau", "Okafor", "Reyes Luna", "Tanaka", "Kowalska", "Haddad", "Nguyen Tran", "Silva Prado"];
    static readonly string[] Pronouns = ["she/her", "he/him", "they/them", "she/they", "ella", "él"];
    static readonly string[] Languages = ["English", "Spanish", "Mandarin", "Tagalog", "Russian", "Haitian Creole"];

    public async Task<(string Password, IReadOnlyList<DemoLogin> Logins)> SeedDemoAsync(CancellationToken ct = default)
    {
        if (await db.Organizations.AnyAsync(ct)) throw new HavenException("The database already has organizations; demo data goes only into an empty one.", hint: "Seed the demo into a new data folder or an empty database.");
        // All or nothing: a seed that fails part way leaves the database empty, and the next start seeds it again.
        await using var change = await audit.BeginChangeAsync(ct);
        await staff.EnsureRolesAsync();
        var legal = await network.CreateOrganizationAsync("Harborlight Legal Project", OrganizationKind.Legal, "Immigration team", "Record relief team");
        var court = await network.CreateOrganizationAsync("Eastbridge Court Screening Program", OrganizationKind.CourtProgram, "Arraignment part");
        var shelter = await network.CreateOrganizationAsync("Cedar Door Shelter", OrganizationKind.Shelter, "Residential team");
        var clinic = await network.CreateOrganizationAsync("Northgate Community Clinic", OrganizationKind.Health, "Care team");
        var peers = await network.CreateOrganizationAsync("Lantern Peer Collective", OrganizationKind.PeerOrganization, "Outreach");

        var password = StaffAccounts.NewPassword();
        var logins = new List<DemoLogin>();
        async Task<HavenUser> User(Organization org, string local, string name, string role, string? team)
        {
            var email = $"{local}@{org.Kind.ToString().ToLowerInvariant()}.haven.example";
            var user = await staff.CreateAsync(org.Id, email, name, password, role);
            if (team is not null)
                await network.JoinTeamAsync(org.Id, await db.Teams.Where(t => t.OrganizationId == org.Id && t.Name == team).Select(t => t.Id).SingleAsync(ct), user.Id);
            logins.Add(new DemoLogin(email, role, org.Name));
            return user;
        }
        await User(legal, "network", "Network admin", Roles.NetworkAdmin, null);
        await User(legal, "admin", "Legal org admin", Roles.OrgAdmin, null);
        await User(legal, "attorney", "Staff attorney", Roles.Attorney, "Immigration team");
        await User(legal, "advocate", "Case advocate", Roles.Advocate, "Immigration team");
        await User(legal, "advocate2", "Record relief advocate", Roles.Advocate, "Record relief team");
        await User(legal, "researcher", "Research lead", Roles.Researcher, null);
        await User(court, "screener", "Court screener", Roles.Screener, "Arraignment part");
        await User(shelter, "admin", "Shelter admin", Roles.OrgAdmin, null);
        await User(clinic, "admin", "Clinic admin", Roles.OrgAdmin, null);
        await User(peers, "navigator", "Peer navigator", Roles.PeerNavigator, "Outreach");
        await User(peers, "moderator", "Report moderator", Roles.Moderator, null);

        var random = new Random(2026);
        foreach (var (org, count) in new[] { (legal, 24), (court, 6), (shelter, 4), (clinic, 2), (peers, 4) })
        {
            var teams = await db.Teams.Where(t => t.OrganizationId == org.Id).Select(t => t.Id).ToListAsync(ct);
            var clients = Enumerable.Range(0, count).Select(i => Invent(random, i)).ToList();
            await InsertClientsAsync(org.Id, teams, clients, eventsPerClient: 1, ct);
        }
        await SeedDirectoryAsync(shelter.Id, clinic.Id, ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.DataSeeded, null, null, null, "demo"), ct);
        await change.CommitAsync(ct);
        return (password, logins);
    }

    /// <summary>
    /// An invented directory around eight invented towns: 150 services of providers not on Haven (none of them a safe
    /// house: a confidential address is sealed under the key of the organization that lists it), 20 listed by the
    /// shelter (its safe houses among them, with beds) and 15 by the clinic.
    /// </summary>
    async Task SeedDirectoryAsync(Guid shelter, Guid clinic, CancellationToken ct)
    {
        var schema = ServiceDirectory.Hsds.HsdsSchema.BuiltIn;
        var towns = ServiceDirectory.SyntheticDirectory.Towns(8);
        await directory.ImportAsync(ServiceDirectory.SyntheticDirectory.Generate(schema, 0, 150, towns, safeHouseEvery: 0), null, false, "demo", ct: ct);
        await directory.ImportAsync(ServiceDirectory.SyntheticDirectory.Generate(schema, 150, 170, towns, safeHouseEvery: 2), shelter, false, "demo", ct: ct);
        await directory.ImportAsync(ServiceDirectory.SyntheticDirectory.Generate(schema, 170, 185, towns), clinic, false, "demo", ct: ct);
        var now = time.GetUtcNow().UtcDateTime;
        await db.DirectoryServices.Where(s => s.ListedBy == shelter).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.CapacityMaximum, 12).SetProperty(s => s.CapacityAvailable, 3).SetProperty(s => s.CapacityUnit, "beds")
            .SetProperty(s => s.CapacityUpdatedAt, now.AddHours(-2)).SetProperty(s => s.VerifiedAt, now.AddDays(-3)), ct);
    }

    /// <summary>An invented person; phone numbers are in the 555-01xx range reserved for fiction.</summary>
    public static ClientDetails Invent(Random random, int i)
    {
        var name = WorkNames[random.Next(WorkNames.Length)];
        return new ClientDetails
        {
            ChosenName = i % 5 == 0 ? $"{name} {WorkNames[random.Next(WorkNames.Length)]}" : name,
            Pronouns = Pronouns[random.Next(Pronouns.Length)],
            Languages = [.. Languages.OrderBy(_ => random.Next()).Take(1 + random.Next(2))],
            LegalName = random.Next(3) == 0 ? null : $"{name} {Surnames[random.Next(Surnames.Length)]}",
            DateOfBirth = new DateOnly(1970 + random.Next(35), 1 + random.Next(12), 1 + random.Next(28)),
            ContactMethods = [new ContactMethod { Kind = "phone", Value = $"+1 212 555 01{random.Next(100):00}", SafeToContact = random.Next(2) == 0, SafeTimes = "weekdays after 6pm" }],
            CountryOfBirth = random.Next(2) == 0 ? "Country A (synthetic)" : null,
            ImmigrationStatus = random.Next(3) == 0 ? "Synthetic status: pending" : null,
            Address = random.Next(4) == 0 ? $"{random.Next(1, 999)} Invented Street, Apt {random.Next(1, 40)}" : null,
        };
    }

    /// <summary>Synthetic clients at scale in one organization, with ten audit events each.</summary>
    public async Task SeedScaleAsync(int clients, IProgress<int> progress, CancellationToken ct = default)
    {
        var name = "Scale Test Organization";
        var org = await network.FindAsync(name) ?? await network.CreateOrganizationAsync(name, OrganizationKind.Other, "Scale team A", "Scale team B");
        var teams = await db.Teams.Where(t => t.OrganizationId == org.Id).Select(t => t.Id).ToListAsync(ct);
        var random = new Random(clients);
        const int batch = 2000;
        for (var done = 0; done < clients; done += batch)
        {
            var details = Enumerable.Range(done, Math.Min(batch, clients - done)).Select(i => Invent(random, i)).ToList();
            await InsertClientsAsync(org.Id, teams, details, eventsPerClient: 10, ct);
            progress.Report(done + details.Count);
        }
        await audit.RecordAsync(new AuditEntry(AuditEventType.DataSeeded, null, org.Id, null, "scale"), ct);
        // After a bulk load the query planners need fresh statistics to pick the right indexes.
        await db.Database.ExecuteSqlRawAsync("ANALYZE", ct);
    }

    async Task InsertClientsAsync(Guid organizationId, IReadOnlyList<Guid> teams, IReadOnlyList<ClientDetails> people, int eventsPerClient, CancellationToken ct)
    {
        var orgKeys = await keys.ForOrganizationAsync(db, organizationId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var events = new List<AuditEntry>(people.Count * eventsPerClient);
        await using var change = await audit.BeginChangeAsync(ct);
        for (var i = 0; i < people.Count; i++)
        {
            var client = ClientRecords.NewClient(orgKeys, teams[i % teams.Count], people[i], now.AddSeconds(-i));
            db.Clients.Add(client);
            db.ClientSearchTokens.AddRange(ClientRecords.IndexTokens(orgKeys, client.Id, people[i]));
            events.Add(new AuditEntry(AuditEventType.ClientCreated, null, organizationId, client.Id, "seed"));
            for (var e = 1; e < eventsPerClient; e++)
                events.Add(new AuditEntry(e % 3 == 0 ? AuditEventType.ClientUpdated : AuditEventType.ClientViewed, null, organizationId, client.Id, "seed"));
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        await audit.RecordAsync(events, ct);
        await change.CommitAsync(ct);
    }
}
