using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Haven;
using Haven.Bench;
using Haven.Data;
using Haven.Features.Accounts;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Features.Operations;
using Haven.Features.Organizations;
using Haven.Security;
using Haven.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Haven benchmarks. Usage: dotnet run -c Release --project bench/Haven.Bench -- [clients] [sqlite|postgres|both] [seconds]
var clients = args.Length > 0 ? int.Parse(args[0]) : 100_000;
var providers = (args.Length > 1 ? args[1] : "both") switch
{
    "sqlite" => new[] { DatabaseProvider.Sqlite },
    "postgres" => [DatabaseProvider.Postgres],
    _ => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres],
};
var seconds = args.Length > 2 ? int.Parse(args[2]) : 10;
const int Connections = 8;

Console.WriteLine($"Haven benchmarks: {clients:N0} clients in one organization (ten audit events each), {Connections} connections, {seconds} s per endpoint, on {Environment.ProcessorCount} cores.");
EncryptionThroughput();

foreach (var provider in providers)
{
    Console.WriteLine();
    Console.WriteLine($"== {provider} ==");
    var dataDirectory = Path.Combine(Path.GetTempPath(), "haven-bench-" + Guid.NewGuid().ToString("N")[..8]);
    Directory.CreateDirectory(dataDirectory);
    var connectionString = provider == DatabaseProvider.Sqlite ? $"Data Source={Path.Combine(dataDirectory, "haven.db")}" : PostgresServer.Instance.CreateDatabase();
    var environment = new Dictionary<string, string>
    {
        ["DOTNET_ENVIRONMENT"] = "Benchmark",
        ["ASPNETCORE_ENVIRONMENT"] = "Benchmark",
        ["Haven__DataDirectory"] = dataDirectory,
        ["Database__Provider"] = provider.ToString(),
        ["ConnectionStrings__Haven"] = connectionString,
        ["Logging__LogLevel__Default"] = "Warning",
    };
    foreach (var (k, v) in environment) Environment.SetEnvironmentVariable(k, v);

    var builder = Host.CreateApplicationBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.AddHavenCore();
    using var host = builder.Build();
    await HavenHost.PrepareAsync(host.Services, builder.Environment);

    var watch = Stopwatch.StartNew();
    using (var scope = host.Services.CreateScope())
        await scope.ServiceProvider.GetRequiredService<Seeding>().SeedScaleAsync(clients, new Progress<int>());
    Console.WriteLine($"seed --scale {clients:N0}: {watch.Elapsed.TotalSeconds:F1} s");

    string token, key, email;
    Guid[] sampleIds;
    using (var scope = host.Services.CreateScope())
    {
        var s = scope.ServiceProvider;
        var db = s.GetRequiredService<HavenDb>();
        var org = (await s.GetRequiredService<Network>().FindAsync("Scale Test Organization"))!;
        email = $"bench-{Guid.NewGuid():N}@bench.haven.example";
        var user = await s.GetRequiredService<StaffAccounts>().CreateAsync(org.Id, email, "Bench admin", TestNetwork.Password, Roles.OrgAdmin);
        var users = s.GetRequiredService<UserManager<HavenUser>>();
        await users.ResetAuthenticatorKeyAsync(user);
        key = (await users.GetAuthenticatorKeyAsync(user))!;
        await users.SetTwoFactorEnabledAsync(user, true);
        token = (await s.GetRequiredService<ApiTokens>().CreateAsync(user, TimeSpan.FromHours(2))).Token;
        sampleIds = await db.Clients.Where(c => c.OrganizationId == org.Id).OrderBy(c => c.Id).Take(2000).Select(c => c.Id).ToArrayAsync();
        var events = await db.AuditEvents.LongCountAsync();
        watch.Restart();
        var verified = await AuditChain.VerifyAsync(db);
        Console.WriteLine($"audit verify: {verified.EventsChecked:N0} of {events:N0} events in {watch.Elapsed.TotalSeconds:F2} s ({(verified.Intact ? "intact" : "BROKEN")})");
    }

    var port = FreePort();
    var server = StartServer(port, environment);
    var baseUrl = $"http://127.0.0.1:{port}";
    try
    {
        await WaitForHealthAsync(baseUrl);
        var duration = TimeSpan.FromSeconds(seconds);
        var bearer = $"Authorization: Bearer {token}";
        var lists = Enumerable.Range(1, 20).Select(p => $"/clients?page={p}").ToArray();
        var pages = sampleIds.Select(id => $"/clients/{id}").ToArray();
        // Each endpoint is first checked (every path must answer 200 with these credentials, so a redirect to
        // sign-in cannot pass for a fast page), then warmed up under the same load so JIT tiering and cold
        // caches are not measured.
        async Task Measure(string name, string header, string[] paths)
        {
            using (var check = new HttpClient { BaseAddress = new Uri(baseUrl) })
            {
                var request = new HttpRequestMessage(HttpMethod.Get, paths[0]);
                var colon = header.IndexOf(':');
                request.Headers.TryAddWithoutValidation(header[..colon], header[(colon + 1)..].Trim());
                var response = await check.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{name}: {paths[0]} answered {(int)response.StatusCode}.");
            }
            await LoadGenerator.RunAsync("warm-up", baseUrl, header, paths, Connections, TimeSpan.FromSeconds(10));
            Console.WriteLine(await LoadGenerator.RunAsync(name, baseUrl, header, paths, Connections, duration));
        }
        await Measure("GET /health (framework ceiling)", bearer, ["/health"]);
        await Measure("GET /api/clients (50 rows, decrypted)", bearer, [.. lists.Select(p => "/api" + p)]);
        await Measure("GET /api/clients/{id}", bearer, [.. pages.Select(p => "/api" + p)]);

        var cookies = new CookieContainer();
        await SignInAsync(baseUrl, cookies, email, key);
        var cookie = $"Cookie: {cookies.GetCookieHeader(new Uri(baseUrl))}";
        await Measure("GET /clients page (50 rows, HTML)", cookie, lists);
        await Measure("GET /clients/{id} page (HTML)", cookie, pages);
    }
    finally
    {
        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync();
        try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { }
    }
}
return 0;

static void EncryptionThroughput()
{
    var org = new OrganizationKeys(Guid.NewGuid(), Crypto.NewKey());
    var details = Seeding.Invent(new Random(1), 0);
    var clientKey = Crypto.NewKey();
    var client = new Client { Reference = "C-BENCH", WrappedKey = org.WrapClientKey(Guid.Empty, clientKey), SealedDetails = [], Id = Guid.Empty };
    var watch = Stopwatch.StartNew();
    var count = 0;
    while (watch.ElapsedMilliseconds < 2000)
    {
        client.SealedDetails = ClientRecords.Seal(clientKey, client.Id, details);
        _ = ClientRecords.Open(org, client);
        count++;
    }
    Console.WriteLine($"encrypt+decrypt one client record (unwrap key, AES-256-GCM, JSON): {count / watch.Elapsed.TotalSeconds:N0} per second ({watch.Elapsed.TotalMilliseconds * 1000 / count:F1} µs each)");
}

static Process StartServer(int port, Dictionary<string, string> environment)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
    start.ArgumentList.Add(typeof(HavenHost).Assembly.Location);
    start.ArgumentList.Add("--urls");
    start.ArgumentList.Add($"http://127.0.0.1:{port}");
    foreach (var (k, v) in environment) start.Environment[k] = v;
    var process = Process.Start(start)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("server: " + e.Data); };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static async Task WaitForHealthAsync(string baseUrl)
{
    using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
    for (var i = 0; i < 120; i++)
    {
        try { if ((await client.GetAsync("/health")).IsSuccessStatusCode) return; }
        catch (HttpRequestException) { }
        await Task.Delay(500);
    }
    throw new TimeoutException("The server did not answer /health.");
}

static async Task SignInAsync(string baseUrl, CookieContainer cookies, string email, string key)
{
    using var client = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
    async Task<HttpResponseMessage> Submit(string url, string form, Dictionary<string, string> fields)
    {
        var html = await client.GetStringAsync(url);
        var token = Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        return await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["_handler"] = form, ["__RequestVerificationToken"] = token }));
    }
    await Submit("/Account/Login", "login", new() { ["Input.Email"] = email, ["Input.Password"] = TestNetwork.Password });
    var code = Totp.Compute(Base32.Decode(key), DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30).ToString("D6");
    var done = await Submit("/Account/LoginWith2fa", "login-with-2fa", new() { ["Input.TwoFactorCode"] = code });
    if (done.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException("Bench sign-in failed.");
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
