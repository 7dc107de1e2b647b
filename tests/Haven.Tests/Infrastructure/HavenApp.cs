using System.Net.Http.Headers;
using System.Net.Http.Json;
using Haven.Data;
using Haven.Features.Accounts;
using Haven.Features.Clients;
using Haven.Features.Consent;
using Haven.Features.Organizations;
using Haven.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Haven.Tests.Infrastructure;

/// <summary>
/// The real app on a real database: a fresh SQLite file or a fresh database on the throwaway
/// PostgreSQL cluster, its own data directory and master key. Two organizations are set up.
/// </summary>
public abstract class HavenApp : WebApplicationFactory<Program>
{
    public DatabaseProvider Provider { get; }
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "haven-test-" + Guid.NewGuid().ToString("N")[..12]);
    public string ConnectionString { get; }
    public TestClock Clock { get; } = new();
    public CapturedLogs Logs { get; } = new();
    public Dictionary<string, string> Settings { get; } = new()
    {
        ["Security:SignInAttemptsPerMinute"] = "1000",
        ["Logging:Console:LogLevel:Default"] = "Warning", // keep test output readable; captured logs still see everything
        // Two warnings that only a test host gives: TestServer cannot limit request bodies (Kestrel can, and the browser
        // and first-run tests use it), and the attack tests post forms without their antiforgery token on purpose.
        ["Logging:Console:LogLevel:Microsoft.AspNetCore.Routing.EndpointRoutingMiddleware"] = "Error",
        ["Logging:Console:LogLevel:Microsoft.AspNetCore.Antiforgery"] = "Error",
    };

    protected HavenApp(DatabaseProvider provider)
    {
        Provider = provider;
        Directory.CreateDirectory(DataDirectory);
        ConnectionString = provider == DatabaseProvider.Sqlite
            ? $"Data Source={Path.Combine(DataDirectory, "haven.db")}"
            : PostgresServer.Instance.CreateDatabase();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseStaticWebAssets(); // serve the real stylesheet, so axe checks the pages as people see them
        builder.UseSetting("Haven:DataDirectory", DataDirectory);
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("ConnectionStrings:Haven", ConnectionString);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    /// <summary>The CLI's configuration for this app's database and data directory.</summary>
    public Dictionary<string, string> CliEnvironment => new()
    {
        ["DOTNET_ENVIRONMENT"] = "Testing",
        ["Haven__DataDirectory"] = DataDirectory,
        ["Database__Provider"] = Provider.ToString(),
        ["ConnectionStrings__Haven"] = ConnectionString,
    };

    TestNetwork? network;
    readonly SemaphoreSlim setup = new(1, 1);

    /// <summary>Two organizations with staff of every client-facing role, enrolled in TOTP.</summary>
    public async Task<TestNetwork> NetworkAsync()
    {
        await setup.WaitAsync();
        try { return network ??= await TestNetwork.CreateAsync(this); }
        finally { setup.Release(); }
    }

    public T WithScope<T>(Func<IServiceProvider, T> use)
    {
        using var scope = Services.CreateScope();
        return use(scope.ServiceProvider);
    }

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> use)
    {
        using var scope = Services.CreateScope();
        return await use(scope.ServiceProvider);
    }

    public HttpClient ApiClient(string token)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A new client (only a chosen name) through the API, as the staff member holding the token.</summary>
    public async Task<Guid> NewClientAsync(string token, string chosenName)
    {
        var created = await ApiClient(token).PostAsJsonAsync("/api/clients", new CreateClientRequest(new ClientDetails { ChosenName = chosenName }, null));
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
    }

    /// <summary>Records the client's consent (present, verbal, English, 30 days) to share these categories with a recipient class.</summary>
    public async Task<HttpResponseMessage> GrantAsync(string token, Guid client, RecipientClass to, params DataCategory[] categories) =>
        await ApiClient(token).PostAsJsonAsync($"/api/clients/{client}/consents", new ConsentInput
        {
            Categories = [.. categories],
            RecipientClass = to,
            Purpose = "Synthetic test purpose",
            Method = ConsentMethod.Verbal,
            Language = "en",
            ClientPresent = true,
            ExpiresOn = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime.AddDays(30)),
        }, JsonBody.Json);

    /// <summary>A cookie-keeping client that does not follow redirects; pass a jar to look inside it.</summary>
    public HttpClient BrowserClient(System.Net.CookieContainer? jar = null) =>
        CreateDefaultClient(new Uri("http://localhost"), new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(jar ?? new System.Net.CookieContainer()));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteApp() : HavenApp(DatabaseProvider.Sqlite);
public sealed class PostgresApp() : HavenApp(DatabaseProvider.Postgres);

public sealed record TestStaff(string Email, string Password, string Id, Guid OrganizationId, string AuthenticatorKey, string Token);

/// <summary>Org A ("Riverside Legal Test") has two teams; org B ("Hillcrest Shelter Test") is the other tenant.</summary>
public sealed class TestNetwork
{
    public const string Password = "Test-password-123";
    public required Guid OrgA { get; init; }
    public required Guid OrgB { get; init; }
    public required Guid TeamA1 { get; init; }
    public required Guid TeamA2 { get; init; }
    public required Dictionary<string, TestStaff> Staff { get; init; }

    public TestStaff this[string name] => Staff[name];

    public static async Task<TestNetwork> CreateAsync(HavenApp app)
    {
        _ = app.Services; // starts the host: migrations run
        using var scope = app.Services.CreateScope();
        var s = scope.ServiceProvider;
        var network = s.GetRequiredService<Network>();
        var db = s.GetRequiredService<HavenDb>();
        var orgA = await network.CreateOrganizationAsync("Riverside Legal Test " + Guid.NewGuid().ToString("N")[..6], OrganizationKind.Legal, "Team one", "Team two");
        var orgB = await network.CreateOrganizationAsync("Hillcrest Shelter Test " + Guid.NewGuid().ToString("N")[..6], OrganizationKind.Shelter, "Shelter team");
        var teams = await db.Teams.Where(t => t.OrganizationId == orgA.Id).ToDictionaryAsync(t => t.Name, t => t.Id);
        var teamB = await db.Teams.Where(t => t.OrganizationId == orgB.Id).Select(t => t.Id).SingleAsync();
        var staff = new Dictionary<string, TestStaff>();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        async Task Add(string name, Guid org, string role, Guid? team, bool enrol = true)
        {
            var accounts = s.GetRequiredService<StaffAccounts>();
            var users = s.GetRequiredService<UserManager<HavenUser>>();
            var user = await accounts.CreateAsync(org, $"{name}-{suffix}@test.haven.example", name, Password, role);
            if (team is { } t) await network.JoinTeamAsync(org, t, user.Id);
            string key = "";
            string token = "";
            if (enrol)
            {
                await users.ResetAuthenticatorKeyAsync(user);
                key = (await users.GetAuthenticatorKeyAsync(user))!;
                await users.SetTwoFactorEnabledAsync(user, true);
                token = (await s.GetRequiredService<ApiTokens>().CreateAsync(user, TimeSpan.FromDays(1))).Token;
            }
            staff[name] = new TestStaff(user.Email!, Password, user.Id, org, key, token);
        }
        await Add("adminA", orgA.Id, Roles.OrgAdmin, null);
        await Add("advocateA1", orgA.Id, Roles.Advocate, teams["Team one"]);
        await Add("attorneyA1", orgA.Id, Roles.Attorney, teams["Team one"]);
        await Add("advocateA2", orgA.Id, Roles.Advocate, teams["Team two"]);
        await Add("researcherA", orgA.Id, Roles.Researcher, null);
        await Add("advocateB", orgB.Id, Roles.Advocate, teamB);
        await Add("newcomerA", orgA.Id, Roles.Advocate, teams["Team one"], enrol: false);
        return new TestNetwork { OrgA = orgA.Id, OrgB = orgB.Id, TeamA1 = teams["Team one"], TeamA2 = teams["Team two"], Staff = staff };
    }
}
