using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Haven.Features.ServiceDirectory.Hsds;

/// <summary>
/// Reads HSDS files into a <see cref="HsdsDataset"/> and writes the tabular data package. Accepted: a folder of CSV
/// files (with or without datapackage.json), a datapackage.json, the tabular JSON form ("services.csv": [...]),
/// a full service, organization or service_at_location, and a list page of any of them, taxonomies or terms.
/// </summary>
public static class HsdsFiles
{
    public const string PackageFile = "datapackage.json";

    public static HsdsDataset Read(string path, HsdsSchema schema)
    {
        var dataset = new HsdsDataset(schema);
        if (System.IO.Directory.Exists(path)) ReadPackage(path, dataset);
        else if (!File.Exists(path)) dataset.Errors.Add(new(Path.GetFileName(path), "no such file or folder."));
        else if (Path.GetFileName(path).Equals(PackageFile, StringComparison.OrdinalIgnoreCase)) ReadPackage(Path.GetDirectoryName(Path.GetFullPath(path))!, dataset);
        else if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            if (schema.ByFile.TryGetValue(Path.GetFileName(path), out var table)) ReadCsv(path, table, dataset);
            else dataset.Errors.Add(new(Path.GetFileName(path), $"not an HSDS table file; expected one of {string.Join(", ", schema.ByFile.Keys.Order())}."));
        }
        else
        {
            try
            {
                using var stream = File.OpenRead(path);
                ReadJson(stream, Path.GetFileName(path), dataset);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { dataset.Errors.Add(new(Path.GetFileName(path), Unreadable(e))); }
        }
        return dataset;
    }

    /// <summary>Why a file could not be read, without the path of the machine it sits on.</summary>
    static string Unreadable(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "cannot be read: it is a link to a file that does not exist.",
        UnauthorizedAccessException => "cannot be read: permission denied.",
        _ => "cannot be read (" + e.GetType().Name + ").",
    };

    static void ReadPackage(string folder, HsdsDataset dataset)
    {
        var schema = dataset.Schema;
        var files = new List<(string File, HsdsTable Table)>();
        var packagePath = Path.Combine(folder, PackageFile);
        string? package;
        try { package = File.Exists(packagePath) ? File.ReadAllText(packagePath).Trim() : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            dataset.Errors.Add(new(PackageFile, Unreadable(e)));
            return;
        }
        // The specification's example folder holds a link to its package descriptor, not the descriptor itself;
        // a link (or no descriptor) means the standard's file names.
        if (package is not null && package.StartsWith('{'))
        {
            try
            {
                var resources = JsonNode.Parse(package)?["resources"] as JsonArray
                    ?? throw new JsonException("it has no \"resources\" array.");
                for (var i = 0; i < resources.Count; i++)
                {
                    var file = (string?)resources[i]?["path"];
                    if (file is null || !schema.ByFile.TryGetValue(Path.GetFileName(file), out var table))
                    {
                        dataset.Errors.Add(new($"{PackageFile} $.resources[{i}]", $"'{file}' is not an HSDS table file."));
                        continue;
                    }
                    files.Add((Path.Combine(folder, file), table));
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                dataset.Errors.Add(new(PackageFile, "malformed: " + e.Message));
                return;
            }
        }
        else
        {
            foreach (var file in System.IO.Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal))
            {
                if (schema.ByFile.TryGetValue(Path.GetFileName(file), out var table)) files.Add((file, table));
                else dataset.Errors.Add(new(Path.GetFileName(file), "not an HSDS table file."));
            }
        }
        if (files.Count == 0 && dataset.Errors.Count == 0) dataset.Errors.Add(new(Path.GetFileName(folder), "no HSDS CSV files in this folder."));
        foreach (var (file, table) in files.OrderBy(f => f.Table.Order))
        {
            if (File.Exists(file)) ReadCsv(file, table, dataset);
            else dataset.Errors.Add(new(Path.GetFileName(file), "listed in the package but missing."));
        }
    }

    static void ReadCsv(string path, HsdsTable table, HsdsDataset dataset)
    {
        var name = Path.GetFileName(path);
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            List<string>? header = null;
            foreach (var (line, cells) in Csv.Read(reader))
            {
                if (header is null)
                {
                    header = cells;
                    foreach (var column in header.Where(c => table.Field(c) is null))
                        dataset.Errors.Add(new($"{name} header", $"'{column}' is not a field of {table.Name} in HSDS 3.0."));
                    if (header.Distinct().Count() != header.Count) dataset.Errors.Add(new($"{name} header", "a column appears twice."));
                    if (!header.Contains("id")) { dataset.Errors.Add(new($"{name} header", "there is no id column.")); return; }
                    continue;
                }
                if (cells.Count != header.Count)
                {
                    dataset.Errors.Add(new($"{name} line {line}", $"{cells.Count} cells where the header has {header.Count}."));
                    continue;
                }
                var fields = new JsonObject();
                for (var i = 0; i < cells.Count; i++)
                    if (cells[i].Length > 0 && table.Field(header[i]) is not null) fields[header[i]] = cells[i];
                dataset.AddRow(table.Name, fields, $"{name} line {line}");
            }
        }
        catch (CsvException e) { dataset.Errors.Add(new(name, e.Message)); }
        catch (DecoderFallbackException) { dataset.Errors.Add(new(name, "not UTF-8 text.")); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { dataset.Errors.Add(new(name, Unreadable(e))); }
    }

    public static void ReadJson(Stream stream, string name, HsdsDataset dataset)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(stream); }
        catch (JsonException e)
        {
            dataset.Errors.Add(new($"{name} line {(e.LineNumber ?? 0) + 1}", $"malformed JSON at {e.Path ?? "$"}."));
            return;
        }
        if (root is not JsonObject obj) { dataset.Errors.Add(new(name, "expected a JSON object.")); return; }

        var schema = dataset.Schema;
        if (obj.Count > 0 && obj.All(p => p.Key.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var (file, rows) in obj)
            {
                if (!schema.ByFile.TryGetValue(file, out var table)) { dataset.Errors.Add(new($"{name} $['{file}']", "not an HSDS table file.")); continue; }
                if (rows is not JsonArray array) { dataset.Errors.Add(new($"{name} $['{file}']", "must be an array of rows.")); continue; }
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject row) dataset.AddRow(table.Name, row, $"{name} $['{file}'][{i}]");
                    else dataset.Errors.Add(new($"{name} $['{file}'][{i}]", "must be an object."));
                }
            }
            return;
        }
        if (obj["contents"] is JsonArray contents)
        {
            for (var i = 0; i < contents.Count; i++)
            {
                var where = $"{name} $.contents[{i}]";
                if (contents[i] is not JsonObject item) { dataset.Errors.Add(new(where, "must be an object.")); continue; }
                if (TableOf(name, item) is { } table) dataset.AddNested(table, item, where);
                else dataset.Errors.Add(new(where, UnknownShape));
            }
            return;
        }
        if (TableOf(name, obj) is { } single) dataset.AddNested(single, obj, name + " $");
        else dataset.Errors.Add(new(name, UnknownShape));
    }

    const string UnknownShape = "cannot tell which HSDS record this is; name the file after it (service…, organization…, service_at_location…, taxonomy…, taxonomy_term…) or use the tabular form.";

    /// <summary>Which table a nested record belongs to: by the file's name as the specification names its examples, else by its fields.</summary>
    static string? TableOf(string fileName, JsonObject item)
    {
        var lower = fileName.ToLowerInvariant();
        foreach (var table in new[] { "service_at_location", "service", "organization", "taxonomy_term", "taxonomy", "location" })
            if (lower.StartsWith(table, StringComparison.Ordinal)) return table;
        if (item.ContainsKey("location_id") && item.ContainsKey("service_id")) return "service_at_location";
        if (item.ContainsKey("status")) return "service";
        if (item.ContainsKey("code") || item.ContainsKey("taxonomy_id") || item.ContainsKey("term_uri")) return "taxonomy_term";
        if (item.ContainsKey("location_type")) return "location";
        if (item.ContainsKey("services") || item.ContainsKey("organization_identifiers") || item.ContainsKey("year_incorporated")) return "organization";
        return null;
    }

    /// <summary>Writes one table as CSV: the standard's columns in its order, then nothing else.</summary>
    public static void WriteCsv(TextWriter writer, HsdsTable table, IEnumerable<JsonObject> rows, bool header = true)
    {
        if (header) Csv.WriteRow(writer, table.Fields.Select(f => f.Name));
        foreach (var row in rows)
            Csv.WriteRow(writer, table.Fields.Select(f => Cell(row[f.Name])));
    }

    static string? Cell(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>().ToString("R", CultureInfo.InvariantCulture),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
        _ => value.GetValue<string>(),
    };

    /// <summary>The package descriptor for the files written, with each table's fields and types.</summary>
    public static JsonObject Package(IEnumerable<HsdsTable> tables) => new()
    {
        ["name"] = "haven-directory",
        ["profile"] = "tabular-data-package",
        ["resources"] = new JsonArray(tables.Select(t => (JsonNode)new JsonObject
        {
            ["name"] = t.Name,
            ["path"] = t.File,
            ["profile"] = "tabular-data-resource",
            ["format"] = "csv",
            ["mediatype"] = "text/csv",
            ["encoding"] = "utf-8",
            ["schema"] = new JsonObject
            {
                ["fields"] = new JsonArray(t.Fields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["type"] = f.Type }).ToArray()),
                ["primaryKey"] = "id",
            },
        }).ToArray()),
    };
}
