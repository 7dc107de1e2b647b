using System.Security.Claims;

namespace Haven.Security;

public static class HavenClaims
{
    public const string Organization = "haven:org";
    public const string SecondFactor = "haven:2fa";
}

/// <summary>The signed-in staff member as services see them: who, which organization, which roles.</summary>
public sealed record Staff(string UserId, Guid OrganizationId, IReadOnlySet<string> Roles)
{
    public bool IsOrgAdmin => Roles.Contains(Features.Accounts.Roles.OrgAdmin);
    public bool DoesClientWork => Features.Accounts.Roles.ClientWork.Any(Roles.Contains);

    public static Staff? From(ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null || !Guid.TryParse(user.FindFirstValue(HavenClaims.Organization), out var org)) return null;
        return new Staff(id, org, user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet());
    }

    public static Staff Required(ClaimsPrincipal user) =>
        From(user) ?? throw new InvalidOperationException("No signed-in staff member.");
}

public static class Policies
{
    /// <summary>Client work: a client-work role and (unless relaxed in Development) an enrolled second factor.</summary>
    public const string ClientWork = nameof(ClientWork);
    public const string OrgAdmin = nameof(OrgAdmin);
    public const string Staff = nameof(Staff);
}
