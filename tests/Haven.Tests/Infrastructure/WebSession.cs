using System.Net;
using System.Text.RegularExpressions;
using Haven.Features.Accounts;

namespace Haven.Tests.Infrastructure;

/// <summary>Drives the server-rendered pages the way a browser without JavaScript does: GET a page, post its form.</summary>
public static partial class WebSession
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public static string AntiforgeryToken(string html) => AntiforgeryField().Match(html).Groups[1].Value;

    /// <summary>GETs the page, then posts the named form with its antiforgery token and the given fields.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string url, string formName, Dictionary<string, string> fields, string? postUrl = null)
    {
        var page = await client.GetAsync(url);
        var html = await page.Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>(fields) { ["_handler"] = formName, ["__RequestVerificationToken"] = AntiforgeryToken(html) };
        return await client.PostAsync(postUrl ?? url, new FormUrlEncodedContent(form));
    }

    public static string Code(HavenApp app, TestStaff staff, int stepOffset = 0)
    {
        var step = app.Clock.GetUtcNow().ToUnixTimeSeconds() / 30 + stepOffset;
        return Totp.Compute(Base32.Decode(staff.AuthenticatorKey), step).ToString("D6");
    }

    public static async Task<HttpResponseMessage> PasswordAsync(HttpClient client, TestStaff staff, string? password = null) =>
        await SubmitAsync(client, "/Account/Login", "login", new() { ["Input.Email"] = staff.Email, ["Input.Password"] = password ?? staff.Password });

    /// <summary>Signs in with password and a fresh TOTP code (the clock moves on a step so no code is reused).</summary>
    public static async Task<HttpClient> SignInAsync(HavenApp app, TestStaff staff, System.Net.CookieContainer? jar = null)
    {
        var client = app.BrowserClient(jar);
        var first = await PasswordAsync(client, staff);
        if (first.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Password step answered {first.StatusCode}.");
        if (first.Headers.Location!.OriginalString.Contains("LoginWith2fa"))
        {
            app.Clock.Advance(TimeSpan.FromSeconds(31));
            var second = await SubmitAsync(client, "/Account/LoginWith2fa", "login-with-2fa", new() { ["Input.TwoFactorCode"] = Code(app, staff) });
            if (second.StatusCode != HttpStatusCode.Redirect || second.Headers.Location!.OriginalString.Contains("Account/"))
                throw new InvalidOperationException($"TOTP step answered {second.StatusCode} {second.Headers.Location}.");
        }
        return client;
    }
}
