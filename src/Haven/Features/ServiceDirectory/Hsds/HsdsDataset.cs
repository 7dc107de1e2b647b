using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Haven.Features.ServiceDirectory.Hsds;

/// <summary>One HSDS record in its flat (tabular) form: scalar fields only, foreign keys included.</summary>
public sealed record HsdsRow(string Table, string Id, JsonObject Fields, string Where)
{
    public string? Text(string field) => Fields[field] is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s : null;

    public double? Number(string field) => Fields[field] is JsonValue v && v.TryGetValue(out double d) ? d : null;
}

/// <summary>Where a record sits in the nested form: under which parent, in which field.</summary>
public sealed record HsdsLink(string ParentTable, string ParentId, string Field, string Table, string Id);

public sealed record HsdsProblem(string Where, string Message)
{
    public override string ToString() => $"{Where}: {Message}";
}

/// <summary>
/// Records read from an HSDS file, checked before anything is stored. Errors always refuse the import; defects
/// (a reference to a record that is in neither the file nor the directory, coordinates off the globe) refuse it
/// unless the operator accepts them, because the standard's own examples contain both.
/// </summary>
public sealed class HsdsDataset(HsdsSchema schema)
{
    /// <summary>Nestings the API adds to the standard's tables: an organization's services, a service_at_location's service.</summary>
    public static readonly IReadOnlyDictionary<(string Table, string Field), HsdsNest> ApiNests = new Dictionary<(string, string), HsdsNest>
    {
        [("organization", "services")] = new("services", "service", true, "organization_id"),
        [("service_at_location", "service")] = new("service", "service", false, "service_id"),
    };

    readonly Dictionary<(string Table, string Id), HsdsRow> rows = [];
    readonly HashSet<HsdsLink> links = [];

    public HsdsSchema Schema => schema;
    public IReadOnlyCollection<HsdsRow> Rows => rows.Values;
    public IReadOnlyCollection<HsdsLink> Links => links;
    public List<HsdsProblem> Errors { get; } = [];
    public List<HsdsProblem> Defects { get; } = [];

    public HsdsRow? Find(string table, string id) => rows.GetValueOrDefault((table, id));

    public IEnumerable<HsdsRow> Of(string table) => rows.Values.Where(r => r.Table == table);

    /// <summary>Adds one flat row (a CSV line or an item of the tabular JSON form).</summary>
    public HsdsRow? AddRow(string table, JsonObject fields, string where)
    {
        var definition = schema.Tables[table];
        var flat = new JsonObject();
        foreach (var (name, value) in fields)
        {
            if (definition.Field(name) is not { } field)
            {
                if (definition.Nests.Any(n => n.Field == name)) { Errors.Add(new(where, $"'{name}' is nested data; the flat form of {table} takes only its own fields.")); continue; }
                Errors.Add(new(where, $"'{name}' is not a field of {table} in HSDS 3.0."));
                continue;
            }
            if (Convert(field, value, where) is { } converted) flat[name] = converted;
        }
        return Store(definition, flat, where);
    }

    /// <summary>Adds a record in the nested form (a full service, organization or service_at_location) and everything under it.</summary>
    public HsdsRow? AddNested(string table, JsonObject node, string path, HsdsLink? under = null)
    {
        var definition = schema.Tables[table];
        var flat = new JsonObject();
        var children = new List<(HsdsNest Nest, JsonNode Node, string Path)>();
        foreach (var (name, value) in node)
        {
            var nest = definition.Nests.FirstOrDefault(n => n.Field == name) ?? ApiNests.GetValueOrDefault((table, name));
            if (nest is not null)
            {
                if (value is null) continue;
                if (nest.Many && value is JsonArray array)
                    for (var i = 0; i < array.Count; i++)
                        children.Add((nest, array[i]!, $"{path}.{name}[{i}]"));
                else if (!nest.Many && value is JsonObject) children.Add((nest, value, $"{path}.{name}"));
                else Errors.Add(new($"{path}.{name}", nest.Many ? "must be an array" : "must be an object"));
                continue;
            }
            if (definition.Field(name) is not { } field) { Errors.Add(new($"{path}.{name}", $"'{name}' is not a field of {table} in HSDS 3.0.")); continue; }
            if (Convert(field, value, $"{path}.{name}") is { } converted) flat[name] = converted;
        }
        var row = Store(definition, flat, path);
        if (row is null) return null;
        if (under is not null) links.Add(under with { Table = table, Id = row.Id });
        foreach (var (nest, child, childPath) in children)
        {
            if (child is not JsonObject childObject) { Errors.Add(new(childPath, "must be an object")); continue; }
            if (nest.Many)
                AddNested(nest.Table, childObject, childPath, new HsdsLink(table, row.Id, nest.Field, "", ""));
            else if (AddNested(nest.Table, childObject, childPath) is { } one)
                links.Add(new HsdsLink(table, row.Id, nest.Field, nest.Table, one.Id));
        }
        return row;
    }

    HsdsRow? Store(HsdsTable definition, JsonObject flat, string where)
    {
        foreach (var field in definition.Fields.Where(f => f.Required && flat[f.Name] is null))
            Errors.Add(new(where, $"{definition.Name}.{field.Name} is required."));
        if (flat["id"] is not JsonValue idValue || !idValue.TryGetValue(out string? id) || string.IsNullOrWhiteSpace(id)) return null;
        if (id.Length > 100) { Errors.Add(new(where, "id is longer than 100 characters.")); return null; }
        if (definition.Name == "location") CheckCoordinates(flat, where);
        var row = new HsdsRow(definition.Name, id, flat, where);
        if (rows.TryGetValue((definition.Name, id), out var earlier))
        {
            // The nested form repeats a record wherever it applies; a repeat must be the same record.
            if (!JsonNode.DeepEquals(earlier.Fields, flat))
                Errors.Add(new(where, $"duplicate {definition.Name} id {id} (first at {earlier.Where}) with different contents."));
            return earlier;
        }
        rows[(definition.Name, id)] = row;
        return row;
    }

    void CheckCoordinates(JsonObject flat, string where)
    {
        var lat = flat["latitude"]?.GetValue<double>();
        var lon = flat["longitude"]?.GetValue<double>();
        if (lat is < -90 or > 90) Defects.Add(new(where, $"latitude {lat.Value.ToString(CultureInfo.InvariantCulture)} is out of range (-90 to 90)."));
        if (lon is < -180 or > 180) Defects.Add(new(where, $"longitude {lon.Value.ToString(CultureInfo.InvariantCulture)} is out of range (-180 to 180)."));
        if (lat is null != lon is null) Errors.Add(new(where, "latitude and longitude must be given together."));
    }

    JsonNode? Convert(HsdsField field, JsonNode? value, string where)
    {
        if (value is null) return null;
        if (value is not JsonValue scalar) { Errors.Add(new(where, $"{field.Name} must be a {field.Type}, not {value.GetValueKind().ToString().ToLowerInvariant()}.")); return null; }
        var kind = scalar.GetValueKind();
        if (field.Type is "number" or "integer")
        {
            if (kind == JsonValueKind.Number)
            {
                var number = double.Parse(scalar.ToJsonString(), CultureInfo.InvariantCulture);
                if (field.Type == "integer" && number != Math.Floor(number)) { Errors.Add(new(where, $"{field.Name} must be a whole number.")); return null; }
                return JsonValue.Create(number);
            }
            if (kind == JsonValueKind.String && scalar.GetValue<string>() is var text)
            {
                if (text.Length == 0) return null;
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed)) return JsonValue.Create(parsed);
            }
            Errors.Add(new(where, $"{field.Name} must be a number."));
            return null;
        }
        if (field.Type == "boolean")
        {
            if (kind is JsonValueKind.True or JsonValueKind.False) return JsonValue.Create(kind == JsonValueKind.True);
            Errors.Add(new(where, $"{field.Name} must be true or false."));
            return null;
        }
        // A number where text is due (an identifier written as 1234567, as the standard's own example does) is kept as its text.
        if (kind == JsonValueKind.Number) return JsonValue.Create(scalar.ToJsonString());
        if (kind != JsonValueKind.String) { Errors.Add(new(where, $"{field.Name} must be a string.")); return null; }
        var s = scalar.GetValue<string>();
        if (s.Length == 0) return null;
        if (field.Format == "date-time" && !DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            Errors.Add(new(where, $"{field.Name} '{Short(s)}' is not a date and time."));
            return null;
        }
        return JsonValue.Create(s);
    }

    static string Short(string s) => s.Length <= 40 ? s : s[..40] + "…";

    /// <summary>
    /// Links each row to the parents its foreign keys name and checks every reference. A reference resolves to a row
    /// in this file or, through <paramref name="existing"/> (the tables holding an id), to one already in the directory.
    /// </summary>
    public void ResolveReferences(Func<string, IReadOnlyCollection<string>> existing)
    {
        bool Exists(string table, string id) => rows.ContainsKey((table, id)) || existing(id).Contains(table);
        var parentsOf = schema.Tables.Values
            .SelectMany(p => p.Nests.Where(n => n.Many).Select(n => (Parent: p.Name, Nest: n)))
            .ToLookup(x => x.Nest.Table);

        foreach (var row in rows.Values.ToList())
        {
            var definition = schema.Tables[row.Table];
            foreach (var field in definition.Fields.Where(f => f.Name.EndsWith("_id", StringComparison.Ordinal) || f.Name is "link_id" or "resource_id"))
            {
                if (row.Text(field.Name) is not { } target) continue;
                var candidates = field.Name switch
                {
                    "link_id" or "resource_id" => schema.Tables.Keys.ToList(),
                    "parent_organization_id" => ["organization"],
                    "parent_id" => [row.Table],
                    _ => schema.Tables.ContainsKey(field.Name[..^3]) ? [field.Name[..^3]] : [],
                };
                if (candidates.Count == 0) continue;
                var found = candidates.Where(t => rows.ContainsKey((t, target))).ToList();
                if (found.Count == 0) found = [.. existing(target).Intersect(candidates)];
                if (found.Count == 0)
                {
                    var problem = new HsdsProblem(row.Where, $"{field.Name} {target} names no {(candidates.Count == 1 ? candidates[0] : "record")} in the file or the directory.");
                    // A term that is not in the directory cannot be searched or matched: never accepted.
                    if (field.Name == "taxonomy_term_id") Errors.Add(problem with { Message = $"unknown taxonomy term {target}: import its taxonomy first or include it in the file." });
                    else Defects.Add(problem);
                    continue;
                }
                foreach (var (parent, nest) in parentsOf[row.Table])
                    if (nest.ForeignKey == field.Name && found.Contains(parent))
                        links.Add(new HsdsLink(parent, target, nest.Field, row.Table, row.Id));
            }
            foreach (var nest in definition.Nests.Where(n => !n.Many))
                if (row.Text(nest.ForeignKey) is { } child && Exists(nest.Table, child))
                    links.Add(new HsdsLink(row.Table, row.Id, nest.Field, nest.Table, child));
        }
    }
}
