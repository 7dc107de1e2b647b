using System.Text;

namespace Haven.Features.ServiceDirectory.Hsds;

public sealed class CsvException(string message) : Exception(message);

/// <summary>RFC 4180 comma-separated values: quoted fields may hold commas, quotes ("") and line breaks.</summary>
public static class Csv
{
    /// <summary>Records with the line each starts on (1-based, the header is line 1).</summary>
    public static IEnumerable<(int Line, List<string> Cells)> Read(TextReader reader)
    {
        var line = 1;
        while (true)
        {
            var start = line;
            var cells = new List<string>();
            var cell = new StringBuilder();
            var quoted = false;
            var any = false;
            int c;
            while (true)
            {
                c = reader.Read();
                if (c == -1)
                {
                    if (quoted) throw new CsvException($"line {start}: a quoted field is not closed.");
                    break;
                }
                any = true;
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (reader.Peek() == '"') { reader.Read(); cell.Append('"'); }
                        else quoted = false;
                    }
                    else
                    {
                        if (c == '\n') line++;
                        cell.Append((char)c);
                    }
                    continue;
                }
                if (c == '"')
                {
                    if (cell.Length > 0) throw new CsvException($"line {start}: a quote inside an unquoted field; quote the whole field and double the quote.");
                    quoted = true;
                }
                else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
                else if (c == '\r') { }
                else if (c == '\n') { line++; break; }
                else cell.Append((char)c);
            }
            if (!any) yield break;
            cells.Add(cell.ToString());
            // A blank line (often the last one) is not a record.
            if (cells.Count > 1 || cells[0].Length > 0) yield return (start, cells);
            if (c == -1) yield break;
        }
    }

    public static void WriteRow(TextWriter writer, IEnumerable<string?> cells)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first) writer.Write(',');
            first = false;
            if (string.IsNullOrEmpty(cell)) continue;
            if (cell.AsSpan().IndexOfAny(",\"\r\n") >= 0) writer.Write('"' + cell.Replace("\"", "\"\"") + '"');
            else writer.Write(cell);
        }
        writer.Write("\r\n");
    }
}
