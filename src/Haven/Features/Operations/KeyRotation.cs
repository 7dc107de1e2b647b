using Haven.Data;
using Haven.Features.Audit;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Operations;

/// <summary>
/// Re-wraps every organization key under a new master key. Data is not re-encrypted: client keys
/// are wrapped by organization keys, which do not change. Afterwards the old master key opens nothing.
/// </summary>
public sealed class KeyRotation(HavenDb db, KeyRing keys, AuditLog audit, AuditAnchor anchor)
{
    public async Task<int> RotateAsync(CancellationToken ct = default)
    {
        var store = keys.Store;
        var oldKey = store.Load();
        var newKey = Crypto.NewKey();
        var organizations = await db.Organizations.ToListAsync(ct);
        // Unwrap everything first: a wrong master key fails here, before anything changes.
        var unwrapped = organizations.Select(o => (Org: o, Key: KeyRing.Unwrap(oldKey, o.Id, o.WrappedKey))).ToList();
        await using var change = await audit.BeginChangeAsync(ct);
        foreach (var (org, key) in unwrapped)
        {
            org.WrappedKey = Crypto.Seal(newKey, key, Crypto.Bind(org.Id));
            org.MasterKeyFingerprint = Crypto.Fingerprint(newKey);
        }
        await Accounts.SecondFactorSecrets.ResealAsync(db, oldKey, newKey, ct);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.MasterKeyRotated, null, null, null, "cli"), ct);
        // The new key is written before the commit; if the commit fails the old file is put back.
        var previous = store.FilePath + ".previous";
        File.Copy(store.FilePath, previous, overwrite: true);
        store.Replace(newKey);
        try
        {
            await change.CommitAsync(ct);
        }
        catch
        {
            File.Move(previous, store.FilePath, overwrite: true);
            throw;
        }
        File.Delete(previous);
        KeyRingEncryption.Reseal(store.KeyRingFolder, oldKey, newKey);
        anchor.Reseal(oldKey, newKey);
        keys.Forget();
        return organizations.Count;
    }
}
