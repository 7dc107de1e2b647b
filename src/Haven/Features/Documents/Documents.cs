using System.Text;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Documents;

public sealed record DocumentSummary(Guid Id, DocumentKind Kind, string Name, string ContentType, long Size, DateTime UploadedAt);
public sealed record DocumentFile(string Name, string ContentType, byte[] Content);

/// <summary>Upload and download of matter documents: checked, scanned, sealed with the client key, every download audited.</summary>
public sealed class Documents(HavenDb db, KeyRing keys, AuditLog audit, ClientRecords records, Matters.Matters matters, VirusScan scan, IConfiguration configuration, TimeProvider time)
{
    public const int NameMax = 255;
    public long MaxBytes => configuration.GetValue("Documents:MaxMegabytes", 25L) * 1024 * 1024;

    public async Task<SaveResult?> UploadAsync(Staff staff, Guid matterId, DocumentKind? kind, string? fileName, string? contentType, byte[] content, CancellationToken ct = default)
    {
        if (await matters.FindForWorkAsync(staff, matterId, ct) is not { } found) return null;
        var errors = new Dictionary<string, string[]>();
        if (kind is not { } k || !Enum.IsDefined(k)) errors["Kind"] = ["Choose what the document is: identity document, evidence, draft or other."];
        var name = Path.GetFileName(fileName ?? "").Trim();
        if (name.Length == 0) errors["File"] = ["Choose a file to upload."];
        else if (name.Length > NameMax || name.Any(char.IsControl)) errors["File"] = [$"The file name must be at most {NameMax} characters of plain text."];
        else if (content.Length == 0) errors["File"] = ["The file is empty."];
        else if (content.Length > MaxBytes) errors["File"] = [$"The file is larger than {MaxBytes / 1024 / 1024} MB."];
        else if (FileTypes.Problem(contentType, content) is { } problem) errors["File"] = [problem];
        else if (await scan.ProblemAsync(content, ct) is { } threat) errors["File"] = [threat];
        if (errors.Count > 0) return new SaveResult(null, errors);

        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var document = new MatterDocument
        {
            OrganizationId = staff.OrganizationId,
            ClientId = found.Client.Id,
            MatterId = matterId,
            Kind = kind!.Value,
            ContentType = contentType!.Split(';')[0].Trim().ToLowerInvariant(),
            Size = content.Length,
            SealedName = [],
            SealedContent = [],
            UploadedBy = staff.UserId,
            UploadedAt = time.GetUtcNow().UtcDateTime,
        };
        document.SealedName = ClientRecords.SealFor(orgKeys, found.Client, document.Id, Encoding.UTF8.GetBytes(name));
        document.SealedContent = ClientRecords.SealFor(orgKeys, found.Client, document.Id, content);
        await using var change = await audit.BeginChangeAsync(ct);
        db.MatterDocuments.Add(document);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.DocumentUploaded, staff.UserId, staff.OrganizationId, found.Client.Id, Purpose(found.Access)), ct);
        await change.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new SaveResult(document.Id, []);
    }

    /// <summary>The documents of a matter, for its page (whose view is audited there). Only names are opened.</summary>
    public async Task<IReadOnlyList<DocumentSummary>> ListAsync(Staff staff, Guid matterId, CancellationToken ct = default)
    {
        if (await matters.FindForWorkAsync(staff, matterId, ct) is not { } found) return [];
        var rows = await db.MatterDocuments.AsNoTracking().Where(d => d.MatterId == matterId && d.OrganizationId == staff.OrganizationId)
            .OrderBy(d => d.UploadedAt).Select(d => new { d.Id, d.Kind, d.SealedName, d.ContentType, d.Size, d.UploadedAt }).ToListAsync(ct);
        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        return rows.Select(d => new DocumentSummary(d.Id, d.Kind, Encoding.UTF8.GetString(ClientRecords.OpenFor(orgKeys, found.Client, d.Id, d.SealedName)),
            d.ContentType, d.Size, d.UploadedAt)).ToList();
    }

    public async Task<DocumentFile?> DownloadAsync(Staff staff, Guid documentId, CancellationToken ct = default)
    {
        var document = await db.MatterDocuments.AsNoTracking().SingleOrDefaultAsync(d => d.Id == documentId && d.OrganizationId == staff.OrganizationId, ct);
        if (document is null || await records.AccessForWorkAsync(staff, document.ClientId, ct) is not { } found) return null;
        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var file = new DocumentFile(Encoding.UTF8.GetString(ClientRecords.OpenFor(orgKeys, found.Client, document.Id, document.SealedName)),
            document.ContentType, ClientRecords.OpenFor(orgKeys, found.Client, document.Id, document.SealedContent));
        await audit.RecordAsync(new AuditEntry(AuditEventType.DocumentDownloaded, staff.UserId, staff.OrganizationId, document.ClientId, Purpose(found.Access)), ct);
        return file;
    }

    static string Purpose(ClientAccess access) => access == ClientAccess.BreakGlass ? "break-glass" : "care";
}
