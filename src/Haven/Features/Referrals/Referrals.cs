using System.Text.Json;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Features.Consent;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Referrals;

public sealed record ReferralRequest(string? ServiceId, List<DataCategory>? Share, HandDelivery? ByHand);

public sealed record StatusChange(ReferralStatus? Status, ReferralReason? Reason);

public sealed record ReferralStep(DateTime At, ReferralStatus Status, ReferralReason Reason, string By);

public sealed record ReferralView(
    Guid Id, Guid ClientId, string? ClientReference, string ServiceId, string ServiceName, string? From, string? To, HandDelivery SentByHand,
    ReferralStatus Status, ReferralReason Reason, IReadOnlyList<DataCategory> Shared, DateTime CreatedAt, DateTime? SentAt, DateTime? AcceptedAt,
    DateTime? ClosedAt, IReadOnlyList<ReferralStep> History, DisclosurePacket? Packet, bool Incoming, IReadOnlyList<ReferralStatus> Next);

/// <summary>
/// Closed-loop referrals. Sending goes through the disclosure guard: the packet holds only what the client agreed to
/// share with that provider. The receiving organization accepts or declines with a reason and closes the loop; the
/// referring side sees every change. A provider not on Haven gets a referral recorded as sent by hand.
/// </summary>
public sealed class Referrals(HavenDb db, ClientRecords clients, Disclosures disclosures, KeyRing keys, AuditLog audit, TimeProvider time)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Who may move a referral to which state: the receiver works it, the referrer may withdraw it.</summary>
    static readonly Dictionary<ReferralStatus, ReferralStatus[]> ReceiverMoves = new()
    {
        [ReferralStatus.Requested] = [ReferralStatus.Accepted, ReferralStatus.Rejected],
        [ReferralStatus.Accepted] = [ReferralStatus.InProgress, ReferralStatus.OnHold, ReferralStatus.Completed, ReferralStatus.Failed],
        [ReferralStatus.InProgress] = [ReferralStatus.OnHold, ReferralStatus.Completed, ReferralStatus.Failed],
        [ReferralStatus.OnHold] = [ReferralStatus.InProgress, ReferralStatus.Completed, ReferralStatus.Failed],
    };

    static readonly ReferralStatus[] Open = [ReferralStatus.Requested, ReferralStatus.Accepted, ReferralStatus.InProgress, ReferralStatus.OnHold];
    static readonly ReferralStatus[] Taken = [ReferralStatus.Accepted, ReferralStatus.InProgress, ReferralStatus.OnHold, ReferralStatus.Completed];

    public static bool NeedsReason(ReferralStatus status) => status is ReferralStatus.Rejected or ReferralStatus.Failed or ReferralStatus.Cancelled;

    /// <summary>What the package shows before sending: the guard's decision for this provider, with the packet it allows.</summary>
    public async Task<(DisclosureOutcome? Outcome, Recipient? Recipient, Dictionary<string, string[]> Errors)> PreviewAsync(Staff staff, Guid clientId, string? serviceId, DataCategory share, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var (service, recipient) = await RecipientAsync(serviceId, errors, ct);
        if (share == DataCategory.None) errors["share"] = ["Choose what to share."];
        if (errors.Count > 0 || await clients.AccessForWorkAsync(staff, clientId, ct) is null) return (null, null, errors);
        return (await disclosures.PreviewAsync(staff.UserId, staff.OrganizationId, clientId, recipient!, share, ct), recipient, errors);
    }

    async Task<(ServiceDirectory.DirectoryService?, Recipient?)> RecipientAsync(string? serviceId, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        var service = string.IsNullOrEmpty(serviceId) || serviceId.Length > 100 ? null : await db.DirectoryServices.AsNoTracking().SingleOrDefaultAsync(s => s.Id == serviceId, ct);
        if (service is null) { errors["serviceId"] = ["No service in the directory has this id."]; return (null, null); }
        if (service.ListedBy is not { } org) return (service, new Recipient(RecipientClass.ServiceProvider));
        var kind = await db.Organizations.Where(o => o.Id == org).Select(o => o.Kind).SingleAsync(ct);
        return (service, new Recipient(DisclosureGuard.ClassOf(kind), org));
    }

    public async Task<(Guid? Id, Dictionary<string, string[]> Errors)?> SendAsync(Staff staff, Guid clientId, ReferralRequest request, CancellationToken ct = default)
    {
        if (await clients.AccessForWorkAsync(staff, clientId, ct) is null) return null;
        var errors = new Dictionary<string, string[]>();
        var share = (request.Share ?? []).Aggregate(DataCategory.None, (a, c) => a | c);
        if (share == DataCategory.None) errors["share"] = ["Choose what to share."];
        if (request.ByHand is { } hand && !Enum.IsDefined(hand)) errors["byHand"] = ["Choose how it was sent: Phone, Email, Fax, InPerson or Letter."];
        var (service, recipient) = await RecipientAsync(request.ServiceId, errors, ct);
        var byHand = request.ByHand ?? HandDelivery.None;
        if (service is not null && service.ListedBy is null && byHand == HandDelivery.None)
            errors["byHand"] = ["This provider is not on Haven: send the referral yourself and record how it was sent."];
        if (errors.Count > 0) return (null, errors);

        var outcome = await disclosures.DiscloseAsync(staff.UserId, staff.OrganizationId, clientId, recipient!, share, DisclosureChannel.ReferralPacket, ct);
        if (outcome?.Packet is not { } packet)
            return (null, new() { ["share"] = ["The client has not agreed to share any of this with this provider. Record their consent first."] });

        var now = time.GetUtcNow().UtcDateTime;
        // The packet is sealed for whoever may read it: the receiver on Haven, or the sender's own organization.
        var sealFor = byHand == HandDelivery.None ? service!.ListedBy!.Value : staff.OrganizationId;
        var sealedPacket = (await keys.ForOrganizationAsync(db, sealFor, ct)).Seal(JsonSerializer.Serialize(packet, Json));
        var referral = new Referral
        {
            OrganizationId = staff.OrganizationId,
            ClientId = clientId,
            CreatedBy = staff.UserId,
            ServiceId = service!.Id,
            ServiceName = service.Name,
            ReceivingOrganizationId = byHand == HandDelivery.None ? service.ListedBy : null,
            SentByHand = byHand,
            Status = ReferralStatus.Requested,
            Requested = share,
            Shared = outcome.Decision.Allowed,
            SealedPacket = sealedPacket,
            CreatedAt = now,
            SentAt = now,
            UpdatedAt = now,
        };
        await using var change = await audit.BeginChangeAsync(ct);
        db.Referrals.Add(referral);
        db.ReferralChanges.Add(new ReferralChange { ReferralId = referral.Id, At = now, Status = ReferralStatus.Draft, ByOrganizationId = staff.OrganizationId });
        db.ReferralChanges.Add(new ReferralChange { ReferralId = referral.Id, At = now, Status = ReferralStatus.Requested, ByOrganizationId = staff.OrganizationId });
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(byHand == HandDelivery.None ? AuditEventType.ReferralSent : AuditEventType.ReferralRecordedByHand,
            staff.UserId, staff.OrganizationId, clientId, "care"), ct);
        await change.CommitAsync(ct);
        return (referral.Id, errors);
    }

    public async Task<IReadOnlyList<ReferralView>?> ForClientAsync(Staff staff, Guid clientId, CancellationToken ct = default)
    {
        if (await clients.AccessForWorkAsync(staff, clientId, ct) is null) return null;
        var list = await db.Referrals.AsNoTracking().Where(r => r.OrganizationId == staff.OrganizationId && r.ClientId == clientId)
            .OrderByDescending(r => r.CreatedAt).ToListAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ReferralsListed, staff.UserId, staff.OrganizationId, clientId, "care"), ct);
        return await ViewsAsync(staff, list, incoming: false, ct);
    }

    /// <summary>Referrals sent to this organization, open ones first.</summary>
    public async Task<IReadOnlyList<ReferralView>> InboxAsync(Staff staff, CancellationToken ct = default)
    {
        var list = await db.Referrals.AsNoTracking().Where(r => r.ReceivingOrganizationId == staff.OrganizationId)
            .OrderByDescending(r => r.UpdatedAt).Take(500).ToListAsync(ct);
        return [.. (await ViewsAsync(staff, list, incoming: true, ct)).OrderBy(v => Open.Contains(v.Status) ? 0 : 1).ThenByDescending(v => v.SentAt)];
    }

    /// <summary>One referral, from either side; the receiver (or the sender of a referral made by hand) sees the packet.</summary>
    public async Task<ReferralView?> GetAsync(Staff staff, Guid id, CancellationToken ct = default)
    {
        var referral = await db.Referrals.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (referral is null) return null;
        var incoming = referral.ReceivingOrganizationId == staff.OrganizationId && staff.DoesClientWork;
        if (!incoming && !(referral.OrganizationId == staff.OrganizationId && await clients.AccessForWorkAsync(staff, referral.ClientId, ct) is not null)) return null;
        var view = (await ViewsAsync(staff, [referral], incoming, ct))[0];
        var readable = incoming || referral.SentByHand != HandDelivery.None;
        if (!readable || referral.SealedPacket is null) return view;
        var packet = JsonSerializer.Deserialize<DisclosurePacket>((await keys.ForOrganizationAsync(db, staff.OrganizationId, ct)).Open(referral.SealedPacket), Json);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ReferralViewed, staff.UserId, staff.OrganizationId, referral.ClientId, "care"), ct);
        return view with { Packet = packet };
    }

    public async Task<(bool Found, Dictionary<string, string[]> Errors)> ChangeAsync(Staff staff, Guid id, StatusChange change, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var referral = await db.Referrals.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (referral is null) return (false, errors);
        var incoming = referral.ReceivingOrganizationId == staff.OrganizationId && staff.DoesClientWork;
        var outgoing = referral.OrganizationId == staff.OrganizationId && await clients.AccessForWorkAsync(staff, referral.ClientId, ct) is not null;
        if (!incoming && !outgoing) return (false, errors);
        if (change.Status is not { } to || !Enum.IsDefined(to)) { errors["status"] = ["Give the new status."]; return (true, errors); }
        var reason = change.Reason ?? ReferralReason.None;
        if (!Enum.IsDefined(reason)) { errors["reason"] = ["Unknown reason."]; return (true, errors); }
        if (!Moves(referral, incoming, outgoing).Contains(to))
            errors["status"] = [$"A {Name(referral.Status)} referral cannot become {Name(to)} from your side."];
        else if (NeedsReason(to) && reason == ReferralReason.None)
            errors["reason"] = [$"Say why the referral is {Name(to)}."];
        if (errors.Count > 0) return (true, errors);

        var now = time.GetUtcNow().UtcDateTime;
        referral.Status = to;
        referral.Reason = reason;
        referral.UpdatedAt = now;
        if (to == ReferralStatus.Accepted) referral.AcceptedAt = now;
        if (!Open.Contains(to)) referral.ClosedAt = now;
        await using var tx = await audit.BeginChangeAsync(ct);
        db.ReferralChanges.Add(new ReferralChange { ReferralId = id, At = now, Status = to, Reason = reason, ByOrganizationId = staff.OrganizationId });
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ReferralStatusChanged, staff.UserId, staff.OrganizationId, referral.ClientId, "care"), ct);
        await tx.CommitAsync(ct);
        return (true, errors);
    }

    /// <summary>The receiver works the referral; the sender may cancel an open one, and records the outcome of one sent by hand.</summary>
    static IReadOnlyList<ReferralStatus> Moves(Referral r, bool incoming, bool outgoing)
    {
        var moves = new List<ReferralStatus>();
        var receiverSide = incoming || (outgoing && r.SentByHand != HandDelivery.None);
        if (receiverSide && ReceiverMoves.TryGetValue(r.Status, out var next)) moves.AddRange(next);
        if (outgoing && Open.Contains(r.Status)) moves.Add(ReferralStatus.Cancelled);
        return moves;
    }

    public static string Name(ReferralStatus status) => status switch
    {
        ReferralStatus.InProgress => "in-progress",
        ReferralStatus.OnHold => "on-hold",
        _ => status.ToString().ToLowerInvariant(),
    };

    async Task<IReadOnlyList<ReferralView>> ViewsAsync(Staff staff, List<Referral> referrals, bool incoming, CancellationToken ct)
    {
        var ids = referrals.Select(r => r.Id).ToList();
        var changes = (await db.ReferralChanges.AsNoTracking().Where(c => ids.Contains(c.ReferralId)).OrderBy(c => c.Id).ToListAsync(ct)).ToLookup(c => c.ReferralId);
        var orgIds = referrals.SelectMany(r => new[] { r.OrganizationId, r.ReceivingOrganizationId ?? Guid.Empty }).Concat(changes.SelectMany(c => c.Select(x => x.ByOrganizationId))).Distinct().ToList();
        var names = await db.Organizations.AsNoTracking().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var references = incoming ? [] : await db.Clients.AsNoTracking().Where(c => referrals.Select(r => r.ClientId).Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Reference, ct);
        return [.. referrals.Select(r => new ReferralView(r.Id, r.ClientId, references.GetValueOrDefault(r.ClientId), r.ServiceId, r.ServiceName,
            names.GetValueOrDefault(r.OrganizationId), r.ReceivingOrganizationId is { } to ? names.GetValueOrDefault(to) : null, r.SentByHand,
            r.Status, r.Reason, [.. DisclosureGuard.Split(r.Shared)], r.CreatedAt, r.SentAt, r.AcceptedAt, r.ClosedAt,
            [.. changes[r.Id].Select(c => new ReferralStep(c.At, c.Status, c.Reason, names.GetValueOrDefault(c.ByOrganizationId) ?? ""))],
            null, incoming, Moves(r, incoming, !incoming)))];
    }

    /// <summary>Services this organization referred someone to and was accepted by: their safe-house addresses may be shown to its staff.</summary>
    public async Task<ServiceDirectory.Hsds.DirectoryViewer> ViewerAsync(Staff staff, CancellationToken ct = default)
    {
        var accepted = await db.Referrals.AsNoTracking()
            .Where(r => r.OrganizationId == staff.OrganizationId && Taken.Contains(r.Status)).Select(r => r.ServiceId).Distinct().ToListAsync(ct);
        return new ServiceDirectory.Hsds.DirectoryViewer(staff.OrganizationId, accepted.ToHashSet());
    }
}
