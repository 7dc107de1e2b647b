using Deque.AxeCore.Playwright;
using Haven.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Haven.BrowserTests;

/// <summary>Haven on Kestrel (a real port on loopback) and Debian's Chromium driven by Playwright.</summary>
public abstract class BrowserFixture<TApp> : IAsyncLifetime where TApp : HavenApp, new()
{
    public TApp App { get; } = new();
    public string BaseUrl { get; private set; } = "";
    IPlaywright? playwright;
    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        App.UseKestrel(0);
        App.StartServer();
        BaseUrl = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(playwright);
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        playwright?.Dispose();
        await App.DisposeAsync();
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, Locale = "en-US" });
        return await context.NewPageAsync();
    }

    public List<string> CheckedPages { get; } = [];

    public async Task AssertAccessibleAsync(IPage page)
    {
        CheckedPages.Add(new Uri(page.Url).AbsolutePath);
        await Chromium.AssertAccessibleAsync(page);
    }
}

/// <summary>Debian's Chromium, started the one way every browser test starts it (never a downloaded browser).</summary>
public static class Chromium
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });

    /// <summary>Runs axe-core on the page and fails on any serious or critical violation.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(bad.Count == 0, $"{page.Url}: " + string.Join("; ", bad.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target))}")));
    }
}

public sealed class SqliteBrowser : BrowserFixture<SqliteApp>;
public sealed class PostgresBrowser : BrowserFixture<PostgresApp>;
