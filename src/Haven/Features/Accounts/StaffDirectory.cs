using Haven.Data;
using Haven.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Accounts;

public sealed record StaffRow(string Id, string DisplayName, string Email, string Roles, string Teams, bool SecondFactor, bool LockedOut);
public sealed record NewStaff(string? Email, string? DisplayName, string? Role, Guid? TeamId);
public sealed record TeamOption(Guid Id, string Name);

/// <summary>An org admin's view of their organization's staff: who they are and adding new ones.</summary>
public sealed class StaffDirectory(HavenDb db, UserManager<HavenUser> users, StaffAccounts accounts, Organizations.Network network, TimeProvider time)
{
    /// <summary>Roles an org admin may give. Network admins are made by the network, not by an organization.</summary>
    public static readonly string[] AssignableRoles = [Roles.OrgAdmin, Roles.Attorney, Roles.Advocate, Roles.PeerNavigator, Roles.Screener, Roles.Moderator, Roles.Researcher];

    public async Task<IReadOnlyList<StaffRow>> ListAsync(Staff admin, CancellationToken ct = default)
    {
        var people = await db.Users.AsNoTracking().Where(u => u.OrganizationId == admin.OrganizationId).OrderBy(u => u.DisplayName).ToListAsync(ct);
        var roles = await db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .Where(x => people.Select(p => p.Id).Contains(x.UserId)).ToListAsync(ct);
        var teams = await db.TeamMembers.Where(m => m.OrganizationId == admin.OrganizationId)
            .Join(db.Teams, m => m.TeamId, t => t.Id, (m, t) => new { m.UserId, t.Name }).ToListAsync(ct);
        var now = time.GetUtcNow();
        return people.Select(p => new StaffRow(p.Id, p.DisplayName, p.Email ?? "",
            string.Join(", ", roles.Where(r => r.UserId == p.Id).Select(r => r.Name)),
            string.Join(", ", teams.Where(t => t.UserId == p.Id).Select(t => t.Name)),
            p.TwoFactorEnabled, p.LockoutEnd > now)).ToList();
    }

    public Task<List<TeamOption>> TeamsAsync(Staff admin, CancellationToken ct = default) =>
        db.Teams.Where(t => t.OrganizationId == admin.OrganizationId).OrderBy(t => t.Name).Select(t => new TeamOption(t.Id, t.Name)).ToListAsync(ct);

    /// <summary>Adds a staff member with a one-time password (shown once to the admin). They enrol a second factor at first sign-in.</summary>
    public async Task<(string? Password, Dictionary<string, string[]> Errors)> AddAsync(Staff admin, NewStaff input, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var email = input.Email?.Trim() ?? "";
        var name = input.DisplayName?.Trim() ?? "";
        if (!StaffAccounts.IsValidEmail(email))
            errors["Email"] = ["Email must be a valid email address."];
        else if (await users.FindByEmailAsync(email) is not null)
            errors["Email"] = ["Someone already has that email address."];
        if (name.Length is 0 or > 100 || name.Any(char.IsControl))
            errors["DisplayName"] = ["Display name is required: 1 to 100 characters of plain text."];
        if (input.Role is null || !AssignableRoles.Contains(input.Role))
            errors["Role"] = [$"Role must be one of {string.Join(", ", AssignableRoles)}."];
        if (input.TeamId is { } team && !await db.Teams.AnyAsync(t => t.Id == team && t.OrganizationId == admin.OrganizationId, ct))
            errors["TeamId"] = ["Choose one of your organization's teams."];
        if (errors.Count > 0) return (null, errors);

        var password = StaffAccounts.NewPassword();
        var user = await accounts.CreateAsync(admin.OrganizationId, email, name, password, input.Role!);
        if (input.TeamId is { } chosen) await network.JoinTeamAsync(admin.OrganizationId, chosen, user.Id);
        return (password, errors);
    }
}
