using System.Text.Json;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Consent;

/// <summary>Exactly the client data a disclosure may carry: sections outside the allowed categories are null.</summary>
public sealed record DisclosurePacket
{
    public required string Reference { get; init; }
    public required IReadOnlyList<DataCategory> Shared { get; init; }
    public required IReadOnlyList<DataCategory> Withheld { get; init; }
    /// <summary>The purposes of the grants that allowed it; the recipient may use the data for these only.</summary>
    public required IReadOnlyList<string> Purposes { get; init; }
    public string? ChosenName { get; init; }
    public string? Pronouns { get; init; }
    public IReadOnlyList<string>? Languages { get; init; }
    public string? GenderIdentity { get; init; }
    public string? LegalName { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public string? CountryOfBirth { get; init; }
    public IReadOnlyList<ContactMethod>? ContactMethods { get; init; }
    public string? Address { get; init; }
    public string? ImmigrationStatus { get; init; }
    /// <summary>Completed screening results: indicators and needs, never the answers.</summary>
    public IReadOnlyList<SharedScreeningResult>? ScreeningResults { get; init; }
}

public sealed record SharedScreeningResult(string Instrument, string InstrumentVersion, string? Summary, IReadOnlyList<string> Indicators, IReadOnlyList<string> Needs);

public sealed record DisclosureOutcome(DisclosureDecision Decision, DisclosurePacket? Packet);

/// <summary>
/// The disclosure guard as a service: the one way client data leaves its organization (letters, exports,
/// API reads by another organization, referral packets). It reads the client's grants at the moment of the
/// request, decides with <see cref="DisclosureGuard"/>, records the disclosure (allowed or refused) with an
/// audit event in the same transaction, and only then opens the allowed parts of the record.
/// Callers check that the requester may ask at all (team access, or being the recipient organization).
/// </summary>
public sealed class Disclosures(HavenDb db, KeyRing keys, AuditLog audit, TimeProvider time)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<DisclosureOutcome?> DiscloseAsync(string actorId, Guid clientOrganizationId, Guid clientId, Recipient recipient,
        DataCategory requested, DisclosureChannel channel, CancellationToken ct = default)
    {
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId && c.OrganizationId == clientOrganizationId, ct);
        if (client is null) return null;
        var grants = await db.ConsentGrants.AsNoTracking().Where(g => g.ClientId == clientId && g.OrganizationId == clientOrganizationId).ToListAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var decision = DisclosureGuard.Decide(grants, clientId, recipient, requested, now);

        await using (var change = await audit.BeginChangeAsync(ct))
        {
            db.Disclosures.Add(new Disclosure
            {
                OrganizationId = clientOrganizationId,
                ClientId = clientId,
                Channel = channel,
                RecipientClass = recipient.Class,
                RecipientOrganizationId = recipient.OrganizationId,
                Requested = requested,
                Allowed = decision.Allowed,
                GrantIds = string.Join(',', decision.GrantIds),
                ActorId = actorId,
                At = now,
            });
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync(new AuditEntry(decision.IsRefused ? AuditEventType.DisclosureRefused : AuditEventType.DisclosureAllowed,
                actorId, clientOrganizationId, clientId, "disclosure"), ct);
            await change.CommitAsync(ct);
            db.ChangeTracker.Clear();
        }
        if (decision.IsRefused) return new DisclosureOutcome(decision, null);
        return new DisclosureOutcome(decision, await PacketAsync(client, grants, decision, ct));
    }

    /// <summary>
    /// What a disclosure would carry, for the person about to send it to check first. Nothing leaves and no
    /// disclosure is recorded; the read of the record is audited.
    /// </summary>
    public async Task<DisclosureOutcome?> PreviewAsync(string actorId, Guid clientOrganizationId, Guid clientId, Recipient recipient,
        DataCategory requested, CancellationToken ct = default)
    {
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId && c.OrganizationId == clientOrganizationId, ct);
        if (client is null) return null;
        var grants = await db.ConsentGrants.AsNoTracking().Where(g => g.ClientId == clientId && g.OrganizationId == clientOrganizationId).ToListAsync(ct);
        var decision = DisclosureGuard.Decide(grants, clientId, recipient, requested, time.GetUtcNow().UtcDateTime);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ReferralPacketPreviewed, actorId, clientOrganizationId, clientId, "care"), ct);
        return new DisclosureOutcome(decision, decision.IsRefused ? null : await PacketAsync(client, grants, decision, ct));
    }

    async Task<DisclosurePacket> PacketAsync(Client client, List<ConsentGrant> grants, DisclosureDecision decision, CancellationToken ct)
    {
        var orgKeys = await keys.ForOrganizationAsync(db, client.OrganizationId, ct);
        var purposes = grants.Where(g => decision.GrantIds.Contains(g.Id))
            .Select(g => JsonSerializer.Deserialize<ConsentTerms>(ClientRecords.OpenFor(orgKeys, client, g.Id, g.SealedTerms), Json)!.Purpose)
            .Distinct().ToList();
        var screenings = decision.Allowed.HasFlag(DataCategory.ScreeningResults)
            ? (await Screening.Screenings.ResultsForDisclosureAsync(db, orgKeys, client, ct))
                .Select(r => new SharedScreeningResult(r.InstrumentId, r.InstrumentVersion, r.SummaryText, [.. r.Indicators.Select(i => i.Label)],
                    [.. r.Needs.Select(n => Screening.Needs.All[n])])).ToList()
            : null;
        return Pack(client.Reference, ClientRecords.Open(orgKeys, client), decision, purposes) with { ScreeningResults = screenings };
    }

    static DisclosurePacket Pack(string reference, ClientDetails d, DisclosureDecision decision, IReadOnlyList<string> purposes)
    {
        var identity = decision.Allowed.HasFlag(DataCategory.Identity);
        var contact = decision.Allowed.HasFlag(DataCategory.Contact);
        return new DisclosurePacket
        {
            Reference = reference,
            Shared = DisclosureGuard.Split(decision.Allowed).ToList(),
            Withheld = DisclosureGuard.Split(decision.Refused).ToList(),
            Purposes = purposes,
            ChosenName = identity ? d.ChosenName : null,
            Pronouns = identity ? d.Pronouns : null,
            Languages = identity ? d.Languages : null,
            GenderIdentity = identity ? d.GenderIdentity : null,
            LegalName = identity ? d.LegalName : null,
            DateOfBirth = identity ? d.DateOfBirth : null,
            CountryOfBirth = identity ? d.CountryOfBirth : null,
            ContactMethods = contact ? d.ContactMethods : null,
            Address = contact ? d.Address : null,
            ImmigrationStatus = decision.Allowed.HasFlag(DataCategory.Immigration) ? d.ImmigrationStatus : null,
        };
    }
}
