using System.Text.Json.Nodes;

namespace Haven.Features.ServiceDirectory.Hsds;

/// <summary>A scalar field of an HSDS table: "string", "number" or "integer", with its JSON Schema format.</summary>
public sealed record HsdsField(string Name, string Type, string? Format, bool Required);

/// <summary>
/// A nested field: an array of child rows (Many) or one related row (One). A child row names its parent in
/// <see cref="ForeignKey"/> (phone.service_id); for a One the parent row names the child (service.organization_id).
/// </summary>
public sealed record HsdsNest(string Field, string Table, bool Many, string ForeignKey);

public sealed record HsdsTable(string Name, string File, int Order, IReadOnlyList<HsdsField> Fields, IReadOnlyList<HsdsNest> Nests)
{
    public HsdsField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);
}

/// <summary>
/// The HSDS 3.0 tables, read from the specification's own table schemas so import, export and the API follow the
/// standard rather than a copy of it. Attributes and metadata point at their parent through link_id and resource_id.
/// </summary>
public sealed class HsdsSchema
{
    public static readonly string BuiltInDirectory = Path.Combine(AppContext.BaseDirectory, "Features", "ServiceDirectory", "Standards", "hsds-3.0");

    static readonly Lazy<HsdsSchema> builtIn = new(() => Load(BuiltInDirectory));

    public static HsdsSchema BuiltIn => builtIn.Value;

    public IReadOnlyDictionary<string, HsdsTable> Tables { get; }

    /// <summary>Tables by file name ("services.csv") and by the plural key of the tabular JSON form.</summary>
    public IReadOnlyDictionary<string, HsdsTable> ByFile { get; }

    HsdsSchema(IReadOnlyDictionary<string, HsdsTable> tables)
    {
        Tables = tables;
        ByFile = tables.Values.ToDictionary(t => t.File, StringComparer.OrdinalIgnoreCase);
    }

    public static HsdsSchema Load(string directory)
    {
        var tables = new Dictionary<string, HsdsTable>(StringComparer.Ordinal);
        foreach (var path in System.IO.Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var node = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            var name = (string)node["name"]!;
            var required = node["required"]?.AsArray().Select(r => (string)r!).ToHashSet() ?? [];
            var fields = new List<HsdsField>();
            var nests = new List<HsdsNest>();
            foreach (var (key, value) in node["properties"]!.AsObject())
            {
                var p = value!.AsObject();
                if ((string?)p["type"] == "array" && p["items"]?["$ref"] is { } itemRef)
                    nests.Add(new HsdsNest(key, TableOf((string)itemRef!), true, ""));
                else if (p["$ref"] is { } oneRef)
                    nests.Add(new HsdsNest(key, TableOf((string)oneRef!), false, ""));
                else
                    fields.Add(new HsdsField(key, (string?)p["type"] ?? "string", (string?)p["format"], required.Contains(key)));
            }
            var order = (int?)node["datapackage_metadata"]?["order"] ?? 100;
            tables[name] = new HsdsTable(name, (string)node["path"]!, order, fields, nests);
        }
        // Foreign keys: a child row names its parent (phone.service_id), attributes and metadata use a generic link;
        // a one-to-one row is named by its parent (service.organization_id, attribute.taxonomy_term_id).
        foreach (var table in tables.Values.ToList())
        {
            var nests = table.Nests.Select(n => n with
            {
                ForeignKey = !n.Many ? n.Table + "_id"
                    : n.Table == "attribute" ? "link_id"
                    : n.Table == "metadata" ? "resource_id"
                    : table.Name + "_id",
            }).ToList();
            tables[table.Name] = table with { Nests = nests };
        }
        return new HsdsSchema(tables);
    }

    static string TableOf(string reference) => Path.GetFileNameWithoutExtension(reference);

    /// <summary>The tables in the order of the standard's data package, parents first.</summary>
    public IEnumerable<HsdsTable> InOrder => Tables.Values.OrderBy(t => t.Order).ThenBy(t => t.Name, StringComparer.Ordinal);
}
