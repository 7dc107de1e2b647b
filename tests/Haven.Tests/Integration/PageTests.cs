using System.Net;
using System.Net.Http.Json;
using Haven.Data;
using Haven.Features.Clients;
using Haven.Http;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

/// <summary>The server-rendered pages through real HTTP: sign-in, second factor, client pages, tenancy.</summary>
public abstract class PageTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : HavenApp
{
    [Fact]
    public async Task Sign_in_with_password_and_totp_reaches_client_pages()
    {
        var net = await app.NetworkAsync();
        var client = await WebSession.SignInAsync(app, net["advocateA1"]);
        var page = await client.GetAsync("/clients");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<h1>Clients</h1>", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_idle_session_ends_after_fifteen_minutes()
    {
        var net = await app.NetworkAsync();
        var client = await WebSession.SignInAsync(app, net["attorneyA1"]);
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/clients")).StatusCode); // activity slides the window
        app.Clock.Advance(TimeSpan.FromMinutes(16));
        var idle = await client.GetAsync("/clients");
        Assert.Equal(HttpStatusCode.Redirect, idle.StatusCode);
        Assert.Contains("/Account/Login", idle.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Client_pages_need_a_signed_in_user()
    {
        var response = await app.BrowserClient().GetAsync("/clients");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Wrong_password_says_so_and_signs_nobody_in()
    {
        var net = await app.NetworkAsync();
        var client = app.BrowserClient();
        var response = await WebSession.PasswordAsync(client, net["attorneyA1"], "not-the-password");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("the email or password is wrong", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/clients")).StatusCode);
        // The failed sign-in is logged, but the email address is erased from the log line.
        Assert.Contains(app.Logs.Lines, l => l.Contains("Sign-in failed for"));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(net["attorneyA1"].Email));
    }

    [Fact]
    public async Task Wrong_and_reused_totp_codes_are_refused()
    {
        var net = await app.NetworkAsync();
        var staff = net["attorneyA1"];
        var client = app.BrowserClient();
        await WebSession.PasswordAsync(client, staff);
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        var wrong = await WebSession.SubmitAsync(client, "/Account/LoginWith2fa", "login-with-2fa", new() { ["Input.TwoFactorCode"] = "000000" == WebSession.Code(app, staff) ? "111111" : "000000" });
        Assert.Contains("Invalid authenticator code", await wrong.Content.ReadAsStringAsync());

        var code = WebSession.Code(app, staff);
        var ok = await WebSession.SubmitAsync(client, "/Account/LoginWith2fa", "login-with-2fa", new() { ["Input.TwoFactorCode"] = code });
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);

        // Someone who saw that code cannot use it again, even within its 30 seconds.
        var thief = app.BrowserClient();
        await WebSession.PasswordAsync(thief, staff);
        var reused = await WebSession.SubmitAsync(thief, "/Account/LoginWith2fa", "login-with-2fa", new() { ["Input.TwoFactorCode"] = code });
        Assert.Contains("Invalid authenticator code", await reused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await thief.GetAsync("/clients")).StatusCode);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account()
    {
        var net = await app.NetworkAsync();
        var staff = net["researcherA"];
        var client = app.BrowserClient();
        for (var i = 0; i < 5; i++) await WebSession.PasswordAsync(client, staff, "wrong-password-" + i);
        var locked = await WebSession.PasswordAsync(client, staff);
        Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
        Assert.Contains("Lockout", locked.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Staff_without_a_second_factor_must_enrol_before_client_data()
    {
        var net = await app.NetworkAsync();
        var staff = net["newcomerA"];
        var client = app.BrowserClient();
        var signIn = await WebSession.PasswordAsync(client, staff);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var blocked = await client.GetAsync("/clients");
        Assert.Equal(HttpStatusCode.Redirect, blocked.StatusCode);
        Assert.Equal("/Account/Manage/EnableAuthenticator", blocked.Headers.Location!.OriginalString);

        var enrolPage = await (await client.GetAsync("/Account/Manage/EnableAuthenticator")).Content.ReadAsStringAsync();
        Assert.Contains("data:image/png;base64,", enrolPage); // the QR code, rendered on the server
        var key = System.Text.RegularExpressions.Regex.Match(enrolPage, "<kbd>([a-z0-9 ]+)</kbd>").Groups[1].Value.Replace(" ", "").ToUpperInvariant();
        var badCode = await WebSession.SubmitAsync(client, "/Account/Manage/EnableAuthenticator", "send-code", new() { ["Input.Code"] = "12345x" });
        Assert.True(badCode.StatusCode == HttpStatusCode.OK, $"{badCode.StatusCode} {badCode.Headers.Location}");
        Assert.Contains("Verification code is invalid", await badCode.Content.ReadAsStringAsync());

        app.Clock.Advance(TimeSpan.FromSeconds(31));
        var code = Features.Accounts.Totp.Compute(Features.Accounts.Base32.Decode(key), app.Clock.GetUtcNow().ToUnixTimeSeconds() / 30).ToString("D6");
        var enrolled = await WebSession.SubmitAsync(client, "/Account/Manage/EnableAuthenticator", "send-code", new() { ["Input.Code"] = code });
        var html = await enrolled.Content.ReadAsStringAsync();
        Assert.Contains("recovery codes", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/clients")).StatusCode);
    }

    [Fact]
    public async Task Create_a_client_through_the_form_and_reject_bad_input()
    {
        var net = await app.NetworkAsync();
        var client = await WebSession.SignInAsync(app, net["advocateA1"]);
        var created = await WebSession.SubmitAsync(client, "/clients/new", "new-client", new()
        {
            ["Input.ChosenName"] = "Paz Form Test",
            ["Input.Pronouns"] = "they/them",
            ["Input.Phone"] = "+1 212 555 0123",
            ["Input.PhoneSafe"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var detail = await client.GetAsync(created.Headers.Location!.OriginalString);
        Assert.Contains("Paz Form Test", await detail.Content.ReadAsStringAsync());

        var count = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Clients.CountAsync());
        var huge = await WebSession.SubmitAsync(client, "/clients/new", "new-client", new() { ["Input.ChosenName"] = new string('n', 100_000) });
        var hugeHtml = await huge.Content.ReadAsStringAsync();
        Assert.Contains("ChosenName is too long", hugeHtml);
        var control = await WebSession.SubmitAsync(client, "/clients/new", "new-client", new() { ["Input.ChosenName"] = "Bad\u0007Bell" });
        Assert.Contains("control characters", await control.Content.ReadAsStringAsync());
        var badDate = await WebSession.SubmitAsync(client, "/clients/new", "new-client", new() { ["Input.ChosenName"] = "Date Test", ["Input.DateOfBirth"] = "2999-01-01" });
        Assert.Contains("DateOfBirth must be between", await badDate.Content.ReadAsStringAsync());
        Assert.Equal(count, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Clients.CountAsync()));
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused()
    {
        var net = await app.NetworkAsync();
        var client = await WebSession.SignInAsync(app, net["advocateA1"]);
        var count = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Clients.CountAsync());
        var response = await client.PostAsync("/clients/new", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "new-client", ["Input.ChosenName"] = "Forged" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(count, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Clients.CountAsync()));
    }

    [Fact]
    public async Task Another_organizations_client_page_is_404_and_a_colleagues_needs_the_glass_broken()
    {
        var net = await app.NetworkAsync();
        var otherOrg = await CreateViaApiAsync(net["advocateB"].Token, "Elsewhere Person");
        var otherTeam = await CreateViaApiAsync(net["advocateA2"].Token, "Team Two Person");
        var client = await WebSession.SignInAsync(app, net["advocateA1"]);

        foreach (var path in new[] { $"/clients/{otherOrg}", $"/clients/{otherOrg}/edit", $"/clients/{otherOrg}/delete", $"/clients/{Guid.NewGuid()}" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("Elsewhere Person", await response.Content.ReadAsStringAsync());
        }

        var glass = await (await client.GetAsync($"/clients/{otherTeam}")).Content.ReadAsStringAsync();
        Assert.Contains("Break the glass", glass);
        Assert.DoesNotContain("Team Two Person", glass);
        var noReason = await WebSession.SubmitAsync(client, $"/clients/{otherTeam}", "break-glass", new() { ["Glass.Reason"] = "" });
        Assert.True(noReason.StatusCode == HttpStatusCode.OK, $"{noReason.StatusCode} {noReason.Headers.Location}");
        Assert.Contains("Reason is required", await noReason.Content.ReadAsStringAsync());
        var opened = await WebSession.SubmitAsync(client, $"/clients/{otherTeam}", "break-glass", new() { ["Glass.Reason"] = "Client called the hotline and asked for me" });
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        var record = await (await client.GetAsync($"/clients/{otherTeam}")).Content.ReadAsStringAsync();
        Assert.Contains("Team Two Person", record);
        Assert.Contains("breaking the glass", record);

        var admin = await WebSession.SignInAsync(app, net["adminA"]);
        var audit = await (await admin.GetAsync("/admin/audit")).Content.ReadAsStringAsync();
        Assert.Contains("Client called the hotline and asked for me", audit);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/audit?type=306")).StatusCode);
        // A list page is one event about all its clients; filtering on one of them finds it.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/clients")).StatusCode);
        var about = await (await admin.GetAsync($"/admin/audit?subject={otherTeam}&type=301")).Content.ReadAsStringAsync();
        Assert.Contains("301 ClientListed", about);
        Assert.Contains(otherTeam.ToString(), about);
        Assert.Matches(@"\(\d+ clients\)", about);
        Assert.Contains("not a valid id", await (await admin.GetAsync("/admin/audit?subject=nope")).Content.ReadAsStringAsync());
        Assert.Contains("Unknown event type", await (await admin.GetAsync("/admin/audit?type=99999")).Content.ReadAsStringAsync());
        // The audit log is for org admins only.
        Assert.DoesNotContain("Client called the hotline", await (await client.GetAsync("/admin/audit")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Deleting_through_the_page_needs_confirmation_then_shreds()
    {
        var net = await app.NetworkAsync();
        var id = await CreateViaApiAsync(net["advocateA1"].Token, "Delete Page Person");
        var client = await WebSession.SignInAsync(app, net["advocateA1"]);
        var page = await (await client.GetAsync($"/clients/{id}/delete")).Content.ReadAsStringAsync();
        Assert.Contains("destroys the client&#x27;s encryption key", page);
        var unconfirmed = await WebSession.SubmitAsync(client, $"/clients/{id}/delete", "delete-client", new() { ["Confirm.Understood"] = "false" });
        Assert.Contains("Tick the box", await unconfirmed.Content.ReadAsStringAsync());
        Assert.True(await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Clients.AnyAsync(c => c.Id == id)));
        var deleted = await WebSession.SubmitAsync(client, $"/clients/{id}/delete", "delete-client", new() { ["Confirm.Understood"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Clients.AnyAsync(c => c.Id == id)));
    }

    [Fact]
    public async Task A_tampered_session_cookie_is_treated_as_signed_out()
    {
        var net = await app.NetworkAsync();
        var jar = new CookieContainer();
        var client = await WebSession.SignInAsync(app, net["advocateA1"], jar);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/clients")).StatusCode);
        var session = jar.GetCookies(new Uri("http://localhost"))["haven.session"]!;
        var middle = session.Value.Length / 2;
        session.Value = session.Value[..middle] + (session.Value[middle] == 'A' ? 'B' : 'A') + session.Value[(middle + 1)..];
        var tampered = await client.GetAsync("/clients");
        Assert.Equal(HttpStatusCode.Redirect, tampered.StatusCode);
        Assert.Contains("/Account/Login", tampered.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_session_and_token()
    {
        var net = await app.NetworkAsync();
        var staff = net["adminA"];
        var laptop = await WebSession.SignInAsync(app, staff);
        var phone = await WebSession.SignInAsync(app, staff);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/clients")).StatusCode);
        var token = await app.WithScopeAsync(async s =>
        {
            var users = s.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Features.Accounts.HavenUser>>();
            return (await s.GetRequiredService<Features.Accounts.ApiTokens>().CreateAsync((await users.FindByIdAsync(staff.Id))!, TimeSpan.FromHours(1))).Token;
        });
        var forged = await laptop.PostAsync("/Account/SignOutEverywhere", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/clients")).StatusCode);
        var result = await WebSession.SubmitAsync(laptop, "/Account/Manage", "", [], "/Account/SignOutEverywhere");
        Assert.Equal(HttpStatusCode.Redirect, result.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/clients")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ApiClient(token).GetAsync("/api/clients")).StatusCode);
    }

    [Fact]
    public async Task Security_headers_health_and_language_switch()
    {
        var anonymous = app.BrowserClient();
        var health = await anonymous.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var login = await anonymous.GetAsync("/Account/Login");
        var csp = login.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("base-uri 'self'", csp); // the pages' <base href="/"> must be allowed, or relative links and the stylesheet break
        Assert.Equal("nosniff", login.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", login.Headers.GetValues("Referrer-Policy").Single());

        var switched = await WebSession.SubmitAsync(anonymous, "/Account/Login", "", new() { ["culture"] = "es", ["returnUrl"] = "/Account/Login" }, "/culture");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Contains(".AspNetCore.Culture", string.Join(";", switched.Headers.GetValues("Set-Cookie")));
        var spanish = await (await anonymous.GetAsync("/Account/Login")).Content.ReadAsStringAsync();
        Assert.Contains("lang=\"es\"", spanish);
        Assert.Contains("Iniciar sesi", spanish);
        // An open redirect through the language switch is not possible.
        var offsite = await WebSession.SubmitAsync(anonymous, "/Account/Login", "", new() { ["culture"] = "en", ["returnUrl"] = "//evil.example/" }, "/culture");
        Assert.Equal("/", offsite.Headers.Location!.OriginalString);
        var forged = await anonymous.PostAsync("/culture", new FormUrlEncodedContent(new Dictionary<string, string> { ["culture"] = "es" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task Org_admins_add_staff_who_then_enrol_at_first_sign_in()
    {
        var net = await app.NetworkAsync();
        var admin = await WebSession.SignInAsync(app, net["adminA"]);
        var email = $"new-{Guid.NewGuid():N}@test.haven.example";
        var added = await WebSession.SubmitAsync(admin, "/admin/staff", "add-staff", new()
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = "New advocate",
            ["Input.Role"] = "Advocate",
            ["Input.TeamId"] = net.TeamA1.ToString(),
        });
        var html = await added.Content.ReadAsStringAsync();
        var password = System.Text.RegularExpressions.Regex.Match(html, "<code>([^<]+)</code>").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(password), "no one-time password shown");
        Assert.Contains(email, html);

        var newcomer = app.BrowserClient();
        var signIn = await WebSession.PasswordAsync(newcomer, new TestStaff(email, password, "", net.OrgA, "", ""));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/Account/Manage/EnableAuthenticator", (await newcomer.GetAsync("/clients")).Headers.Location!.OriginalString);

        async Task<string> Rejected(Dictionary<string, string> fields) =>
            await (await WebSession.SubmitAsync(admin, "/admin/staff", "add-staff", fields)).Content.ReadAsStringAsync();
        var users = await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Users.CountAsync());
        Assert.Contains("Email must be a valid email address", await Rejected(new() { ["Input.Email"] = "not-an-email", ["Input.DisplayName"] = "X", ["Input.Role"] = "Advocate" }));
        Assert.Contains("already has that email", await Rejected(new() { ["Input.Email"] = email, ["Input.DisplayName"] = "X", ["Input.Role"] = "Advocate" }));
        Assert.Contains("Role must be one of", await Rejected(new() { ["Input.Email"] = "a" + email, ["Input.DisplayName"] = "X", ["Input.Role"] = "NetworkAdmin" }));
        Assert.Contains("Display name is required", await Rejected(new() { ["Input.Email"] = "b" + email, ["Input.DisplayName"] = new string('d', 500), ["Input.Role"] = "Advocate" }));
        Assert.Contains("your organization&#x27;s teams", await Rejected(new() { ["Input.Email"] = "c" + email, ["Input.DisplayName"] = "X", ["Input.Role"] = "Advocate", ["Input.TeamId"] = Guid.NewGuid().ToString() }));
        Assert.Equal(users, await app.WithScopeAsync(s => s.GetRequiredService<HavenDb>().Users.CountAsync()));

        // Only org admins manage staff; nobody sees another organization's staff.
        var advocate = await WebSession.SignInAsync(app, net["advocateA1"]);
        Assert.DoesNotContain("Add a staff member", await (await advocate.GetAsync("/admin/staff")).Content.ReadAsStringAsync());
        Assert.DoesNotContain(net["advocateB"].Email, await (await admin.GetAsync("/admin/staff")).Content.ReadAsStringAsync());
    }

    async Task<Guid> CreateViaApiAsync(string token, string name)
    {
        var response = await app.ApiClient(token).PostAsJsonAsync("/api/clients", new CreateClientRequest(new ClientDetails { ChosenName = name }, null));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SaveResult>(JsonBody.Json))!.Id!.Value;
    }
}

public sealed class PagesSqlite(SqliteApp app) : PageTests<SqliteApp>(app);
public sealed class PagesPostgres(PostgresApp app) : PageTests<PostgresApp>(app);
