using System.Security.Claims;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Haven.Features.Accounts;

/// <summary>Whether staff must enroll a second factor. Only Development may relax it.</summary>
public sealed record SecondFactorOptions(bool Required);

public static class AccountsSetup
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var required = configuration.GetValue("Security:RequireSecondFactor", true);
        if (!required && !environment.IsDevelopment())
            throw new HavenException("Security:RequireSecondFactor=false is allowed only in Development.", hint: "Remove the setting: staff sign in with a second factor everywhere else.");
        services.AddSingleton(new SecondFactorOptions(required));

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);

        services.AddIdentityCore<HavenUser>(o =>
            {
                o.SignIn.RequireConfirmedAccount = false;
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = configuration.GetValue("Security:MaxFailedSignIns", 5);
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(configuration.GetValue("Security:LockoutMinutes", 15));
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
                o.Tokens.AuthenticatorTokenProvider = SingleUseAuthenticatorProvider.Name;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<HavenDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddTokenProvider<SingleUseAuthenticatorProvider>(SingleUseAuthenticatorProvider.Name)
            .AddClaimsPrincipalFactory<HavenClaimsFactory>();
        // Second-factor secrets are sealed and hashed, never stored as given.
        services.Replace(ServiceDescriptor.Scoped<IUserStore<HavenUser>, HavenUserStore>());

        var idle = TimeSpan.FromMinutes(configuration.GetValue("Security:IdleTimeoutMinutes", 15));
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "haven.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = idle;
            o.SlidingExpiration = true;
            o.LoginPath = "/Account/Login";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.Events.OnValidatePrincipal = ValidateSessionAsync;
        });
        // Rebuilding the principal (roles, claims) and re-issuing the cookie is costly, so it happens at
        // this interval; the one-query stamp check in ValidateSessionAsync runs on every request.
        services.Configure<SecurityStampValidatorOptions>(o =>
            o.ValidationInterval = TimeSpan.FromSeconds(configuration.GetValue("Security:SessionRefreshSeconds", 300)));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(null)
            .AddPolicy(Policies.Staff, p => p.RequireAuthenticatedUser().RequireClaim(HavenClaims.Organization))
            .AddPolicy(Policies.OrgAdmin, p => p.RequireAuthenticatedUser().RequireRole(Roles.OrgAdmin)
                .RequireAssertion(c => HasSecondFactor(c.User, required)))
            .AddPolicy(Policies.ClientWork, p => p.RequireAuthenticatedUser().RequireRole(Roles.ClientWork)
                .RequireAssertion(c => HasSecondFactor(c.User, required)));

        services.AddScoped<ApiTokens>();
        services.AddScoped<StaffAccounts>();
        services.AddMemoryCache();
        return services;
    }

    /// <summary>Every request compares the cookie's security stamp with the stored one and checks lockout, so
    /// "sign out everywhere", a new password or a locked account ends every other session at once.</summary>
    static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var identity = context.HttpContext.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var userId = context.Principal?.FindFirstValue(identity.UserIdClaimType);
        var stamp = context.Principal?.FindFirstValue(identity.SecurityStampClaimType);
        var db = context.HttpContext.RequestServices.GetRequiredService<HavenDb>();
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var current = userId is null ? null : await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.SecurityStamp, u.LockoutEnd }).SingleOrDefaultAsync(context.HttpContext.RequestAborted);
        if (current is null || current.SecurityStamp != stamp || current.LockoutEnd > now)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }
        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }

    static bool HasSecondFactor(ClaimsPrincipal user, bool required) => !required || user.HasClaim(c => c.Type == HavenClaims.SecondFactor);

    /// <summary>Until a staff member has a second factor, every page but account setup sends them to enrol.</summary>
    public static IApplicationBuilder UseSecondFactorEnrollment(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var required = context.RequestServices.GetRequiredService<SecondFactorOptions>().Required;
        var path = context.Request.Path;
        if (required && context.User.Identity?.IsAuthenticated == true
            && context.User.Identity.AuthenticationType != TokenAuthenticationHandler.SchemeName
            && !context.User.HasClaim(c => c.Type == HavenClaims.SecondFactor)
            && !path.StartsWithSegments("/Account") && !path.StartsWithSegments("/health")
            && !path.StartsWithSegments("/culture") && !path.StartsWithSegments("/api") && Path.GetExtension(path) is "")
        {
            context.Response.Redirect("/Account/Manage/EnableAuthenticator");
            return;
        }
        await next();
    });

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/Account").RequireAntiforgery();
        account.MapPost("/Logout", async (ClaimsPrincipal user, SignInManager<HavenUser> signIn, AuditLog audit) =>
        {
            if (Staff.From(user) is { } staff)
                await audit.RecordAsync(new AuditEntry(AuditEventType.SignedOut, staff.UserId, staff.OrganizationId, null));
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("~/Account/Login");
        });
        // Changing the security stamp invalidates every cookie; revoking tokens closes the API too.
        account.MapPost("/SignOutEverywhere", async (ClaimsPrincipal user, UserManager<HavenUser> users, SignInManager<HavenUser> signIn, ApiTokens tokens, AuditLog audit) =>
        {
            var found = await users.GetUserAsync(user);
            if (found is null) return Results.LocalRedirect("~/Account/Login");
            await users.UpdateSecurityStampAsync(found);
            await tokens.RevokeAllAsync(found);
            await audit.RecordAsync(new AuditEntry(AuditEventType.SignedOutEverywhere, found.Id, found.OrganizationId, null));
            await signIn.SignOutAsync();
            return Results.LocalRedirect("~/Account/Login?signedOutEverywhere=true");
        }).RequireAuthorization();
        return endpoints;
    }
}

/// <summary>Adds the organization and, once enrolled, the second-factor claim to the session.</summary>
public sealed class HavenClaimsFactory(UserManager<HavenUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<HavenUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(HavenUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(HavenClaims.Organization, user.OrganizationId.ToString()));
        if (user.TwoFactorEnabled) identity.AddClaim(new Claim(HavenClaims.SecondFactor, "totp"));
        return identity;
    }
}

/// <summary>Creating staff accounts (CLI and seeding).</summary>
public sealed class StaffAccounts(UserManager<HavenUser> users, RoleManager<IdentityRole> roles, AuditLog audit)
{
    public async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
    }

    public async Task<HavenUser> CreateAsync(Guid organizationId, string email, string displayName, string password, params string[] roleNames)
    {
        await EnsureRolesAsync();
        var user = new HavenUser { UserName = email, Email = email, EmailConfirmed = true, OrganizationId = organizationId, DisplayName = displayName };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded) throw new HavenException(string.Join(" ", result.Errors.Select(e => e.Description)));
        result = await users.AddToRolesAsync(user, roleNames);
        if (!result.Succeeded) throw new HavenException(string.Join(" ", result.Errors.Select(e => e.Description)));
        await audit.RecordAsync(new AuditEntry(AuditEventType.UserCreated, null, organizationId, null, "admin"));
        return user;
    }

    /// <summary>A plain address such as name@example.org (no display name, no surrounding text).</summary>
    public static bool IsValidEmail(string? value) =>
        value is { Length: > 0 and <= 256 } && System.Net.Mail.MailAddress.TryCreate(value, out var parsed) && parsed.Address == value;

    /// <summary>A random password that meets the policy (shown once, never stored in plaintext).</summary>
    public static string NewPassword() =>
        string.Join('-', Enumerable.Range(0, 4).Select(_ => System.Security.Cryptography.RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 5))) + "-A9";
}
