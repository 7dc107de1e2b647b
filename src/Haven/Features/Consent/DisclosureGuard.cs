namespace Haven.Features.Consent;

/// <summary>Who data would go to: an organization of the network (with the class its kind falls in) or an outside recipient of a class.</summary>
public sealed record Recipient(RecipientClass Class, Guid? OrganizationId = null);

public sealed record DisclosureDecision(DataCategory Requested, DataCategory Allowed, IReadOnlyList<Guid> GrantIds)
{
    public DataCategory Refused => Requested & ~Allowed;
    /// <summary>Nothing at all may go out.</summary>
    public bool IsRefused => Allowed == DataCategory.None;
}

/// <summary>
/// The rule every outbound flow of client data passes: a category may go to a recipient only if a grant of
/// this client that is in force (given, not expired, not revoked) names that category and that recipient.
/// Law enforcement and immigration authorities are reached only by a grant naming that class; there is no
/// override of any kind.
/// </summary>
public static class DisclosureGuard
{
    public static readonly DataCategory[] Categories = Enum.GetValues<DataCategory>().Where(c => c != DataCategory.None).ToArray();

    public static bool IsInForce(ConsentGrant grant, DateTime at) =>
        grant.RevokedAt is null && grant.GivenAt <= at && at < grant.ExpiresAt;

    public static bool Names(ConsentGrant grant, Recipient recipient) => grant.RecipientClass == RecipientClass.Organization
        ? recipient.OrganizationId is { } org && grant.RecipientOrganizationId == org
        : grant.RecipientClass == recipient.Class;

    public static DisclosureDecision Decide(IEnumerable<ConsentGrant> grants, Guid clientId, Recipient recipient, DataCategory requested, DateTime at)
    {
        var allowed = DataCategory.None;
        var used = new List<Guid>();
        foreach (var grant in grants)
        {
            if (grant.ClientId != clientId || !IsInForce(grant, at) || !Names(grant, recipient)) continue;
            var covered = grant.Categories & requested & ~allowed;
            if (covered == DataCategory.None) continue;
            allowed |= covered;
            used.Add(grant.Id);
        }
        return new DisclosureDecision(requested, allowed, used);
    }

    /// <summary>The class an organization of the network falls in as a recipient.</summary>
    public static RecipientClass ClassOf(Organizations.OrganizationKind kind) =>
        kind == Organizations.OrganizationKind.Legal ? RecipientClass.Attorney : RecipientClass.ServiceProvider;

    public static IEnumerable<DataCategory> Split(DataCategory categories) => Categories.Where(c => categories.HasFlag(c));

    /// <summary>Reads "Identity,Contact" (any case); false if a name is not a category. An empty text gives None.</summary>
    public static bool TryParse(string? text, out DataCategory categories)
    {
        categories = DataCategory.None;
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<DataCategory>(part, ignoreCase: true, out var c) || c == DataCategory.None || !Enum.IsDefined(c)) return false;
            categories |= c;
        }
        return true;
    }
}
