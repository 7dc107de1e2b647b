using System.Text.RegularExpressions;
using Haven.Features.Accounts;
using Haven.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Haven.BrowserTests;

/// <summary>What a staff member does on their first day, in a real browser, with axe-core on every page.</summary>
public abstract partial class StaffFlowTests<TFixture, TApp>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : BrowserFixture<TApp> where TApp : HavenApp, new()
{
    HavenApp App => fixture.App;

    // Polls the address instead of waiting for load events, which race with redirects after a form post.
    static readonly PageAssertionsToHaveURLOptions Slow = new() { Timeout = 60_000 };

    string Code(string key)
    {
        App.Clock.Advance(TimeSpan.FromSeconds(31)); // a fresh time step: codes are single-use
        return Totp.Compute(Base32.Decode(key), App.Clock.GetUtcNow().ToUnixTimeSeconds() / 30).ToString("D6");
    }

    async Task SignInWithPasswordAsync(IPage page, TestStaff staff)
    {
        await page.GotoAsync("/Account/Login");
        await fixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Email").FillAsync(staff.Email);
        await page.GetByLabel("Password").FillAsync(staff.Password);
        await page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    async Task SignInAsync(IPage page, TestStaff staff)
    {
        await SignInWithPasswordAsync(page, staff);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("LoginWith2fa"), Slow);
        await fixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Authenticator code").FillAsync(Code(staff.AuthenticatorKey));
        await page.Locator("main").GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/Account/"), Slow);
    }

    [Fact]
    public async Task First_sign_in_enrols_totp_then_creates_finds_and_opens_a_client()
    {
        var net = await App.NetworkAsync();
        var page = await fixture.NewPageAsync();

        // First sign-in: no second factor yet, so Haven asks for one before anything else.
        await SignInWithPasswordAsync(page, net["newcomerA"]);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("EnableAuthenticator"), Slow);
        // The stylesheet loads under the Content-Security-Policy (axe then checks the real colours).
        await Assertions.Expect(page.Locator("body")).ToHaveCSSAsync("background-color", "rgb(251, 250, 247)");
        await fixture.AssertAccessibleAsync(page);
        await page.GotoAsync("/clients");
        Assert.Contains("EnableAuthenticator", page.Url);
        var key = (await page.Locator("kbd").InnerTextAsync()).Replace(" ", "").ToUpperInvariant();
        Assert.True(await page.Locator("img.qr").IsVisibleAsync());
        await page.GetByLabel("Verification Code").FillAsync(Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.Locator(".recovery-codes, main")).ToContainTextAsync("recovery codes", new() { IgnoreCase = true });
        await fixture.AssertAccessibleAsync(page);

        // Create a client.
        await page.GotoAsync("/clients");
        await fixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "New client" }).ClickAsync();
        await fixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("ChosenName is required");
        await fixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Chosen name").FillAsync("Marisol Browsertest");
        await page.GetByLabel("Pronouns").FillAsync("she/her");
        await page.GetByLabel("Phone").FillAsync("+1 212 555 0144");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Marisol Browsertest");
        var clientUrl = page.Url;
        if (Environment.GetEnvironmentVariable("HAVEN_SCREENSHOTS") is { } folder)
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "client.png"), FullPage = true });
        await fixture.AssertAccessibleAsync(page);

        // Edit and delete pages render and are accessible (nothing is deleted here).
        await page.GotoAsync(clientUrl + "/edit");
        await fixture.AssertAccessibleAsync(page);
        await page.GotoAsync(clientUrl + "/delete");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("destroys the client's encryption key");
        await fixture.AssertAccessibleAsync(page);

        // Find the client by the first letters of a name, and by phone.
        await page.GotoAsync("/clients");
        await page.GetByLabel("Chosen name").FillAsync("browsert");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("Marisol Browsertest");
        await fixture.AssertAccessibleAsync(page);
        Assert.DoesNotContain("browsert", page.Url); // search terms never travel in a URL

        // Switch to Spanish and back.
        await page.GetByLabel("Language").SelectOptionAsync("es");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Clientes");
        Assert.Equal("es", await page.Locator("html").GetAttributeAsync("lang"));
        await fixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Idioma").SelectOptionAsync("en");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cambiar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Clients");

        // Account page, then sign out.
        await page.GotoAsync("/Account/Manage");
        await fixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/Login"), Slow);
        await page.GotoAsync(clientUrl);
        Assert.Contains("/Account/Login", page.Url);

        // A colleague on another team breaks the glass, with a reason.
        var colleague = await fixture.NewPageAsync();
        await SignInAsync(colleague, net["advocateA2"]);
        await fixture.AssertAccessibleAsync(colleague);
        await colleague.GotoAsync(new Uri(clientUrl).AbsolutePath);
        await Assertions.Expect(colleague.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Break the glass");
        await fixture.AssertAccessibleAsync(colleague);
        await Assertions.Expect(colleague.Locator("main")).Not.ToContainTextAsync("Marisol");
        await colleague.GetByLabel("Reason").FillAsync("Covering the hotline tonight; the client asked for help");
        await colleague.GetByRole(AriaRole.Button, new() { Name = "Open the record" }).ClickAsync();
        await Assertions.Expect(colleague.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Marisol Browsertest");
        await Assertions.Expect(colleague.GetByRole(AriaRole.Status)).ToContainTextAsync("breaking the glass");
        await fixture.AssertAccessibleAsync(colleague);

        // The org admin sees the break-the-glass reason in the audit log.
        var admin = await fixture.NewPageAsync();
        await SignInAsync(admin, net["adminA"]);
        await admin.GotoAsync("/admin/audit");
        await Assertions.Expect(admin.Locator("main")).ToContainTextAsync("Covering the hotline tonight");
        await fixture.AssertAccessibleAsync(admin);
        await admin.GotoAsync("/admin/staff");
        await Assertions.Expect(admin.GetByRole(AriaRole.Table)).ToContainTextAsync(net["advocateA2"].Email);
        await fixture.AssertAccessibleAsync(admin);

        // A page that does not exist.
        await admin.GotoAsync("/clients/" + Guid.NewGuid());
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not found");
        await fixture.AssertAccessibleAsync(admin);
    }
}

public sealed class StaffFlowSqlite(SqliteBrowser fixture) : StaffFlowTests<SqliteBrowser, SqliteApp>(fixture);
public sealed class StaffFlowPostgres(PostgresBrowser fixture) : StaffFlowTests<PostgresBrowser, PostgresApp>(fixture);
