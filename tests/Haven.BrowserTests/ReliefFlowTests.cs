using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Haven.BrowserTests;

public abstract partial class StaffFlowTests<TFixture, TApp>
{
    /// <summary>An attorney runs both relief screeners for a client and puts the deadlines found on the client's matter.</summary>
    [Fact]
    public async Task Attorney_screens_record_and_immigration_relief_and_sees_the_deadlines_on_the_matter()
    {
        var net = await App.NetworkAsync();
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, net["attorneyA1"]);
        await page.GotoAsync("/clients/new");
        await page.GetByLabel("Chosen name").FillAsync("Relief Browsertest");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Relief Browsertest");
        var client = new Uri(page.Url).AbsolutePath;
        await page.GotoAsync(client + "/matters");
        await page.GetByLabel("Type").SelectOptionAsync("Immigration");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open a matter" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/matters/"), Slow);
        var matter = new Uri(page.Url).AbsolutePath;

        await page.GotoAsync(client + "/relief");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Legal relief" })).ToHaveAttributeAsync("aria-current", "page");
        await fixture.AssertAccessibleAsync(page);

        // A charge by hand: a prostitution conviction while the person was trafficked, with official documentation.
        await page.GetByLabel("Record ID").FillAsync("b-1");
        await page.GetByLabel("Offense section").FillAsync("PL 230.00");
        await page.GetByLabel("Tie to trafficking").SelectOptionAsync("documented");
        await page.GetByLabel("Arrest date").FillAsync("2015-03-01");
        await page.GetByLabel("Disposition date").FillAsync("2015-03-02");
        await page.GetByLabel("Sentence date").FillAsync("2015-03-02");
        await page.GetByLabel("Trafficking began").FillAsync("2014-01-01");
        await page.GetByLabel("Trafficking ended").FillAsync("2016-01-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save charge" }).ClickAsync();
        var vacatur = page.Locator("tr", new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = "ny-vacatur" }) });
        await Assertions.Expect(vacatur).ToContainTextAsync("Eligible");
        await Assertions.Expect(vacatur).ToContainTextAsync("CPL 440.10(1)(i)");
        await fixture.AssertAccessibleAsync(page);

        // A bad charge is refused with the problem named; a pasted CSV row is imported.
        await page.GetByLabel("Record ID").FillAsync("b-9");
        await page.GetByLabel("Offense section").FillAsync("PL 999.10");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save charge" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("is not a section the NY rules know");
        await fixture.AssertAccessibleAsync(page);
        var header = "record_id,person_ref,jurisdiction,court,docket,arrest_date,offense_section,offense_level,disposition,disposition_date,sentence_date,release_date,supervision_end_date,trafficking_nexus,victim_from,victim_until";
        await page.GetByLabel("Import charges from a record CSV").FillAsync(header + "\nb-2,x,NY,Queens,CR-2,2016-04-01,PL 155.25,misdemeanor,dismissed,2016-06-01,,,,none,,");
        await page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "PL 155.25" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr", new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = "ny-favorable-sealing" }) })).ToContainTextAsync("Already sealed");

        // The client decides to seek vacatur: the decision shows on the charge's row.
        await page.GetByLabel("Relief", new() { Exact = true }).SelectOptionAsync("ny-vacatur|b-1");
        await page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("Filed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the decision" }).ClickAsync();
        await Assertions.Expect(vacatur).ToContainTextAsync("Filed");

        // Immigration facts: labor trafficking, arrived a hundred days ago, fears persecution.
        var arrived = DateOnly.FromDateTime(App.Clock.GetUtcNow().UtcDateTime).AddDays(-100);
        await page.GetByLabel("recruited, moved, kept or obtained for labor").SelectOptionAsync("yes");
        await page.GetByLabel("on account of the trafficking").SelectOptionAsync("yes");
        await page.GetByLabel("unable to assist because of physical or psychological trauma").SelectOptionAsync("yes");
        await page.GetByLabel("fear persecution").SelectOptionAsync("yes");
        await page.GetByLabel("last arrive in the United States").FillAsync(arrived.ToString("yyyy-MM-dd"));
        await page.GetByLabel("engaged in prostitution within the last ten years").SelectOptionAsync("yes");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save facts" }).ClickAsync();
        var t = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "T nonimmigrant status" }) });
        await Assertions.Expect(t).ToContainTextAsync("Met: A victim of a severe form of trafficking");
        await Assertions.Expect(t).ToContainTextAsync("INA 212(d)(13)");
        await Assertions.Expect(page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Continued Presence" }) }))
            .ToContainTextAsync("Only federal law enforcement can request Continued Presence");
        var due = arrived.AddYears(1).ToString("yyyy-MM-dd");
        await Assertions.Expect(page.Locator("#deadlines + ul")).ToContainTextAsync($"{due}: Asylum: one year from the last arrival");
        await fixture.AssertAccessibleAsync(page);

        // The deadlines go onto the matter, where its deadlines list shows them.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add as tasks" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("task(s) added to the matter");

        // A draft motion needs the legal name; with it, the download opens as a valid DOCX marked DRAFT.
        await page.GetByRole(AriaRole.Link, new() { Name = "Notice of motion and affirmation to vacate" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Record the client's legal name");
        await fixture.AssertAccessibleAsync(page);
        using (var api = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) })
        {
            api.DefaultRequestHeaders.Authorization = new("Bearer", net["attorneyA1"].Token);
            var id = client.Split('/')[^1];
            (await api.PutAsJsonAsync($"/api/clients/{id}", new { chosenName = "Relief Browsertest", legalName = "Legal Browsertest Name" })).EnsureSuccessStatusCode();
        }
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Notice of motion and affirmation to vacate" }).ClickAsync());
        Assert.Equal("vacatur-motion-DRAFT.docx", download.SuggestedFilename);
        using (var docx = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open((await download.PathAsync())!, false))
        {
            Assert.Empty(new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(docx));
            var text = docx.MainDocumentPart!.Document.Body!.InnerText;
            Assert.StartsWith("DRAFT FOR ATTORNEY REVIEW", text);
            Assert.Contains("Legal Browsertest Name", text);
        }

        await page.GotoAsync(matter);
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync($"{due} 09:00 UTC — Filing deadline: Asylum: one year from the last arrival");
        await fixture.AssertAccessibleAsync(page);
    }
}
