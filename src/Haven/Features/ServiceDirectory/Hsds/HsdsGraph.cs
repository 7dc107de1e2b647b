using System.Text.Json.Nodes;

namespace Haven.Features.ServiceDirectory.Hsds;

/// <summary>A stored record as the graph sees it; <see cref="Fields"/> is null for a sealed record the viewer may not open.</summary>
public sealed record GraphRecord(string Table, string Id, JsonObject? Fields, bool Confidential, Guid? ListedBy, string? Area);

/// <summary>
/// Who is looking. Nobody signed in (the public API, exports) sees no confidential record. Staff see their own
/// organization's, and a safe house of a service their organization referred someone to and was accepted by.
/// </summary>
public sealed record DirectoryViewer(Guid? OrganizationId, IReadOnlySet<string> AcceptedServiceIds)
{
    public static readonly DirectoryViewer Public = new(null, new HashSet<string>());

    public bool MayOpen(Guid? listedBy) => listedBy is { } l && (l == OrganizationId || AcceptedServiceIds.Count > 0);

    public bool CanSee(GraphRecord record, string? underService) =>
        !record.Confidential
        || (OrganizationId is { } org && record.ListedBy == org)
        || (underService is not null && AcceptedServiceIds.Contains(underService));
}

/// <summary>
/// Builds HSDS's nested shapes from flat records and their links. Pure: the caller loads the records and links a
/// shape needs. A confidential location the viewer may not see becomes a redacted location with its general area,
/// and what is sealed under it is left out.
/// </summary>
public sealed class HsdsGraph(HsdsSchema schema, IEnumerable<GraphRecord> records, IEnumerable<HsdsLink> links)
{
    readonly Dictionary<(string, string), GraphRecord> byKey = records.ToDictionary(r => (r.Table, r.Id));
    readonly ILookup<(string, string, string), HsdsLink> children = links.Distinct().ToLookup(l => (l.ParentTable, l.ParentId, l.Field));

    public GraphRecord? Find(string table, string id) => byKey.GetValueOrDefault((table, id));

    /// <summary>A record with everything nested under it, the way the standard's "full" shapes are.</summary>
    public JsonObject? Full(string table, string id, DirectoryViewer viewer, params string[] apiNests) =>
        Nest(table, id, viewer, table == "service" ? id : null, depth: int.MaxValue, apiNests);

    /// <summary>A record with only its one-to-one relations, flat: the shape of the standard's list pages.</summary>
    public JsonObject? Listed(string table, string id, DirectoryViewer viewer, params string[] apiNests) =>
        Nest(table, id, viewer, table == "service" ? id : null, depth: 1, apiNests, oneToOneOnly: true);

    JsonObject? Nest(string table, string id, DirectoryViewer viewer, string? underService, int depth, string[] apiNests, bool oneToOneOnly = false)
    {
        if (Find(table, id) is not { } record) return null;
        if (table == "service_at_location") underService ??= record.Fields?["service_id"]?.GetValue<string>();
        if (!viewer.CanSee(record, underService) || record.Fields is null)
            return table == "location" ? Redacted(record, viewer, underService) : null;
        var output = record.Fields.DeepClone().AsObject();
        if (depth <= 0) return output;
        var nests = schema.Tables[table].Nests.Concat(apiNests.Select(f => HsdsDataset.ApiNests[(table, f)]));
        foreach (var nest in nests)
        {
            if (oneToOneOnly && nest.Many) continue;
            var context = nest.Table == "service" ? null : table == "organization" ? null : underService;
            var found = children[(table, id, nest.Field)]
                .Select(l => Nest(l.Table, l.Id, viewer, nest.Table == "service" ? l.Id : context, oneToOneOnly ? 0 : depth - 1, []))
                .OfType<JsonObject>().ToList();
            if (found.Count == 0) continue;
            output[nest.Field] = nest.Many ? new JsonArray(found.ToArray()) : found[0];
        }
        return output;
    }

    /// <summary>What anyone not allowed to see a confidential location is shown instead: its id and general area.</summary>
    public static JsonObject RedactedLocation(string id, string? area) => new()
    {
        ["id"] = id,
        ["location_type"] = "physical",
        ["name"] = "Confidential location",
        ["description"] = "A confidential location" + (area is null ? "" : $" in {area}")
            + ". Its address is given only to the organization that lists it and to organizations whose referral it has accepted.",
    };

    JsonObject Redacted(GraphRecord location, DirectoryViewer viewer, string? underService)
    {
        var output = RedactedLocation(location.Id, location.Area);
        var attributes = children[("location", location.Id, "attributes")]
            .Select(l => Nest(l.Table, l.Id, viewer, underService, int.MaxValue, [])).OfType<JsonObject>().ToArray();
        if (attributes.Length > 0) output["attributes"] = new JsonArray(attributes);
        return output;
    }
}
