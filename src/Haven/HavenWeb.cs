using System.Globalization;
using System.Threading.RateLimiting;
using Haven.Components;
using Haven.Components.Account;
using Haven.Data;
using Haven.Features.Accounts;
using Haven.Features.Clients;
using Haven.Features.Conflicts;
using Haven.Features.Consent;
using Haven.Features.CourtProgram;
using Haven.Features.Deadlines;
using Haven.Features.Documents;
using Haven.Features.Matters;
using Haven.Features.Operations;
using Haven.Features.Referrals;
using Haven.Features.Relief;
using Haven.Features.SafetyPlans;
using Haven.Features.Screening;
using Haven.Features.ServiceDirectory;
using Haven.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;

namespace Haven;

public static class HavenWeb
{
    public static readonly CultureInfo[] Cultures = [new("en"), new("es")];

    public static void AddHavenWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // A failed start is told once, by Program: a clear message, or a bug's stack trace. The host's own "Hosting
        // failed to start" error would repeat it; a background service that crashes is still logged (critical).
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        services.AddRazorComponents();
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddOpenApi();
        services.AddProblemDetails();
        services.AddSingleton<FirstStart>();
        services.AddHostedService(sp => sp.GetRequiredService<FirstStart>());
        // Only the web host checkpoints SQLite in the background; the command-line verbs leave it to SQLite.
        if (DatabaseSetup.ProviderFrom(builder.Configuration) == DatabaseProvider.Sqlite)
            services.AddHostedService(sp => sp.GetRequiredService<SqliteCheckpointer>());
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture("en");
            o.SupportedCultures = o.SupportedUICultures = Cultures;
            // ?culture=es first: the public search page switches language by link, without setting a cookie.
            o.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        var signInsPerMinute = builder.Configuration.GetValue("Security:SignInAttemptsPerMinute", 10);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Sign-in posts are limited per address; other requests are not limited here.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/Account/Login")
                    ? RateLimitPartition.GetFixedWindowLimiter("signin:" + context.Connection.RemoteIpAddress,
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = signInsPerMinute, Window = TimeSpan.FromMinutes(1) })
                    : RateLimitPartition.GetNoLimiter("none"));
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Too many sign-in attempts from this address. Wait a minute and try again.", ct);
            };
        });
    }

    public static void UseHavenWeb(this WebApplication app)
    {
        var start = app.Services.GetRequiredService<FirstStart>();
        app.Use(async (context, next) =>
        {
            if (start.Ready) { await next(); return; }
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "5";
            await context.Response.WriteAsync("Haven is starting. Try again in a moment.");
        });
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseSecurityHeaders();
        // Pages get a friendly "not found" page; the JSON API keeps its bare status codes.
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"),
            b => b.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true));
        app.UseRequestLocalization();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseSecondFactorEnrollment();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).AllowAnonymous();
        app.MapPost("/culture", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            string? culture = form["culture"], returnUrl = form["returnUrl"];
            var chosen = Cultures.FirstOrDefault(c => c.Name == culture)?.Name ?? "en";
            context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, MaxAge = TimeSpan.FromDays(365), Path = "/" });
            return TypedResults.LocalRedirect(returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.Contains('\\') ? "~" + returnUrl : "~/");
        }).RequireAntiforgery();
        app.MapOpenApi();
        app.MapAccounts();
        app.MapClientsApi();
        app.MapConsentApi();
        app.MapMattersApi();
        app.MapSafetyPlansApi();
        app.MapReliefApi();
        app.MapDeadlinesApi();
        app.MapDocumentsApi();
        app.MapConflictsApi();
        app.MapScreeningApi();
        app.MapCourtProgramApi();
        app.MapHsdsApi();
        app.MapReferralsApi();
        app.MapRazorComponents<App>();
    }

    /// <summary>A strict Content-Security-Policy and the usual headers; nothing loads from another origin.</summary>
    static void UseSecurityHeaders(this WebApplication app) => app.Use(async (context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        // Client pages must not linger in shared caches or the back-forward cache.
        // The same words antiforgery sets on pages with a form, so it need not override them (and warn each time).
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        await next();
    });
}

/// <summary>
/// On start, before the server listens: checks the data folder, migrates and creates the master key (outside
/// Production). Once it listens: seeds the demo network into an empty Development database and prints where Haven
/// is. Until then every request is answered 503, so /health says "ok" only when sign-in works.
/// </summary>
sealed class FirstStart(IServiceProvider services, IHostEnvironment environment, IConfiguration configuration) : IHostedLifecycleService
{
    volatile bool ready;
    public bool Ready => ready;

    public async Task StartingAsync(CancellationToken ct)
    {
        if (await HavenHost.PrepareAsync(services, environment, newDatabase: false, ct) && Listens)
            Cli.PrintNewKey(services.GetRequiredService<Security.MasterKeyStore>().FilePath);
        // An instrument file that fails its checks is not offered; say which and why (file names, not personal data).
        var logger = services.GetRequiredService<ILogger<FirstStart>>();
        foreach (var refused in services.GetRequiredService<Features.Screening.InstrumentLibrary>().Refused)
            foreach (var problem in refused.Problems) logger.LogError("Screening instrument refused: {Problem}", problem);
    }

    public async Task StartedAsync(CancellationToken ct)
    {
        if (configuration.GetValue("Demo:SeedOnFirstStart", environment.IsDevelopment()))
        {
            using var scope = services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<Data.HavenDb>();
            if (!await db.Organizations.AnyAsync(ct))
            {
                Console.WriteLine("Seeding the invented demo network...");
                var (password, logins) = await scope.ServiceProvider.GetRequiredService<Seeding>().SeedDemoAsync(ct);
                Cli.PrintLogins(password, logins);
            }
        }
        ready = true;
        if (!Listens) return;
        foreach (var address in services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            Console.WriteLine($"Haven is running at {address}");
    }

    /// <summary>In-memory test hosts listen nowhere and have no one at a terminal to tell.</summary>
    bool Listens => services.GetService<IServer>() is { } server && server.GetType().Name != "TestServer";

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken ct) => Task.CompletedTask;
}
