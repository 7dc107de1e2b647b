using System.Text.Json;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Conflicts;

public sealed record AdversePartyInput(string? Name, List<string>? Aliases, AdverseRole? Role);
public sealed record AdversePartyView(Guid Id, AdverseRole Role, string Name, IReadOnlyList<string> Aliases);

/// <summary>One possible conflict. The name is shown only to staff who may work on that client's record.</summary>
public sealed record ConflictHit(string Kind, double Score, MatchKind Match, string Reference, string? Name, Guid? ClientId, Guid? MatterId);

public sealed record ConflictResult(Guid CheckId, IReadOnlyList<ConflictHit> Hits);

/// <summary>Conflict checks over clients and adverse parties through keyed blind indexes, and adverse party records.</summary>
public sealed class Conflicts(HavenDb db, KeyRing keys, AuditLog audit, ClientRecords records, Matters.Matters matters, TimeProvider time)
{
    public const int NameMax = 200, MaxNames = 10, MaxHits = 50;
    /// <summary>Candidates per checked name ranked by the database and then scored exactly.</summary>
    const int Candidates = 200;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SaveResult?> AddPartyAsync(Staff staff, Guid matterId, AdversePartyInput input, CancellationToken ct = default)
    {
        if (await matters.FindForWorkAsync(staff, matterId, ct) is not { Matter: var matter }) return null;
        var errors = new Dictionary<string, string[]>();
        var name = input.Name?.Trim() ?? "";
        var aliases = (input.Aliases ?? []).Select(a => a?.Trim() ?? "").Where(a => a.Length > 0).Distinct().ToList();
        if (SearchTerms.FullName(name).Length == 0) errors["Name"] = ["Name is required: the name the person or business is known by."];
        else if (name.Length > NameMax || name.Any(char.IsControl)) errors["Name"] = [$"Name must be at most {NameMax} characters of plain text."];
        if (aliases.Count > MaxNames || aliases.Any(a => a.Length > NameMax || a.Any(char.IsControl)))
            errors["Aliases"] = [$"At most {MaxNames} aliases of at most {NameMax} characters each."];
        if (input.Role is not { } role || !Enum.IsDefined(role)) errors["Role"] = ["Choose the party's role."];
        if (errors.Count > 0) return new SaveResult(null, errors);

        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var key = Crypto.NewKey();
        var party = new AdverseParty
        {
            OrganizationId = staff.OrganizationId,
            MatterId = matterId,
            ClientId = matter.ClientId,
            Role = input.Role!.Value,
            WrappedKey = [],
            SealedDetails = [],
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        party.WrappedKey = orgKeys.WrapClientKey(party.Id, key);
        party.SealedDetails = Crypto.Seal(key, JsonSerializer.SerializeToUtf8Bytes(new AdversePartyDetails(name, aliases), Json), Crypto.Bind(party.Id));
        await using var change = await audit.BeginChangeAsync(ct);
        db.AdverseParties.Add(party);
        db.AdversePartyTokens.AddRange(NameMatching.Terms([name, .. aliases]).Select(t => new AdversePartyToken
        {
            OrganizationId = staff.OrganizationId,
            PartyId = party.Id,
            Kind = t.Kind,
            Hash = orgKeys.BlindIndex((byte)t.Kind, t.Term),
        }));
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.AdversePartyAdded, staff.UserId, staff.OrganizationId, matter.ClientId, "care"), ct);
        await change.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new SaveResult(party.Id, []);
    }

    public async Task<IReadOnlyList<AdversePartyView>> PartiesAsync(Staff staff, Guid matterId, CancellationToken ct = default)
    {
        var parties = await db.AdverseParties.AsNoTracking().Where(p => p.MatterId == matterId && p.OrganizationId == staff.OrganizationId).OrderBy(p => p.CreatedAt).ToListAsync(ct);
        if (parties.Count == 0 || await records.FindForWorkAsync(staff, parties[0].ClientId, ct) is null) return [];
        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        return parties.Select(p => { var d = Open(orgKeys, p); return new AdversePartyView(p.Id, p.Role, d.Name, d.Aliases); }).ToList();
    }

    static AdversePartyDetails Open(OrganizationKeys orgKeys, AdverseParty p) =>
        JsonSerializer.Deserialize<AdversePartyDetails>(Crypto.Open(orgKeys.UnwrapClientKey(p.Id, p.WrappedKey), p.SealedDetails, Crypto.Bind(p.Id)), Json)!;

    /// <summary>Checks names (a person's name and aliases) against clients and adverse parties, and records the check.</summary>
    public async Task<(ConflictResult? Result, Dictionary<string, string[]> Errors)> CheckAsync(Staff staff, IReadOnlyList<string?>? names, CancellationToken ct = default)
    {
        var given = (names ?? []).Select(n => n?.Trim() ?? "").Where(n => n.Length > 0).Distinct().ToList();
        var wordsByName = given.Select(n => SearchTerms.Words(n).Distinct().ToList()).Where(w => w.Count > 0).ToList();
        if (wordsByName.Count == 0) return (null, new() { ["Names"] = ["Give at least one name to check."] });
        if (given.Count > MaxNames || given.Any(n => n.Length > NameMax || n.Any(char.IsControl)))
            return (null, new() { ["Names"] = [$"Check at most {MaxNames} names of at most {NameMax} characters each."] });

        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        // Each distinct word gets a bit; each hash says which words it stands for, exactly or by sound.
        var words = wordsByName.SelectMany(w => w).Distinct().Take(64).ToList();
        var lookup = new Dictionary<UInt128, (ulong Exact, ulong Phonetic)>();
        for (var i = 0; i < words.Count; i++)
        {
            var bit = 1UL << i;
            var exact = Key(orgKeys.BlindIndex((byte)SearchTokenKind.NameWord, words[i]));
            var sound = Key(orgKeys.BlindIndex((byte)SearchTokenKind.NamePhonetic, NameMatching.Phonetic(words[i])));
            lookup[exact] = (lookup.GetValueOrDefault(exact).Exact | bit, lookup.GetValueOrDefault(exact).Phonetic);
            lookup[sound] = (lookup.GetValueOrDefault(sound).Exact, lookup.GetValueOrDefault(sound).Phonetic | bit);
        }
        var nameBits = wordsByName.Select(name => name.Select(w => words.IndexOf(w)).Where(i => i >= 0).ToArray()).ToList();
        // The hashes that stand for each checked name's words.
        var hashesByName = nameBits.Select(name => lookup.Where(l => name.Any(w => ((l.Value.Exact | l.Value.Phonetic) >> w & 1) == 1))
            .Select(l => Bytes(l.Key)).ToList()).ToList();
        var hashes = lookup.Keys.Select(Bytes).ToList();
        SearchTokenKind[] kinds = [SearchTokenKind.NameWord, SearchTokenKind.NamePhonetic];

        // Common words match thousands of records, so the database ranks candidates per name (an exact word
        // matches both its tokens, 3 + 7; a word matched only by sound, 7) and only the best come back to be scored.
        // A record among the best overall is among the best for the name it matches best, so none is missed.
        var clientIds = new HashSet<Guid>();
        var partyIds = new HashSet<Guid>();
        foreach (var nameHashes in hashesByName)
        {
            clientIds.UnionWith(await db.ClientSearchTokens.AsNoTracking()
                .Where(t => t.OrganizationId == staff.OrganizationId && kinds.Contains(t.Kind) && nameHashes.Contains(t.Hash))
                .GroupBy(t => t.ClientId).Select(g => new { g.Key, Weight = g.Sum(t => t.Kind == SearchTokenKind.NameWord ? 3 : 7) })
                .OrderByDescending(g => g.Weight).Take(Candidates).Select(g => g.Key).ToListAsync(ct));
            partyIds.UnionWith(await db.AdversePartyTokens.AsNoTracking()
                .Where(t => t.OrganizationId == staff.OrganizationId && kinds.Contains(t.Kind) && nameHashes.Contains(t.Hash))
                .GroupBy(t => t.PartyId).Select(g => new { g.Key, Weight = g.Sum(t => t.Kind == SearchTokenKind.NameWord ? 3 : 7) })
                .OrderByDescending(g => g.Weight).Take(Candidates).Select(g => g.Key).ToListAsync(ct));
        }
        var clientTokens = await db.ClientSearchTokens.AsNoTracking()
            .Where(t => clientIds.Contains(t.ClientId) && t.OrganizationId == staff.OrganizationId && kinds.Contains(t.Kind) && hashes.Contains(t.Hash))
            .Select(t => new { Subject = t.ClientId, t.Hash }).ToListAsync(ct);
        var partyTokens = await db.AdversePartyTokens.AsNoTracking()
            .Where(t => partyIds.Contains(t.PartyId) && t.OrganizationId == staff.OrganizationId && kinds.Contains(t.Kind) && hashes.Contains(t.Hash))
            .Select(t => new { Subject = t.PartyId, t.Hash }).ToListAsync(ct);

        // Per candidate, which words matched exactly and which by sound; then the best score over the names checked.
        List<(Guid Subject, double Score, MatchKind Match)> Score(IEnumerable<(Guid Subject, byte[] Hash)> tokens)
        {
            var matched = new Dictionary<Guid, (ulong Exact, ulong Phonetic)>();
            foreach (var (subject, hash) in tokens)
            {
                var (exact, sound) = lookup[Key(hash)];
                var had = matched.GetValueOrDefault(subject);
                matched[subject] = (had.Exact | exact, had.Phonetic | sound);
            }
            return matched.Select(m => (m.Key, Score: nameBits.Max(name => NameMatching.Score(name, m.Value.Exact, m.Value.Phonetic)),
                    Match: (m.Value.Phonetic & ~m.Value.Exact) == 0 ? MatchKind.Exact : MatchKind.Phonetic))
                .Where(s => s.Score >= NameMatching.Threshold).OrderByDescending(s => s.Score).Take(MaxHits).ToList();
        }

        var clientScores = Score(clientTokens.Select(t => (t.Subject, t.Hash)));
        var partyScores = Score(partyTokens.Select(t => (t.Subject, t.Hash)));
        var hitPartyIds = partyScores.Select(s => s.Subject).ToList();
        var parties = await db.AdverseParties.AsNoTracking().Where(p => p.OrganizationId == staff.OrganizationId && hitPartyIds.Contains(p.Id))
            .Join(db.Matters, p => p.MatterId, m => m.Id, (p, m) => new { Party = p, m.Number }).ToDictionaryAsync(p => p.Party.Id, ct);
        var hitClientIds = clientScores.Select(s => s.Subject).Concat(parties.Values.Select(p => p.Party.ClientId)).Distinct().ToList();
        var clients = await db.Clients.AsNoTracking().Where(c => c.OrganizationId == staff.OrganizationId && hitClientIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var onTeam = await records.OnTeamAsync(staff, ct);
        bool Visible(Guid clientId) => clients.TryGetValue(clientId, out var c) && onTeam(c.TeamId);

        var hits = new List<ConflictHit>();
        foreach (var (id, score, match) in clientScores.Where(s => clients.ContainsKey(s.Subject)))
            hits.Add(new ConflictHit("Client", score, match, clients[id].Reference, Visible(id) ? ClientRecords.Open(orgKeys, clients[id]).ChosenName : null, id, null));
        foreach (var (id, score, match) in partyScores.Where(s => parties.ContainsKey(s.Subject)))
        {
            var party = parties[id].Party;
            hits.Add(new ConflictHit("AdverseParty", score, match, $"M-{parties[id].Number}", Visible(party.ClientId) ? Open(orgKeys, party).Name : null, null, party.MatterId));
        }
        var seen = hits.Where(h => h.Name is not null).Select(h => h.ClientId ?? parties.Values.First(p => p.Party.MatterId == h.MatterId).Party.ClientId).Distinct().ToList();
        hits = [.. hits.OrderByDescending(h => h.Score)];

        var check = new ConflictCheck
        {
            OrganizationId = staff.OrganizationId,
            SealedNames = orgKeys.Seal(JsonSerializer.Serialize(given, Json)),
            Hits = hits.Count,
            CheckedBy = staff.UserId,
            CheckedAt = time.GetUtcNow().UtcDateTime,
        };
        await using var change = await audit.BeginChangeAsync(ct);
        db.ConflictChecks.Add(check);
        await db.SaveChangesAsync(ct);
        // A check that shows a client's name is a read of that client.
        await audit.RecordAsync([new AuditEntry(AuditEventType.ConflictCheckRun, staff.UserId, staff.OrganizationId, check.Id, "intake"),
            AuditEntry.AboutMany(AuditEventType.ClientFoundByConflictCheck, staff.UserId, staff.OrganizationId, seen, "intake")], ct);
        await change.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return (new ConflictResult(check.Id, hits), []);
    }

    static UInt128 Key(byte[] hash) => System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);

    static byte[] Bytes(UInt128 key)
    {
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128LittleEndian(bytes, key);
        return bytes;
    }

    public async Task<Dictionary<string, string[]>?> DecideAsync(Staff staff, Guid checkId, ConflictOutcome? outcome, CancellationToken ct = default)
    {
        if (outcome is not { } decided || !Enum.IsDefined(decided))
            return new() { ["Outcome"] = ["Record NoConflict, Conflict or NeedsReview."] };
        await using var change = await audit.BeginChangeAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var count = await db.ConflictChecks.Where(c => c.Id == checkId && c.OrganizationId == staff.OrganizationId && c.CheckedBy == staff.UserId)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.Outcome, decided).SetProperty(c => c.DecidedAt, now), ct);
        if (count == 0) return null;
        await audit.RecordAsync(new AuditEntry(AuditEventType.ConflictCheckDecided, staff.UserId, staff.OrganizationId, checkId, "intake"), ct);
        await change.CommitAsync(ct);
        return [];
    }
}
