using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Haven.BrowserTests;

public abstract partial class StaffFlowTests<TFixture, TApp>
{
    /// <summary>An advocate and an attorney: consent, a refused and an allowed disclosure, a privileged note, the client's printed record.</summary>
    [Fact]
    public async Task Advocate_and_attorney_record_consent_share_write_privileged_notes_and_print_the_record()
    {
        var net = await App.NetworkAsync();
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, net["advocateA1"]);
        await page.GotoAsync("/clients/new");
        await page.GetByLabel("Chosen name").FillAsync("Ines Browsertest");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Ines Browsertest");
        var client = new Uri(page.Url).AbsolutePath;

        // Without consent, a letter to the shelter is refused, and the refusal is shown.
        await page.GetByRole(AriaRole.Link, new() { Name = "Share" }).ClickAsync();
        await fixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Share with").SelectOptionAsync($"org:{net.OrgB}");
        await page.GetByLabel("Identity").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Prepare the letter" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not shared: no consent covers this.");
        await fixture.AssertAccessibleAsync(page);

        // Record consent with the client present: the wording is shown in Spanish before it is recorded.
        await page.GotoAsync(client + "/consent");
        await fixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Record consent" }).ClickAsync();
        await page.GetByLabel("Shared with").SelectOptionAsync($"org:{net.OrgB}");
        await page.GetByLabel("Identity").CheckAsync();
        await page.GetByLabel("Purpose").FillAsync("Plaza en el refugio");
        await page.GetByLabel("verbal").CheckAsync();
        await page.GetByLabel("Client's language").SelectOptionAsync("es");
        await page.GetByLabel("The client is here with me and agrees").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the wording" }).ClickAsync();
        await Assertions.Expect(page.Locator(".wording")).ToContainTextAsync("Usted acepta que compartamos");
        await fixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "The client agrees: record consent" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Consent recorded");
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("In force");
        await fixture.AssertAccessibleAsync(page);

        // Now the letter carries what the consent covers.
        await page.GotoAsync(client + "/share");
        await page.GetByLabel("Share with").SelectOptionAsync($"org:{net.OrgB}");
        await page.GetByLabel("Identity").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Prepare the letter" }).ClickAsync();
        await Assertions.Expect(page.Locator("article.letter")).ToContainTextAsync("Ines Browsertest");
        await Assertions.Expect(page.Locator("article.letter")).ToContainTextAsync("Plaza en el refugio");
        await fixture.AssertAccessibleAsync(page);

        // Open a matter and write a team note.
        await page.GotoAsync(client + "/matters");
        await fixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Type").SelectOptionAsync("Immigration");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open a matter" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/matters/"), Slow);
        var matter = new Uri(page.Url).AbsolutePath;
        await page.GetByLabel("Note", new() { Exact = true }).FillAsync("Prefers calls after 6 pm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Assertions.Expect(page.Locator(".note-body")).ToContainTextAsync("Prefers calls after 6 pm");
        await fixture.AssertAccessibleAsync(page);

        // Upload a document and download it again.
        var pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n% synthetic browser test file\n");
        await page.GetByLabel("File").SetInputFilesAsync(new FilePayload { Name = "statement.pdf", MimeType = "application/pdf", Buffer = pdf });
        await page.GetByLabel("What it is").SelectOptionAsync("Evidence");
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The document was added.");
        await fixture.AssertAccessibleAsync(page);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "statement.pdf" }).ClickAsync());
        Assert.Equal("statement.pdf", download.SuggestedFilename);
        Assert.Equal(pdf, await File.ReadAllBytesAsync((await download.PathAsync())!));

        // The other side of the matter, then a conflict check that finds it by sound.
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("John Smith");
        await page.GetByLabel("Role").SelectOptionAsync("Employer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a party on the other side" }).ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("John Smith");
        await page.GetByRole(AriaRole.Link, new() { Name = "Conflict check" }).ClickAsync();
        await page.GetByLabel("Names to check").FillAsync("Jon Smyth");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("John Smith");
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("sounds alike");
        await fixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Needs review").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Record conclusion" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your conclusion was recorded.");
        await page.GotoAsync(matter);

        // The attorney writes a privileged note; the advocate sees only that it exists.
        var attorney = await fixture.NewPageAsync();
        await SignInAsync(attorney, net["attorneyA1"]);
        await attorney.GotoAsync(matter);
        await attorney.GetByLabel("Note", new() { Exact = true }).FillAsync("Privileged: T visa strategy");
        await attorney.GetByLabel("Attorneys only (privileged)").CheckAsync();
        await attorney.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Assertions.Expect(attorney.Locator("main")).ToContainTextAsync("Privileged: T visa strategy");
        await fixture.AssertAccessibleAsync(attorney);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("A privileged note exists here");
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("T visa strategy");

        // A filing deadline on the matter shows up on "My deadlines" and in the calendar feed, without the client's name.
        await page.GotoAsync(matter);
        await page.GetByLabel("Kind").SelectOptionAsync("FilingDeadline");
        await page.GetByLabel("Due (UTC)").FillAsync(App.Clock.GetUtcNow().UtcDateTime.AddDays(10).ToString("yyyy-MM-ddTHH:mm"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a deadline" }).ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Filing deadline");
        await page.GetByRole(AriaRole.Link, new() { Name = "My deadlines" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("Filing deadline");
        await fixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create a calendar address" }).ClickAsync();
        var feedUrl = await page.Locator(".feed-url").InnerTextAsync();
        await fixture.AssertAccessibleAsync(page);
        var feed = await page.APIRequest.GetAsync(feedUrl);
        Assert.Equal(200, feed.Status);
        var calendar = await feed.TextAsync();
        Assert.Contains("SUMMARY:Filing deadline: matter M-", calendar);
        Assert.DoesNotContain("Ines", calendar);

        // The safety plan, written with the client and printable.
        await page.GotoAsync(client + "/safety-plan/edit");
        await fixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Code words").FillAsync("Asking for the blue notebook means call for help");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("article")).ToContainTextAsync("blue notebook");
        await fixture.AssertAccessibleAsync(page);

        // The client's record of who has seen and received their data, printed in Spanish.
        await page.GotoAsync(client + "/disclosure-record");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Who has seen or received your information");
        await fixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Español" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Quién ha visto o recibido su información");
        await Assertions.Expect(page.Locator("article")).ToContainTextAsync("Se negó compartir");
        await Assertions.Expect(page.Locator("article")).ToContainTextAsync("Se compartió");
        await fixture.AssertAccessibleAsync(page);
    }
}
