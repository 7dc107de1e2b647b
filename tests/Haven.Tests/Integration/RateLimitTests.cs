using System.Net;
using Haven.Tests.Infrastructure;

namespace Haven.Tests.Integration;

public abstract class RateLimitTests<TApp> where TApp : HavenApp, new()
{
    [Fact]
    public async Task Sign_in_attempts_are_limited_per_address()
    {
        await using var app = new TApp();
        app.Settings["Security:SignInAttemptsPerMinute"] = "3";
        var net = await app.NetworkAsync();
        var client = app.BrowserClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await WebSession.PasswordAsync(client, net["researcherA"], "wrong-" + i)).StatusCode);
        var limited = await WebSession.PasswordAsync(client, net["researcherA"]);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("Too many sign-in attempts", await limited.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Guessing_api_tokens_is_throttled()
    {
        await using var app = new TApp();
        var net = await app.NetworkAsync();
        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await app.ApiClient("hvn_guess" + i).GetAsync("/api/clients")).StatusCode);
        // Even the right token is refused from this address for a while.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.ApiClient(net["advocateA1"].Token).GetAsync("/api/clients")).StatusCode);
    }
}

public sealed class RateLimitSqlite : RateLimitTests<SqliteApp>;
public sealed class RateLimitPostgres : RateLimitTests<PostgresApp>;
