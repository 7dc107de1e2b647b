using System.Security.Cryptography;
using System.Text.Json;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Clients;

public enum ClientAccess { Team, OrgAdmin, BreakGlass }

public sealed record ClientSummary(Guid Id, string Reference, string ChosenName, string? Pronouns, DateTime UpdatedAt);
public sealed record ClientView(Guid Id, string Reference, Guid TeamId, ClientDetails Details, ClientAccess Access, DateTime CreatedAt, DateTime UpdatedAt);
public sealed record SearchHit(Guid Id, string Reference, string? ChosenName, bool OnYourTeam);
public sealed record ClientPage(IReadOnlyList<ClientSummary> Items, int Page, int PageSize, bool HasMore);

/// <summary>What a request for one client found: the record, a same-organization record the
/// staff member may only open by breaking the glass, or nothing they may know of.</summary>
public sealed record ClientLookup(ClientView? View, Guid? NeedsBreakGlass)
{
    public static readonly ClientLookup NotFound = new(null, null);
}

public sealed record SaveResult(Guid? Id, Dictionary<string, string[]> Errors)
{
    public bool Ok => Errors.Count == 0;
}

public sealed record ClientSearch(string? Name, string? LegalName, string? Phone);

/// <summary>
/// Every read and write of client records goes through here: access rules (team, org admin,
/// break-the-glass), encryption with the client's key, blind indexes, and the audit trail.
/// </summary>
public sealed class ClientRecords(HavenDb db, KeyRing keys, AuditLog audit, TimeProvider time, IConfiguration configuration)
{
    public const int PageSize = 50;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    TimeSpan BreakGlassDuration => TimeSpan.FromMinutes(configuration.GetValue("Clients:BreakGlassMinutes", 240));

    async Task<Guid[]> TeamsOf(Staff staff, CancellationToken ct) =>
        await db.TeamMembers.Where(m => m.OrganizationId == staff.OrganizationId && m.UserId == staff.UserId)
            .Select(m => m.TeamId).ToArrayAsync(ct);

    IQueryable<Client> Visible(Staff staff, Guid[] teams)
    {
        var query = db.Clients.AsNoTracking().Where(c => c.OrganizationId == staff.OrganizationId);
        return staff.IsOrgAdmin ? query : query.Where(c => teams.Contains(c.TeamId));
    }

    public async Task<ClientPage> ListAsync(Staff staff, int page, CancellationToken ct = default)
    {
        page = Math.Max(1, page);
        var teams = staff.IsOrgAdmin ? [] : await TeamsOf(staff, ct);
        var query = Visible(staff, teams);
        // One row more than a page says whether there is a next page, without counting every client.
        // The page's ids come from the index alone, so only the rows shown are read, not every row skipped to reach them.
        var ids = query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Skip((page - 1) * PageSize).Take(PageSize + 1).Select(c => c.Id);
        var rows = await db.Clients.AsNoTracking().Where(c => ids.Contains(c.Id))
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).ToListAsync(ct);
        var hasMore = rows.Count > PageSize;
        if (hasMore) rows.RemoveAt(PageSize);
        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var items = rows.Select(c =>
        {
            var d = Open(orgKeys, c);
            return new ClientSummary(c.Id, c.Reference, d.ChosenName, d.Pronouns, c.UpdatedAt);
        }).ToList();
        await audit.RecordAsync(AuditEntry.AboutMany(AuditEventType.ClientListed, staff.UserId, staff.OrganizationId, rows.Select(c => c.Id), "care"), ct);
        return new ClientPage(items, page, PageSize, hasMore);
    }

    public async Task<ClientLookup> GetAsync(Staff staff, Guid id, CancellationToken ct = default)
    {
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id && c.OrganizationId == staff.OrganizationId, ct);
        if (client is null) return ClientLookup.NotFound;
        var access = await AccessAsync(staff, client, ct);
        if (access is null)
        {
            await audit.RecordAsync(new AuditEntry(AuditEventType.ClientAccessDenied, staff.UserId, staff.OrganizationId, id), ct);
            return new ClientLookup(null, id);
        }
        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var view = new ClientView(client.Id, client.Reference, client.TeamId, Open(orgKeys, client), access.Value, client.CreatedAt, client.UpdatedAt);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ClientViewed, staff.UserId, staff.OrganizationId, id,
            access == ClientAccess.BreakGlass ? "break-glass" : "care"), ct);
        return new ClientLookup(view, null);
    }

    async Task<ClientAccess?> AccessAsync(Staff staff, Client client, CancellationToken ct)
    {
        if (staff.IsOrgAdmin) return ClientAccess.OrgAdmin;
        if (!staff.DoesClientWork) return null;
        if ((await TeamsOf(staff, ct)).Contains(client.TeamId)) return ClientAccess.Team;
        var now = time.GetUtcNow().UtcDateTime;
        var glass = await db.BreakGlassAccesses.AnyAsync(a => a.OrganizationId == staff.OrganizationId && a.ClientId == client.Id
            && a.UserId == staff.UserId && a.ExpiresAt > now, ct);
        return glass ? ClientAccess.BreakGlass : null;
    }

    /// <summary>The client row if this staff member may work on it (team, org admin or an open break-the-glass), for
    /// features that keep their own records about the client and audit their own events.</summary>
    public async Task<Client?> FindForWorkAsync(Staff staff, Guid id, CancellationToken ct = default) =>
        (await AccessForWorkAsync(staff, id, ct))?.Client;

    /// <summary>Whether a client of a team is on this staff member's side of the wall (org admins: every team).
    /// For lists that only say whether to show a name; opening a record still goes through the access rules.</summary>
    public async Task<Func<Guid, bool>> OnTeamAsync(Staff staff, CancellationToken ct = default)
    {
        if (staff.IsOrgAdmin) return _ => true;
        var teams = staff.DoesClientWork ? await TeamsOf(staff, ct) : [];
        return teams.Contains;
    }

    /// <summary>The client with this reference in the staff member's organization; access is checked by whoever opens it.</summary>
    public async Task<Guid?> IdByReferenceAsync(Staff staff, string? reference, CancellationToken ct = default)
    {
        reference = reference?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(reference)) return null;
        return await db.Clients.Where(c => c.OrganizationId == staff.OrganizationId && c.Reference == reference).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(ct);
    }

    /// <summary>As <see cref="FindForWorkAsync"/>, with how the staff member reaches the client.</summary>
    public async Task<(Client Client, ClientAccess Access)?> AccessForWorkAsync(Staff staff, Guid id, CancellationToken ct = default)
    {
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id && c.OrganizationId == staff.OrganizationId, ct);
        return client is not null && await AccessAsync(staff, client, ct) is { } access ? (client, access) : null;
    }

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(Staff staff, ClientSearch search, CancellationToken ct = default)
    {
        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var wanted = new List<(SearchTokenKind Kind, byte[] Hash)>();
        foreach (var word in SearchTerms.Words(search.Name).Distinct())
            wanted.Add((SearchTokenKind.ChosenNameWord, orgKeys.BlindIndex((byte)SearchTokenKind.ChosenNameWord, SearchTerms.QueryWord(word))));
        if (SearchTerms.FullName(search.LegalName) is { Length: > 0 } legal)
            wanted.Add((SearchTokenKind.LegalName, orgKeys.BlindIndex((byte)SearchTokenKind.LegalName, legal)));
        if (SearchTerms.Phone(search.Phone) is { Length: > 0 } phone)
            wanted.Add((SearchTokenKind.Phone, orgKeys.BlindIndex((byte)SearchTokenKind.Phone, phone)));
        if (wanted.Count == 0) return [];

        // Every term must match: intersect the client ids of each term's index hits.
        HashSet<Guid>? ids = null;
        foreach (var (kind, hash) in wanted)
        {
            var matches = await db.ClientSearchTokens.Where(t => t.OrganizationId == staff.OrganizationId && t.Kind == kind && t.Hash == hash)
                .Select(t => t.ClientId).Distinct().OrderBy(id => id).Take(1000).ToListAsync(ct);
            ids = ids is null ? matches.ToHashSet() : ids.Intersect(matches).ToHashSet();
            if (ids.Count == 0) return [];
        }
        var found = await db.Clients.AsNoTracking().Where(c => c.OrganizationId == staff.OrganizationId && ids!.Contains(c.Id))
            .OrderByDescending(c => c.CreatedAt).Take(PageSize).ToListAsync(ct);
        var teams = await TeamsOf(staff, ct);
        var hits = found.Select(c =>
        {
            var visible = staff.IsOrgAdmin || teams.Contains(c.TeamId);
            return new SearchHit(c.Id, c.Reference, visible ? Open(orgKeys, c).ChosenName : null, visible);
        }).ToList();
        await audit.RecordAsync(AuditEntry.AboutMany(AuditEventType.ClientFoundBySearch, staff.UserId, staff.OrganizationId,
            hits.Where(h => h.OnYourTeam).Select(h => h.Id), "care"), ct);
        return hits;
    }

    public async Task<SaveResult> CreateAsync(Staff staff, ClientDetails details, Guid? teamId, CancellationToken ct = default)
    {
        details = ClientValidation.Normalize(details);
        var errors = ClientValidation.Validate(details, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var teams = await TeamsOf(staff, ct);
        var team = teamId ?? (teams.Length > 0 ? teams[0] : await db.Teams.Where(t => t.OrganizationId == staff.OrganizationId).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct));
        if (!staff.DoesClientWork) errors["Team"] = ["Your role does not keep client records."];
        else if (team is null || !await db.Teams.AnyAsync(t => t.Id == team && t.OrganizationId == staff.OrganizationId, ct)
            || (!staff.IsOrgAdmin && !teams.Contains(team.Value)))
            errors["Team"] = ["Choose a team you belong to."];
        if (errors.Count > 0) return new SaveResult(null, errors);

        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var client = NewClient(orgKeys, team!.Value, details, time.GetUtcNow().UtcDateTime);
        await using var change = await audit.BeginChangeAsync(ct);
        db.Clients.Add(client);
        db.ClientSearchTokens.AddRange(IndexTokens(orgKeys, client.Id, details));
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ClientCreated, staff.UserId, staff.OrganizationId, client.Id, "care"), ct);
        await change.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new SaveResult(client.Id, []);
    }

    public async Task<SaveResult?> UpdateAsync(Staff staff, Guid id, ClientDetails details, CancellationToken ct = default)
    {
        var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == id && c.OrganizationId == staff.OrganizationId, ct);
        if (client is null || await AccessAsync(staff, client, ct) is null) return null;
        details = ClientValidation.Normalize(details);
        var errors = ClientValidation.Validate(details, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        if (errors.Count > 0) return new SaveResult(null, errors);

        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var clientKey = orgKeys.UnwrapClientKey(client.Id, client.WrappedKey);
        client.SealedDetails = Seal(clientKey, client.Id, details);
        client.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await using var change = await audit.BeginChangeAsync(ct);
        await db.ClientSearchTokens.Where(t => t.ClientId == id).ExecuteDeleteAsync(ct);
        db.ClientSearchTokens.AddRange(IndexTokens(orgKeys, client.Id, details));
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ClientUpdated, staff.UserId, staff.OrganizationId, id, "care"), ct);
        await change.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new SaveResult(id, []);
    }

    /// <summary>Crypto-shredding: the client key is destroyed with the row, and the id goes into the
    /// shred ledger so a restore of an older backup destroys it again.</summary>
    public async Task<bool> ShredAsync(Staff staff, Guid id, ShredLedger ledger, CancellationToken ct = default)
    {
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id && c.OrganizationId == staff.OrganizationId, ct);
        if (client is null || await AccessAsync(staff, client, ct) is null) return false;
        ledger.Add(id);
        await using var change = await audit.BeginChangeAsync(ct);
        var tables = await ShredLedger.DestroyAsync(db, [id], ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ClientShredded, staff.UserId, staff.OrganizationId, id, "care"), ct);
        await change.CommitAsync(ct);
        await FreedSpace.PurgeAsync(db, tables, ct);
        return true;
    }

    public async Task<Dictionary<string, string[]>?> BreakGlassAsync(Staff staff, Guid id, string? reason, CancellationToken ct = default)
    {
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id && c.OrganizationId == staff.OrganizationId, ct);
        if (client is null || !staff.DoesClientWork) return null;
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length < 10)
            return new() { ["Reason"] = ["Reason is required: say in at least 10 characters why you need this record."] };
        if (reason.Length > 1000 || reason.Any(char.IsControl))
            return new() { ["Reason"] = ["Reason must be at most 1000 characters of plain text."] };
        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        await using var change = await audit.BeginChangeAsync(ct);
        db.BreakGlassAccesses.Add(new BreakGlassAccess
        {
            OrganizationId = staff.OrganizationId,
            ClientId = id,
            UserId = staff.UserId,
            Reason = orgKeys.Seal(reason),
            At = now,
            ExpiresAt = now + BreakGlassDuration,
        });
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.BreakGlassOpened, staff.UserId, staff.OrganizationId, id, "break-glass"), ct);
        await change.CommitAsync(ct);
        return [];
    }

    public static string NewReference()
    {
        const string alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
        return "C-" + string.Concat(Enumerable.Range(0, 8).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]));
    }

    /// <summary>A new client with a fresh key of its own, wrapped by the organization key, and its details sealed with it.</summary>
    public static Client NewClient(OrganizationKeys orgKeys, Guid teamId, ClientDetails details, DateTime createdAt)
    {
        var clientKey = Crypto.NewKey();
        var client = new Client
        {
            Id = Guid.CreateVersion7(createdAt),
            OrganizationId = orgKeys.OrganizationId,
            TeamId = teamId,
            Reference = NewReference(),
            WrappedKey = [],
            SealedDetails = [],
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
        };
        client.WrappedKey = orgKeys.WrapClientKey(client.Id, clientKey);
        client.SealedDetails = Seal(clientKey, client.Id, details);
        return client;
    }

    public static byte[] Seal(byte[] clientKey, Guid clientId, ClientDetails details) =>
        Crypto.Seal(clientKey, JsonSerializer.SerializeToUtf8Bytes(details, Json), Crypto.Bind(clientId));

    /// <summary>Seals another record about a client (a consent's terms, a note) with the client's key, bound to that record's id,
    /// so it dies with the client when the key is shredded.</summary>
    public static byte[] SealFor(OrganizationKeys orgKeys, Client client, Guid recordId, byte[] plaintext) =>
        Crypto.Seal(orgKeys.UnwrapClientKey(client.Id, client.WrappedKey), plaintext, Crypto.Bind(recordId));

    public static byte[] OpenFor(OrganizationKeys orgKeys, Client client, Guid recordId, byte[] sealedData) =>
        Crypto.Open(orgKeys.UnwrapClientKey(client.Id, client.WrappedKey), sealedData, Crypto.Bind(recordId));

    public static ClientDetails Open(OrganizationKeys orgKeys, Client client)
    {
        var clientKey = orgKeys.UnwrapClientKey(client.Id, client.WrappedKey);
        return JsonSerializer.Deserialize<ClientDetails>(Crypto.Open(clientKey, client.SealedDetails, Crypto.Bind(client.Id)), Json)!;
    }

    public static IEnumerable<ClientSearchToken> IndexTokens(OrganizationKeys orgKeys, Guid clientId, ClientDetails d)
    {
        ClientSearchToken Token(SearchTokenKind kind, string term) => new()
        {
            OrganizationId = orgKeys.OrganizationId,
            ClientId = clientId,
            Kind = kind,
            Hash = orgKeys.BlindIndex((byte)kind, term),
        };
        foreach (var prefix in SearchTerms.Prefixes(d.ChosenName)) yield return Token(SearchTokenKind.ChosenNameWord, prefix);
        if (SearchTerms.FullName(d.LegalName) is { Length: > 0 } legal) yield return Token(SearchTokenKind.LegalName, legal);
        foreach (var phone in d.ContactMethods.Where(c => c.Kind == "phone").Select(c => SearchTerms.Phone(c.Value)).Where(p => p.Length > 0).Distinct())
            yield return Token(SearchTokenKind.Phone, phone);
        foreach (var (kind, term) in Conflicts.NameMatching.Terms([d.ChosenName, d.LegalName]))
            yield return Token(kind, term);
    }
}
