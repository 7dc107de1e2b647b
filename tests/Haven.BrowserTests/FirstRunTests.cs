using System.Text.RegularExpressions;
using Haven.Tests.Infrastructure;
using Microsoft.Playwright;
using Npgsql;
using OtpNet;

namespace Haven.BrowserTests;

/// <summary>
/// A newcomer's first start, done as the README tells it: the real program (not a test host) in an empty folder with
/// nothing configured, sign-in through Chromium with an authenticator enrolled from the code Haven shows, the demo
/// clients and directory, the public search, Ctrl+C, and a second start that keeps what the first one made. The
/// commands come from the README itself, so the README cannot drift from what works.
/// </summary>
public sealed partial class FirstRunTests : IAsyncLifetime
{
    static readonly PageAssertionsToHaveURLOptions Slow = new() { Timeout = 60_000 };
    IPlaywright playwright = default!;
    IBrowser browser = default!;

    public async Task InitializeAsync()
    {
        playwright = await Playwright.CreateAsync();
        browser = await Chromium.LaunchAsync(playwright);
    }

    public async Task DisposeAsync()
    {
        await browser.CloseAsync();
        playwright.Dispose();
    }

    [Fact]
    public async Task The_readmes_first_command_starts_seeds_and_signs_in_on_sqlite()
    {
        var first = Readme.ShellBlock("## Two commands")[0];
        Assert.Equal("dotnet run --project src/Haven", Regex.Replace(first, @"\s+#.*$", ""));
        await NewcomerAsync([first], new Dictionary<string, string>());
    }

    [Fact]
    public async Task The_readmes_postgresql_section_starts_seeds_and_signs_in()
    {
        var block = Readme.ShellBlock("## Running on PostgreSQL");
        var exports = new Dictionary<string, string>();
        foreach (var line in block.Where(l => l.StartsWith("export ", StringComparison.Ordinal)))
        {
            var (name, value) = (line[7..line.IndexOf('=')], line[(line.IndexOf('=') + 1)..].Trim('"'));
            exports[name] = value;
        }
        // The fixture's throwaway cluster stands in for the reader's server: the README's words, on its port.
        var readme = new NpgsqlConnectionStringBuilder(exports["ConnectionStrings__Haven"]);
        Assert.Equal("127.0.0.1", readme.Host);
        readme.Port = PostgresServer.Instance.Port;
        await using (var connection = new NpgsqlConnection(PostgresServer.Instance.ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {readme.Database} WITH (FORCE)", connection).ExecuteNonQueryAsync();
            await new NpgsqlCommand($"CREATE DATABASE {readme.Database} OWNER {readme.Username}", connection).ExecuteNonQueryAsync();
        }
        exports["ConnectionStrings__Haven"] = readme.ConnectionString;
        await NewcomerAsync([.. block.Where(l => l.StartsWith("dotnet run", StringComparison.Ordinal))], exports);
    }

    /// <summary>Runs the README's commands in a new folder; the last one starts the web app, which is then used.</summary>
    async Task NewcomerAsync(IReadOnlyList<string> commands, Dictionary<string, string> exports)
    {
        var folder = HavenProcess.EmptyFolder("first-run");
        var environment = HavenProcess.LaunchProfileEnvironment();
        foreach (var (name, value) in exports) environment[name] = value;
        var printed = "";
        foreach (var command in commands.SkipLast(1))
        {
            var verb = await HavenProcess.RunAsync(folder, environment, Readme.Arguments(command));
            Assert.True(verb.ExitCode == 0, $"{command}: {verb.All}");
            printed += verb.All;
        }
        var web = Readme.Arguments(commands[^1]);
        Assert.Empty(web);
        var port = HavenProcess.FreePort();
        var url = $"http://127.0.0.1:{port}";
        string[] urls = ["--urls", url]; // the README's way to choose the address; 5000 may be taken on a test machine

        var started = System.Diagnostics.Stopwatch.StartNew();
        string password, email, key;
        int clients;
        long lastStep;
        await using (var haven = HavenProcess.Start(folder, environment, urls))
        {
            await haven.WaitForHealthAsync(url, TimeSpan.FromMinutes(3));
            Console.WriteLine($"First start ({(exports.Count == 0 ? "SQLite" : "PostgreSQL")}): healthy after {started.Elapsed.TotalSeconds:F1} s");
            var output = haven.Output;
            Assert.Contains($"Haven is running at {url}", output);
            Assert.Contains("Created a new master key", printed + output);
            password = DemoPassword().Match(output).Groups[1].Value;
            email = AdvocateLogin().Match(output).Groups[1].Value;
            Assert.True(password.Length > 0 && email.Length > 0, "The demo sign-in details are not in what Haven printed:\n" + output);

            var page = await NewPageAsync(url);
            await SignInWithPasswordAsync(page, email, password);
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("EnableAuthenticator"), Slow);
            await Chromium.AssertAccessibleAsync(page);
            key = (await page.Locator("kbd").InnerTextAsync()).Replace(" ", "").ToUpperInvariant();
            (var code, lastStep) = await CodeAsync(key, after: 0);
            await page.GetByLabel("Verification Code").FillAsync(code);
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync("recovery codes", new() { IgnoreCase = true });

            clients = await DemoClientsAsync(page);
            var client = await page.Locator("main table tbody tr a").First.GetAttributeAsync("href");
            await page.GotoAsync($"{client}/services");
            await page.Locator("input[name=need][value=housing]").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            await Assertions.Expect(page.Locator("main ul.results li").First).ToBeVisibleAsync();
            await Chromium.AssertAccessibleAsync(page);

            // The public search needs no account.
            var visitor = await NewPageAsync(url);
            await visitor.GotoAsync("/find");
            await visitor.GetByLabel("What do you need?").SelectOptionAsync("housing");
            await visitor.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            await Assertions.Expect(visitor.Locator("main ul.results li").First).ToBeVisibleAsync();
            await Chromium.AssertAccessibleAsync(visitor);

            Assert.Equal(0, await haven.InterruptAsync());
            Assert.DoesNotContain("error", haven.Errors, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("fail:", haven.Output);
        }

        // The second start keeps the key, the database and the accounts; nothing is seeded again.
        await using (var again = HavenProcess.Start(folder, environment, urls))
        {
            await again.WaitForHealthAsync(url, TimeSpan.FromMinutes(2));
            Assert.DoesNotContain("Demo sign-in", again.Output);
            Assert.DoesNotContain("Created a new master key", again.Output);
            var page = await NewPageAsync(url);
            await SignInWithPasswordAsync(page, email, password);
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("LoginWith2fa"), Slow);
            var (code, _) = await CodeAsync(key, after: lastStep);
            await page.GetByLabel("Authenticator code").FillAsync(code);
            await page.Locator("main").GetByRole(AriaRole.Button).ClickAsync();
            await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/Account/"), Slow);
            Assert.Equal(clients, await DemoClientsAsync(page));
            Assert.Equal(0, await again.InterruptAsync());
            Assert.DoesNotContain("error", again.Errors, StringComparison.OrdinalIgnoreCase);
        }
        Directory.Delete(folder, recursive: true);
    }

    async Task<IPage> NewPageAsync(string url) =>
        await (await browser.NewContextAsync(new() { BaseURL = url, Locale = "en-US" })).NewPageAsync();

    static async Task SignInWithPasswordAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>The client list shows the demo's invented clients.</summary>
    static async Task<int> DemoClientsAsync(IPage page)
    {
        await page.GotoAsync("/clients");
        await Assertions.Expect(page.Locator("main table tbody tr").First).ToBeVisibleAsync();
        await Chromium.AssertAccessibleAsync(page);
        return await page.Locator("main table tbody tr").CountAsync();
    }

    /// <summary>
    /// What an authenticator app shows (Otp.NET, not Haven's own code), for a time step later than the last one used:
    /// Haven takes each code once, and one step either side of now.
    /// </summary>
    static async Task<(string Code, long Step)> CodeAsync(string key, long after)
    {
        var totp = new Totp(Base32Encoding.ToBytes(key));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        var step = Math.Max(after + 1, now);
        while (step > DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30 + 1) await Task.Delay(1000);
        return (totp.ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(step * 30).UtcDateTime), step);
    }

    [GeneratedRegex(@"Password for every demo account: (\S+)")]
    private static partial Regex DemoPassword();

    [GeneratedRegex(@"^\s+Advocate\s+(\S+@\S+)", RegexOptions.Multiline)]
    private static partial Regex AdvocateLogin();
}

/// <summary>The README's own shell blocks, so tests run what a reader would type.</summary>
static class Readme
{
    public static IReadOnlyList<string> ShellBlock(string heading)
    {
        var text = File.ReadAllText(Path.Combine(HavenProcess.RepositoryRoot, "README.md"));
        var section = text.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(section >= 0, $"The README has no section '{heading}'.");
        var open = text.IndexOf("```sh\n", section, StringComparison.Ordinal) + 6;
        var close = text.IndexOf("```", open, StringComparison.Ordinal);
        return [.. text[open..close].Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];
    }

    /// <summary>The arguments of `dotnet run --project src/Haven [-- verb ...]`, as `dotnet run` hands them on.</summary>
    public static string[] Arguments(string command)
    {
        command = Regex.Replace(command, @"\s+#.*$", "");
        const string run = "dotnet run --project src/Haven";
        Assert.StartsWith(run, command);
        var rest = command[run.Length..].Trim();
        if (rest.Length == 0) return [];
        Assert.StartsWith("-- ", rest);
        return rest[3..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
