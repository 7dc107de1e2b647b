using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json.Nodes;
using NJsonSchema;

namespace Haven.Tests.Infrastructure;

/// <summary>The HSDS 3.0 schemas and examples kept with the tests, and a JSON Schema validator over them.</summary>
public static class HsdsStandard
{
    public static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Standards", "hsds-3.0");
    public static readonly string Examples = Path.Combine(Root, "examples");
    public static readonly string CsvExample = Path.Combine(Examples, "csv");

    static readonly ConcurrentDictionary<string, Task<JsonSchema>> schemas = new();

    /// <summary>A compiled schema by name ("service", "service_list", "tabular"), or "taxonomy" and "taxonomy_term".</summary>
    public static Task<JsonSchema> SchemaAsync(string name) => schemas.GetOrAdd(name, async n =>
    {
        var plain = Path.Combine(Root, "schema", n + ".json");
        if (File.Exists(plain)) return await JsonSchema.FromFileAsync(plain);
        await using var gzip = new GZipStream(File.OpenRead(Path.Combine(Root, "compiled", n + ".json.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        // Some compiled schemas still refer to the table schemas by file name; those sit beside the app.
        return await JsonSchema.FromJsonAsync(await reader.ReadToEndAsync(), Path.Combine(Haven.Features.ServiceDirectory.Hsds.HsdsSchema.BuiltInDirectory, n + ".json"));
    });

    /// <summary>The schema's complaints about a document, as "path: kind" lines; empty when it is valid.</summary>
    public static async Task<List<string>> ProblemsAsync(string schema, JsonNode document) =>
        [.. (await SchemaAsync(schema)).Validate(document.ToJsonString()).Select(e => $"{e.Path}: {e.Kind}")];

    public static JsonObject Example(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Examples, name)))!.AsObject();
}
