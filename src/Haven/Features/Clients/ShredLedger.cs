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
        if (present.Count > 0) await DestroyAsync(db, present, ct);
        return present.Count;
    }

    public static async Task DestroyAsync(HavenDb db, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        await db.ClientSearchTokens.Where(t => ids.Contains(t.ClientId)).ExecuteDeleteAsync(ct);
        await db.BreakGlassAccesses.Where(a => ids.Contains(a.ClientId)).ExecuteDeleteAsync(ct);
        // Grants are sealed with the client key and unreadable without it; the disclosure record holds
        // ids and codes only and stays, like the audit log, as the organization's account of what it did.
        await db.ConsentGrants.Where(g => ids.Contains(g.ClientId)).ExecuteDeleteAsync(ct);
        await db.Notes.Where(n => ids.Contains(n.ClientId)).ExecuteDeleteAsync(ct);
        await db.SafetyPlans.Where(p => ids.Contains(p.ClientId)).ExecuteDeleteAsync(ct);
        await db.ReliefFiles.Where(p => ids.Contains(p.ClientId)).ExecuteDeleteAsync(ct);
        await db.CourtAppearances.Where(a => ids.Contains(a.ClientId)).ExecuteDeleteAsync(ct);
        await db.Screenings.Where(s => s.ClientId != null && ids.Contains(s.ClientId.Value)).ExecuteDeleteAsync(ct);
        await db.CaseTasks.Where(t => ids.Contains(t.ClientId)).ExecuteDeleteAsync(ct);
        // A referral packet is sealed for its receiver, not with the client key: shredding deletes it on both sides.
        await db.ReferralChanges.Where(c => db.Referrals.Any(r => r.Id == c.ReferralId && ids.Contains(r.ClientId))).ExecuteDeleteAsync(ct);
        await db.Referrals.Where(r => ids.Contains(r.ClientId)).ExecuteDeleteAsync(ct);
        await db.MatterDocuments.Where(d => ids.Contains(d.ClientId)).ExecuteDeleteAsync(ct);
        await db.AdversePartyTokens.Where(t => db.AdverseParties.Any(p => p.Id == t.PartyId && ids.Contains(p.ClientId))).ExecuteDeleteAsync(ct);
        await db.AdverseParties.Where(p => ids.Contains(p.ClientId)).ExecuteDeleteAsync(ct);
        await db.Matters.Where(m => ids.Contains(m.ClientId)).ExecuteDeleteAsync(ct);
        await db.Clients.Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(ct);
    }
}
