using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Haven.BrowserTests;

public abstract partial class StaffFlowTests<TFixture, TApp>
{
    /// <summary>An advocate runs each built-in instrument end to end in English and in Spanish, and a person takes the
    /// needs check in Simplified Chinese; axe-core checks the questions and the results.</summary>
    [Fact]
    public async Task Advocate_runs_every_instrument_in_english_and_spanish_and_the_needs_check_in_chinese()
    {
        var net = await App.NetworkAsync();
        var page = await fixture.NewPageAsync();
        await SignInAsync(page, net["advocateA1"]);
        await page.GotoAsync("/clients/new");
        await page.GetByLabel("Chosen name").FillAsync("Rosa Screentest");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Rosa Screentest");
        var client = new Uri(page.Url).AbsolutePath;

        // Agreement first: without it nothing starts.
        await page.GetByRole(AriaRole.Link, new() { Name = "Screenings", Exact = true }).ClickAsync();
        await fixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Instrument").SelectOptionAsync("short-screen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start a screening" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Record the person's agreement");

        var firstQuestion = new Dictionary<(string, string), string>
        {
            [("short-screen", "en")] = "How old are you?",
            [("short-screen", "es")] = "¿Cuántos años tiene?",
            [("full-screen", "en")] = "How old are you?",
            [("full-screen", "es")] = "¿Cuántos años tiene?",
            [("needs-check", "en")] = "Do you need a place to stay",
            [("needs-check", "es")] = "¿Necesita un lugar donde quedarse",
            [("court-screen", "en")] = "How old are you?",
            [("court-screen", "es")] = "¿Cuántos años tiene?",
        };
        foreach (var ((instrument, language), text) in firstQuestion)
        {
            await StartAsync(page, client, instrument, language);
            await Assertions.Expect(page.Locator("fieldset.question legend").First).ToContainTextAsync(text);
            await Assertions.Expect(page.Locator($"fieldset.question legend[lang='{language}']").First).ToBeVisibleAsync();
            if (language == "es") await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("draft");
            await fixture.AssertAccessibleAsync(page);
            await ScreenshotsAsync(page, $"{instrument}-{language}-form");
            await AnswerEverySectionAsync(page);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Screening result" })).ToBeVisibleAsync();
            if (instrument == "needs-check") await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Needs the person named");
            // The result reads in the screening's language, and always ends with the offer of services.
            else await Assertions.Expect(page.Locator(".summary")).ToHaveTextAsync(language == "es"
                ? new Regex("^(Hay indicadores|Considere una evaluación completa|No se identificaron indicadores de trata)$")
                : new Regex("^(Indicators present|Consider a full assessment|No trafficking indicators identified)$"));
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync(language == "es" ? "Sea cual sea el resultado" : "Whatever the result");
            await ScreenshotsAsync(page, $"{instrument}-{language}-result");
            await fixture.AssertAccessibleAsync(page);
        }

        // The short screen with documents kept and threats: indicators, and a safety plan link as a next step.
        await StartAsync(page, client, "short-screen", "en");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and continue" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and continue" }).ClickAsync();
        await Assertions.Expect(page.Locator("h2[lang]")).ToContainTextAsync("At work now");
        await page.GetByRole(AriaRole.Group, new() { Name = "Does someone else keep your ID or passport" }).GetByLabel("Yes").CheckAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Has anyone threatened you or your family" }).GetByLabel("Yes").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause and come back later" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("In progress");
        await page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Link).First.ClickAsync();
        await AnswerEverySectionAsync(page, answer: false);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Documents taken away");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Make or update a safety plan with the person." })).ToBeVisibleAsync();

        // A person takes the needs check in Simplified Chinese.
        await StartAsync(page, client, "needs-check", "zh-Hans");
        await Assertions.Expect(page.Locator("h1[lang='zh-Hans']")).ToContainTextAsync("什么能帮到您");
        await page.GetByRole(AriaRole.Group, new() { Name = "您需要住的地方" }).GetByLabel("是").CheckAsync();
        await fixture.AssertAccessibleAsync(page);
        await AnswerEverySectionAsync(page, answer: false);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Housing or a safe place to stay");

        // The court program: put someone on the calendar, then offer the court screen from their appearance.
        await page.GotoAsync("/court?date=2026-12-09");
        await fixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Or: chosen name of a new client").FillAsync("Lena Courttest");
        await page.GetByLabel("Docket number").FillAsync("CR-2026-0099");
        await page.GetByLabel("Court part", new() { Exact = true }).Last.FillAsync("AP-3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to the calendar" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("CR-2026-0099");
        await page.GetByRole(AriaRole.Link, new() { Name = "Lena Courttest" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Lena Courttest");
        await fixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "The person agreed" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start a screening" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1[lang='en']")).ToContainTextAsync("Court program");
    }

    /// <summary>With HAVEN_SCREENSHOTS set, full-page screenshots at 1280 and 375 px wide, for people to look at.</summary>
    static async Task ScreenshotsAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("HAVEN_SCREENSHOTS") is not { } folder) return;
        foreach (var width in new[] { 1280, 375 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}-{width}.png"), FullPage = true });
        }
        await page.SetViewportSizeAsync(1280, 900);
    }

    async Task StartAsync(IPage page, string client, string instrument, string language)
    {
        await page.GotoAsync(client + "/screenings");
        await page.GetByLabel("Instrument").SelectOptionAsync(instrument);
        await page.GetByLabel("The person's language").SelectOptionAsync(language);
        await page.GetByLabel("The person agreed").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start a screening" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/screenings/[0-9a-f-]+$"), Slow);
    }

    /// <summary>Goes through every section to the result, answering "yes" to the last unanswered yes / no question
    /// of each section (which may open follow-ups) unless told not to answer.</summary>
    static async Task AnswerEverySectionAsync(IPage page, bool answer = true)
    {
        for (var step = 0; step < 40 && !page.Url.Contains("/result"); step++)
        {
            if (answer)
            {
                var groups = page.Locator("fieldset.question:has(input[type=radio])");
                var count = await groups.CountAsync();
                if (count > 0 && await groups.Nth(count - 1).Locator("input:checked").CountAsync() == 0)
                    await groups.Nth(count - 1).Locator("input[type=radio]").First.CheckAsync();
            }
            var finish = page.GetByRole(AriaRole.Button, new() { Name = "Finish" });
            var button = await finish.CountAsync() > 0 ? finish : page.GetByRole(AriaRole.Button, new() { Name = "Save and continue" });
            // The post answers with a redirect to a page whose address may equal the current one: mark this
            // document and wait until a new one has loaded.
            await page.EvaluateAsync("() => window.beforePost = true");
            await button.ClickAsync();
            await page.WaitForFunctionAsync("() => !window.beforePost && document.readyState !== 'loading'", null, new() { Timeout = 60_000 });
        }
        Assert.Contains("/result", page.Url);
    }
}
