namespace Haven.Features.Documents;

public enum DocumentKind { IdentityDocument = 1, Evidence = 2, Draft = 3, Other = 4 }

/// <summary>
/// A file on a matter. The bytes and the file name (names often say whose passport it is) are sealed with
/// the client's key; the row keeps the checked content type and the size.
/// </summary>
public sealed class MatterDocument
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid ClientId { get; set; }
    public Guid MatterId { get; set; }
    public DocumentKind Kind { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required byte[] SealedName { get; set; }
    public required byte[] SealedContent { get; set; }
    public required string UploadedBy { get; set; }
    public DateTime UploadedAt { get; set; }
}
