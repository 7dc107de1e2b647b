using Haven.Data;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Clients;

/// <summary>
/// The ids of shredded clients, kept beside the master key rather than in the database, so that
/// restoring an older backup (which still holds the client's wrapped key) shreds the client again
/// before anyone can read it. Ids are random GUIDs: the ledger holds no personal data.
/// </summary>
public sealed class ShredLedger(MasterKeyStore store)
{
    static readonly Lock WriteLock = new();

    public void Add(Guid clientId)
    {
        lock (WriteLock)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(store.ShredLedgerPath)!);
            File.AppendAllLines(store.ShredLedgerPath, [clientId.ToString()]);
        }
    }

    public IReadOnlyList<Guid> All() => File.Exists(store.ShredLedgerPath)
        ? File.ReadLines(store.ShredLedgerPath).Select(l => Guid.TryParse(l, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList()
        : [];

    /// <summary>Destroys every ledgered client still present (after a restore, or at start).</summary>
    public async Task<int> ApplyAsync(HavenDb db, CancellationToken ct = default)
    {
        var ids = All();
        if (ids.Count == 0) return 0;
        var present = await db.Clients.Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct);
        if (present.Count > 0) await FreedSpace.PurgeAsync(db, await DestroyAsync(db, present, ct), ct);
        return present.Count;
    }

    /// <summary>Deletes the clients and everything of theirs; returns the tables it deleted from, for
    /// <see cref="FreedSpace.PurgeAsync"/> once the deletion is committed.</summary>
    public static async Task<IReadOnlyList<string>> DestroyAsync(HavenDb db, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var tables = new List<string>();
        async Task Delete<T>(IQueryable<T> rows) where T : class
        {
            await rows.ExecuteDeleteAsync(ct);
            tables.Add(db.Model.FindEntityType(typeof(T))!.GetTableName()!);
        }

        await Delete(db.ClientSearchTokens.Where(t => ids.Contains(t.ClientId)));
        await Delete(db.BreakGlassAccesses.Where(a => ids.Contains(a.ClientId)));
        // Grants are sealed with the client key and unreadable without it; the disclosure record holds
        // ids and codes only and stays, like the audit log, as the organization's account of what it did.
        await Delete(db.ConsentGrants.Where(g => ids.Contains(g.ClientId)));
        await Delete(db.Notes.Where(n => ids.Contains(n.ClientId)));
        await Delete(db.SafetyPlans.Where(p => ids.Contains(p.ClientId)));
        await Delete(db.ReliefFiles.Where(p => ids.Contains(p.ClientId)));
        await Delete(db.CourtAppearances.Where(a => ids.Contains(a.ClientId)));
        await Delete(db.Screenings.Where(s => s.ClientId != null && ids.Contains(s.ClientId.Value)));
        await Delete(db.CaseTasks.Where(t => ids.Contains(t.ClientId)));
        // A referral packet is sealed for its receiver, not with the client key: shredding deletes it on both sides.
        await Delete(db.ReferralChanges.Where(c => db.Referrals.Any(r => r.Id == c.ReferralId && ids.Contains(r.ClientId))));
        await Delete(db.Referrals.Where(r => ids.Contains(r.ClientId)));
        await Delete(db.MatterDocuments.Where(d => ids.Contains(d.ClientId)));
        await Delete(db.AdversePartyTokens.Where(t => db.AdverseParties.Any(p => p.Id == t.PartyId && ids.Contains(p.ClientId))));
        await Delete(db.AdverseParties.Where(p => ids.Contains(p.ClientId)));
        await Delete(db.Matters.Where(m => ids.Contains(m.ClientId)));
        await Delete(db.Clients.Where(c => ids.Contains(c.Id)));
        return tables;
    }
}
