namespace Haven.Features.ServiceDirectory;

/// <summary>
/// One HSDS record in its flat form, whatever its table. A confidential record (a safe house's location and what
/// hangs under it: address, phones, accessibility) is sealed with the listing organization's key and has no clear text.
/// </summary>
public sealed class DirectoryRecord
{
    public required string Table { get; set; }
    public required string Id { get; set; }
    public string Json { get; set; } = "";
    public byte[]? Sealed { get; set; }
    public bool Confidential { get; set; }
    /// <summary>The Haven organization that keeps this listing, if any.</summary>
    public Guid? ListedBy { get; set; }
    /// <summary>For a confidential location: the general area that may be shown instead of its address.</summary>
    public string? Area { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>Where a record is nested in HSDS's nested form: under which parent, in which field.</summary>
public sealed class DirectoryLink
{
    public required string ParentTable { get; set; }
    public required string ParentId { get; set; }
    public required string Field { get; set; }
    public required string Table { get; set; }
    public required string Id { get; set; }
}

/// <summary>What search and matching need of a service, kept beside its HSDS record.</summary>
public sealed class DirectoryService
{
    public required string Id { get; set; }
    public string? OrganizationId { get; set; }
    public required string Name { get; set; }
    /// <summary>Lower-case name, other name, description and term names, for search.</summary>
    public required string SearchText { get; set; }
    public required string Status { get; set; }
    public int? MinimumAge { get; set; }
    public int? MaximumAge { get; set; }
    /// <summary>Language codes, space-separated with a space at each end (" en es ").</summary>
    public string Languages { get; set; } = " ";
    public DateTime ModifiedAt { get; set; }
    public DateTime? VerifiedAt { get; set; }
    public Guid? ListedBy { get; set; }
    public int? CapacityAvailable { get; set; }
    public int? CapacityMaximum { get; set; }
    public string? CapacityUnit { get; set; }
    public DateTime? CapacityUpdatedAt { get; set; }
    /// <summary>
    /// What matching reads, kept on the row so one query finds the candidates: the Haven needs the service meets
    /// (" housing safety "), its Haven attributes (" haven:no-id-required "), and its weekly hours
    /// ("MO,TU 09:00 17:00;SA 10:00 14:00"). Needs is null on a row projected before these existed; start-up refreshes it.
    /// </summary>
    public string? Needs { get; set; }
    public string Attributes { get; set; } = " ";
    public string Hours { get; set; } = "";
}

/// <summary>A taxonomy term a service carries (through an HSDS attribute).</summary>
public sealed class DirectoryServiceTerm
{
    public required string ServiceId { get; set; }
    public required string TermId { get; set; }
    public string? TaxonomyId { get; set; }
}

/// <summary>
/// A service at a location, with what distance search needs. A confidential site has no coordinates or postcode
/// here at all, so no distance query can reveal where it is.
/// </summary>
public sealed class DirectorySite
{
    public required string Id { get; set; }
    public required string ServiceId { get; set; }
    public required string LocationId { get; set; }
    public bool Confidential { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    /// <summary>The grid cell of the coordinates: the spatial index distance search goes through.</summary>
    public int? Cell { get; set; }
    public string? Postcode { get; set; }
    public string? Area { get; set; }
    /// <summary>The service's needs, copied here so matching skips the other sites in reach before joining their service.</summary>
    public string? Needs { get; set; }
}
