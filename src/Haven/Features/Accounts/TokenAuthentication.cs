using System.Security.Claims;
using System.Text.Encodings.Web;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Haven.Features.Accounts;

/// <summary>Authenticates "Authorization: Bearer hvn_..." against stored token hashes. Repeated
/// failures from one address are throttled (429) so tokens cannot be guessed.</summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    HavenDb db, IMemoryCache cache, TimeProvider time, SecondFactorOptions secondFactor, AuditLog audit)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    const int MaxFailures = 20;
    const string Throttled = "haven:token-throttled";
    static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(10);

    string FailureKey => "token-failures:" + (Context.Connection.RemoteIpAddress?.ToString() ?? "local");

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        if (cache.TryGetValue(FailureKey, out int failures) && failures >= MaxFailures)
        {
            Context.Items[Throttled] = true;
            return AuthenticateResult.Fail("Too many failed token attempts.");
        }

        var hash = ApiTokens.Hash(header["Bearer ".Length..].Trim());
        var now = time.GetUtcNow().UtcDateTime;
        // One round trip: the token, its user and the user's roles.
        var found = await db.ApiTokens.AsNoTracking().Where(t => t.SecretHash == hash)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new
            {
                Token = new { t.Id, t.RevokedAt, t.ExpiresAt },
                User = new { u.Id, u.OrganizationId, u.LockoutEnd, u.TwoFactorEnabled },
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
            }).SingleOrDefaultAsync(Context.RequestAborted);
        string? problem = found is null ? "The API token is not valid."
            : found.Token.RevokedAt is not null ? "The API token has been revoked."
            : found.Token.ExpiresAt <= now ? "The API token has expired."
            : found.User.LockoutEnd > now ? "The account is locked."
            : !found.User.TwoFactorEnabled && secondFactor.Required ? "The account has no second factor enrolled."
            : null;
        if (problem is not null)
        {
            cache.Set(FailureKey, failures + 1, FailureWindow);
            await audit.RecordAsync(new AuditEntry(AuditEventType.ApiTokenRejected, found?.User.Id, found?.User.OrganizationId, found?.Token.Id));
            return AuthenticateResult.Fail(problem);
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, found!.User.Id),
            new(HavenClaims.Organization, found.User.OrganizationId.ToString()),
            new(HavenClaims.SecondFactor, "token"),
        };
        claims.AddRange(found.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var throttled = Context.Items.ContainsKey(Throttled);
        Response.StatusCode = throttled ? StatusCodes.Status429TooManyRequests : StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Response.WriteAsJsonAsync(new { error = throttled ? "Too many failed token attempts; try again later." : result.Failure?.Message ?? "An API token is required (Authorization: Bearer ...)." });
    }
}
