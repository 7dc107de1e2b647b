using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Haven.Features.Consent;
using Haven.Features.ServiceDirectory;
using Haven.Features.ServiceDirectory.Hsds;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Haven.BrowserTests;

public abstract partial class StaffFlowTests<TFixture, TApp>
{
    /// <summary>
    /// An advocate finds a shelter that fits the client's stated need, previews and sends a consented referral; the
    /// shelter accepts and completes it, and the advocate sees each step. The public search and the provider's listings
    /// page are checked too. axe-core checks every page.
    /// </summary>
    [Fact]
    public async Task Advocate_finds_a_service_sends_a_consented_referral_and_the_provider_accepts_and_completes_it()
    {
        var net = await App.NetworkAsync();
        var towns = SyntheticDirectory.Towns(4, seed: 21);
        var listed = SyntheticDirectory.Generate(HsdsSchema.BuiltIn, 20_000, 20_030, towns, seed: 21);
        await App.WithScopeAsync(s => s.GetRequiredService<DirectoryImport>().ImportAsync(listed, net.OrgB, false, "test"));
        var confidential = listed.Of("attribute").Where(a => a.Text("link_entity") == "location").Select(a => a.Text("link_id")).ToHashSet();
        var (service, site) = listed.Of("service").Where(s => s.Text("name")!.EndsWith("Emergency Shelter") || s.Text("name")!.EndsWith("Safe Housing"))
            .SelectMany(s => listed.Of("service_at_location").Where(x => x.Text("service_id") == s.Id && !confidential.Contains(x.Text("location_id"))).Select(x => (s, x)))
            .First();
        var postcode = listed.Of("address").Single(a => a.Text("location_id") == site.Text("location_id")).Text("postal_code")!;

        var page = await fixture.NewPageAsync();
        await SignInAsync(page, net["advocateA1"]);
        await page.GotoAsync("/clients/new");
        await page.GetByLabel("Chosen name").FillAsync("Mara Referraltest");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Mara Referraltest");
        var client = new Uri(page.Url).AbsolutePath;
        var clientId = Guid.Parse(client.Split('/')[^1]);
        // The person's consent to share their identity with service providers, recorded through the API.
        using (var api = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) })
        {
            api.DefaultRequestHeaders.Authorization = new("Bearer", net["advocateA1"].Token);
            (await api.PostAsJsonAsync($"/api/clients/{clientId}/consents", new ConsentInput
            {
                Categories = [DataCategory.Identity],
                RecipientClass = RecipientClass.ServiceProvider,
                Purpose = "Synthetic test purpose",
                Method = ConsentMethod.Verbal,
                Language = "en",
                ClientPresent = true,
                ExpiresOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)),
            }, Haven.Http.JsonBody.Json)).EnsureSuccessStatusCode();
        }

        // Find services for the stated need near the person.
        await page.GetByRole(AriaRole.Link, new() { Name = "Find services", Exact = true }).ClickAsync();
        await fixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Housing or a safe place to stay").CheckAsync();
        await page.GetByLabel("Postcode or ZIP code").FillAsync(postcode);
        await page.GetByLabel("Within").SelectOptionAsync("50");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.Locator(".results")).ToContainTextAsync("meets: housing or a safe place to stay");
        await fixture.AssertAccessibleAsync(page);
        await page.Locator($"a[href*='service={service.Id}']").ClickAsync();

        // Preview: identity goes, contact is withheld for want of consent; then send.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("New referral");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview what will be shared" }).ClickAsync();
        await Assertions.Expect(page.Locator("section")).ToContainTextAsync("Will not be shared (no consent): Contact");
        await Assertions.Expect(page.Locator("section")).ToContainTextAsync("Mara Referraltest");
        await fixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the referral" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/referrals$"));
        await Assertions.Expect(page.Locator(".card").First).ToContainTextAsync("requested");
        await fixture.AssertAccessibleAsync(page);

        // The shelter sees it in its inbox, reads the packet, accepts, then completes it.
        var shelter = await fixture.NewPageAsync();
        await SignInAsync(shelter, net["advocateB"]);
        await shelter.GotoAsync("/referrals");
        await fixture.AssertAccessibleAsync(shelter);
        await shelter.Locator("table a").First.ClickAsync();
        await Assertions.Expect(shelter.Locator("dl")).ToContainTextAsync("Mara Referraltest");
        await fixture.AssertAccessibleAsync(shelter);
        await shelter.GetByLabel("New status").SelectOptionAsync("Accepted");
        await shelter.GetByRole(AriaRole.Button, new() { Name = "Update" }).ClickAsync();
        await Assertions.Expect(shelter.Locator("p").Filter(new() { HasText = "Status:" })).ToContainTextAsync("accepted");
        await shelter.GetByLabel("New status").SelectOptionAsync("Completed");
        await shelter.GetByLabel("Reason").SelectOptionAsync("ServiceProvided");
        await shelter.GetByRole(AriaRole.Button, new() { Name = "Update" }).ClickAsync();
        await Assertions.Expect(shelter.Locator("p").Filter(new() { HasText = "Status:" })).ToContainTextAsync("completed");
        await fixture.AssertAccessibleAsync(shelter);

        // The shelter keeps its listing current.
        await shelter.GotoAsync("/directory/listings");
        await fixture.AssertAccessibleAsync(shelter);

        // The advocate sees every step of the loop.
        await page.ReloadAsync();
        var history = page.Locator(".card").First;
        await Assertions.Expect(history).ToContainTextAsync("completed");
        await Assertions.Expect(history).ToContainTextAsync("accepted");
        await Assertions.Expect(history).ToContainTextAsync("Service provided");

        // The public search: no sign-in, a quick exit, accessible in English and Spanish.
        var visitor = await fixture.NewPageAsync();
        await visitor.GotoAsync($"/find?need=housing&postcode={postcode}&radius_km=50");
        await Assertions.Expect(visitor.GetByRole(AriaRole.Link, new() { Name = "Quick exit" })).ToBeVisibleAsync();
        await fixture.AssertAccessibleAsync(visitor);
        await visitor.GotoAsync("/find?culture=es");
        await Assertions.Expect(visitor.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Buscar ayuda");
        await fixture.AssertAccessibleAsync(visitor);
    }
}
