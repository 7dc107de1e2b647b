using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.ServiceDirectory.Hsds;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.ServiceDirectory;

public enum ExportFormat { Csv, Json }

/// <summary>
/// Writes the whole directory as HSDS: the tabular data package (CSV files and datapackage.json) or the tabular JSON
/// form. An export is a publication: a confidential location is written redacted, and what is sealed under it is not written.
/// </summary>
public sealed class DirectoryExport(HavenDb db, AuditLog audit)
{
    const int Batch = 2000;

    public async Task<IReadOnlyDictionary<string, int>> ExportAsync(string path, ExportFormat format, string actor,
        IProgress<(string Table, int Done)>? progress = null, CancellationToken ct = default)
    {
        var schema = HsdsSchema.BuiltIn;
        var counts = new Dictionary<string, int>();
        var tables = schema.InOrder.ToList();
        if (format == ExportFormat.Csv)
        {
            System.IO.Directory.CreateDirectory(path);
            foreach (var table in tables)
            {
                await using var writer = new StreamWriter(Path.Combine(path, table.File), false, new UTF8Encoding(false));
                HsdsFiles.WriteCsv(writer, table, []);
                await foreach (var row in RowsAsync(table.Name, ct))
                {
                    HsdsFiles.WriteCsv(writer, table, [row], header: false);
                    counts[table.Name] = counts.GetValueOrDefault(table.Name) + 1;
                    if (counts[table.Name] % Batch == 0) progress?.Report((table.Name, counts[table.Name]));
                }
            }
            await File.WriteAllTextAsync(Path.Combine(path, HsdsFiles.PackageFile), HsdsFiles.Package(tables).ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct);
        }
        else
        {
            await using var stream = File.Create(path);
            await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
            json.WriteStartObject();
            foreach (var table in tables)
            {
                json.WritePropertyName(table.File);
                json.WriteStartArray();
                await foreach (var row in RowsAsync(table.Name, ct))
                {
                    row.WriteTo(json);
                    counts[table.Name] = counts.GetValueOrDefault(table.Name) + 1;
                    if (counts[table.Name] % Batch == 0) { progress?.Report((table.Name, counts[table.Name])); await json.FlushAsync(ct); }
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        await audit.RecordAsync(new AuditEntry(AuditEventType.DirectoryExported, actor, null, null, "directory"), ct);
        return counts;
    }

    /// <summary>Every record of a table in id order, as the public may see it.</summary>
    async IAsyncEnumerable<JsonObject> RowsAsync(string table, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var after = "";
        while (true)
        {
            var chunk = await db.DirectoryRecords.AsNoTracking()
                .Where(r => r.Table == table && string.Compare(r.Id, after) > 0)
                .OrderBy(r => r.Id).Take(Batch).ToListAsync(ct);
            foreach (var r in chunk)
            {
                if (!r.Confidential) yield return JsonNode.Parse(r.Json)!.AsObject();
                else if (r.Table == "location") yield return HsdsGraph.RedactedLocation(r.Id, r.Area);
            }
            if (chunk.Count < Batch) yield break;
            after = chunk[^1].Id;
        }
    }
}
