using Haven.Features.Consent;
using Haven.Features.Organizations;

namespace Haven.Tests.Engines;

public sealed class DisclosureGuardTests
{
    static readonly DateTime Now = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);
    static readonly Guid Client = Guid.NewGuid(), Shelter = Guid.NewGuid(), Clinic = Guid.NewGuid();

    static ConsentGrant Grant(DataCategory categories, RecipientClass to, Guid? org = null, DateTime? given = null, DateTime? expires = null, DateTime? revoked = null) => new()
    {
        ClientId = Client,
        Categories = categories,
        RecipientClass = to,
        RecipientOrganizationId = org,
        SealedTerms = [],
        Language = "en",
        GivenAt = given ?? Now.AddDays(-1),
        ExpiresAt = expires ?? Now.AddDays(30),
        RevokedAt = revoked,
        RecordedBy = "staff",
    };

    static DisclosureDecision Decide(Recipient to, DataCategory asked, params ConsentGrant[] grants) => DisclosureGuard.Decide(grants, Client, to, asked, Now);

    [Fact]
    public void Without_any_grant_nothing_is_allowed() =>
        Assert.True(Decide(new Recipient(RecipientClass.ServiceProvider, Shelter), DataCategory.Identity).IsRefused);

    [Fact]
    public void A_grant_to_an_organization_allows_its_categories_to_that_organization_only()
    {
        var grant = Grant(DataCategory.Identity | DataCategory.Contact, RecipientClass.Organization, Shelter);
        var allowed = Decide(new Recipient(RecipientClass.ServiceProvider, Shelter), DataCategory.Identity | DataCategory.Contact, grant);
        Assert.Equal(DataCategory.Identity | DataCategory.Contact, allowed.Allowed);
        Assert.Equal([grant.Id], allowed.GrantIds);
        Assert.True(Decide(new Recipient(RecipientClass.ServiceProvider, Clinic), DataCategory.Identity, grant).IsRefused);
    }

    [Fact]
    public void Categories_outside_the_grant_are_refused_and_named()
    {
        var decision = Decide(new Recipient(RecipientClass.ServiceProvider, Shelter), DataCategory.Identity | DataCategory.Immigration,
            Grant(DataCategory.Identity, RecipientClass.Organization, Shelter));
        Assert.Equal(DataCategory.Identity, decision.Allowed);
        Assert.Equal(DataCategory.Immigration, decision.Refused);
        Assert.False(decision.IsRefused);
    }

    [Fact]
    public void A_grant_to_a_class_covers_every_recipient_of_that_class()
    {
        var grant = Grant(DataCategory.Contact, RecipientClass.ServiceProvider);
        Assert.False(Decide(new Recipient(RecipientClass.ServiceProvider, Clinic), DataCategory.Contact, grant).IsRefused);
        Assert.True(Decide(new Recipient(RecipientClass.Attorney, Clinic), DataCategory.Contact, grant).IsRefused);
    }

    [Fact]
    public void A_revoked_grant_allows_nothing_from_the_moment_of_revocation() =>
        Assert.True(Decide(new Recipient(RecipientClass.ServiceProvider, Shelter), DataCategory.Identity,
            Grant(DataCategory.Identity, RecipientClass.Organization, Shelter, revoked: Now)).IsRefused);

    [Fact]
    public void An_expired_grant_allows_nothing() =>
        Assert.True(Decide(new Recipient(RecipientClass.ServiceProvider, Shelter), DataCategory.Identity,
            Grant(DataCategory.Identity, RecipientClass.Organization, Shelter, given: Now.AddDays(-60), expires: Now)).IsRefused);

    [Fact]
    public void A_grant_that_has_not_started_allows_nothing() =>
        Assert.True(Decide(new Recipient(RecipientClass.ServiceProvider, Shelter), DataCategory.Identity,
            Grant(DataCategory.Identity, RecipientClass.Organization, Shelter, given: Now.AddDays(1))).IsRefused);

    [Theory]
    [InlineData(RecipientClass.LawEnforcement)]
    [InlineData(RecipientClass.ImmigrationAuthority)]
    public void Police_and_immigration_need_a_grant_naming_their_class(RecipientClass authority)
    {
        var broad = new[]
        {
            Grant(DataCategory.Identity, RecipientClass.ServiceProvider),
            Grant(DataCategory.Identity, RecipientClass.Other),
            Grant(DataCategory.Identity, RecipientClass.Attorney),
            Grant(DataCategory.Identity, RecipientClass.Organization, Shelter),
        };
        Assert.True(Decide(new Recipient(authority), DataCategory.Identity, broad).IsRefused);
        Assert.False(Decide(new Recipient(authority), DataCategory.Identity, [.. broad, Grant(DataCategory.Identity, authority)]).IsRefused);
    }

    [Fact]
    public void Another_clients_grant_never_counts()
    {
        var other = Grant(DataCategory.Identity, RecipientClass.ServiceProvider);
        other.ClientId = Guid.NewGuid();
        Assert.True(Decide(new Recipient(RecipientClass.ServiceProvider, Shelter), DataCategory.Identity, other).IsRefused);
    }

    [Fact]
    public void Several_grants_together_cover_what_each_names()
    {
        var identity = Grant(DataCategory.Identity, RecipientClass.Organization, Shelter);
        var contact = Grant(DataCategory.Contact, RecipientClass.ServiceProvider);
        var decision = Decide(new Recipient(RecipientClass.ServiceProvider, Shelter), DataCategory.Identity | DataCategory.Contact, identity, contact);
        Assert.Equal(DataCategory.Identity | DataCategory.Contact, decision.Allowed);
        Assert.Equal(2, decision.GrantIds.Count);
    }

    [Theory]
    [InlineData(OrganizationKind.Legal, RecipientClass.Attorney)]
    [InlineData(OrganizationKind.Shelter, RecipientClass.ServiceProvider)]
    [InlineData(OrganizationKind.CourtProgram, RecipientClass.ServiceProvider)]
    [InlineData(OrganizationKind.PeerOrganization, RecipientClass.ServiceProvider)]
    public void Network_organizations_are_never_police_or_immigration(OrganizationKind kind, RecipientClass expected) =>
        Assert.Equal(expected, DisclosureGuard.ClassOf(kind));

    [Fact]
    public void Consent_wording_is_in_the_clients_language_and_says_it_can_be_taken_back()
    {
        var from = new DateOnly(2026, 11, 22);
        var es = ClientFacingText.ConsentWording("es", DataCategory.Identity | DataCategory.Contact, RecipientClass.Organization, "Refugio Test", "vivienda", from, from.AddYears(1));
        Assert.Contains("Refugio Test", es);
        Assert.Contains("quién es usted", es);
        Assert.Contains("Puede retirarlo en cualquier momento", es);
        var en = ClientFacingText.ConsentWording("fr", DataCategory.Immigration, RecipientClass.LawEnforcement, null, "a T visa", from, from.AddYears(1));
        Assert.Contains("law enforcement", en); // no French wording yet: English, and the page says so
        Assert.False(ClientFacingText.Has("fr"));
    }
}
