using System.Text;

namespace Haven.Features.Relief;

/// <summary>A problem with the whole file (its encoding, delimiter or columns): nothing in it can be read.</summary>
public sealed class RecordCsvException(string message) : Exception(message);

/// <summary>One line of the file: a charge, or the reason it could not be read.</summary>
public readonly record struct RecordRow(long Line, ChargeRecord? Record, string? Error);

/// <summary>
/// The record CSV (docs/record-csv.md), one row per charge, read as a stream: the bulk screener and the client
/// record import share it. A row that cannot be read is reported with its line number and the rest go on.
/// </summary>
public static class RecordCsv
{
    public static readonly string[] Columns =
    [
        "record_id", "person_ref", "jurisdiction", "court", "docket", "arrest_date", "offense_section", "offense_level",
        "disposition", "disposition_date", "sentence_date", "release_date", "supervision_end_date", "trafficking_nexus",
        "victim_from", "victim_until",
    ];

    public static readonly string[] ResultColumns = ["record_id", "relief", "outcome", "reasons", "provisions"];

    /// <summary>Strict UTF-8: a file in another encoding stops at its first bad byte instead of turning into question marks.</summary>
    public static StreamReader OpenText(Stream stream) =>
        new(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);

    /// <summary>
    /// Reads charges. <paramref name="knownSection"/> says whether an offense section exists in the rules; dates after
    /// <paramref name="asOf"/> are refused, since the record cannot hold what has not happened.
    /// </summary>
    public static IEnumerable<RecordRow> Read(TextReader reader, DateOnly asOf, Func<string, string, bool> knownSection)
    {
        var header = ReadHeader(reader);
        var index = Columns.Select(c => Array.IndexOf(header, c)).ToArray();
        var fields = new Field[header.Length];
        var parser = new RowParser(index, asOf, knownSection);
        long line = 1;
        while (true)
        {
            string? text;
            try { text = reader.ReadLine(); }
            catch (DecoderFallbackException) { throw NotUtf8(line + 1); }
            if (text is null) yield break;
            line++;
            if (text.Length == 0) continue;
            var first = line;
            string? error = null;
            var count = 0;
            while (true)
            {
                count = Split(text, fields, out var open);
                if (!open) break;
                // A quoted field may hold a line break: read on until the quote closes.
                string? more;
                try { more = reader.ReadLine(); }
                catch (DecoderFallbackException) { throw NotUtf8(line + 1); }
                if (more is null) { error = "a quoted field is never closed"; break; }
                line++;
                text += "\n" + more;
            }
            if (error is null && count != header.Length)
                error = $"{count} fields where the header has {header.Length}";
            ChargeRecord? record = null;
            if (error is null)
            {
                try { record = parser.Parse(text, fields); }
                catch (FormatException e) { error = e.Message; }
            }
            yield return new RecordRow(first, record, error is null ? null : $"line {first}: {error}");
        }
    }

    // Text is decoded ahead in blocks, so the bad byte is at this line or in the lines just after it.
    static RecordCsvException NotUtf8(long line) =>
        new($"The file is not UTF-8 text (a byte at line {line} or soon after is not UTF-8). Save it as UTF-8 and try again.");

    /// <summary>One charge from a form or an API body, read exactly as a CSV row would be: the same checks, the same messages.</summary>
    public static (ChargeRecord? Record, string? Error) ReadOne(IReadOnlyDictionary<string, string?> values, DateOnly asOf, Func<string, string, bool> knownSection)
    {
        var line = string.Join(',', Columns.Select(c => "\"" + (values.GetValueOrDefault(c) ?? "").Replace("\"", "\"\"") + "\""));
        var fields = new Field[Columns.Length];
        Split(line, fields, out _);
        try { return (new RowParser([.. Enumerable.Range(0, Columns.Length)], asOf, knownSection).Parse(line, fields), null); }
        catch (FormatException e) { return (null, e.Message); }
    }

    static string[] ReadHeader(TextReader reader)
    {
        string? text;
        try { text = reader.ReadLine(); }
        catch (DecoderFallbackException) { throw NotUtf8(1); }
        if (text is null) throw new RecordCsvException("The file is empty: it needs a header row and one row per charge.");
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        if (text.Contains('\0')) throw new RecordCsvException("The file looks like UTF-16 text. Save it as UTF-8 and try again.");
        var header = text.Split(',').Select(h => h.Trim().Trim('"').ToLowerInvariant()).ToArray();
        if (header.Length == 1)
            foreach (var other in new[] { ';', '\t', '|' })
                if (text.Contains(other))
                    throw new RecordCsvException($"The columns are separated by {(other == '\t' ? "tabs" : $"'{other}'")}; the record CSV uses commas.");
        var missing = Columns.Where(c => !header.Contains(c)).ToList();
        var extra = header.Where(h => !Columns.Contains(h)).ToList();
        var twice = header.GroupBy(h => h).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var problems = new List<string>();
        if (missing.Count > 0) problems.Add("missing column(s): " + string.Join(", ", missing));
        if (extra.Count > 0) problems.Add("unknown column(s): " + string.Join(", ", extra.Select(e => e.Length == 0 ? "(blank)" : e)));
        if (twice.Count > 0) problems.Add("column(s) given twice: " + string.Join(", ", twice));
        if (problems.Count > 0) throw new RecordCsvException("The header does not match the record CSV format (docs/record-csv.md): " + string.Join("; ", problems) + ".");
        return header;
    }

    /// <summary>Where a field sits in its line, or its text when quoting made it differ from the line.</summary>
    struct Field
    {
        public int Start, Length;
        public string? Unquoted;
    }

    /// <summary>Splits one line into fields (RFC 4180 quoting). Returns the field count; open is true if a quote is still open.</summary>
    static int Split(string line, Field[] fields, out bool open)
    {
        var count = 0;
        var i = 0;
        open = false;
        while (true)
        {
            var field = new Field { Start = i };
            if (i < line.Length && line[i] == '"')
            {
                var text = new StringBuilder();
                i++;
                while (true)
                {
                    var quote = line.IndexOf('"', i);
                    if (quote < 0) { open = true; return count; }
                    text.Append(line, i, quote - i);
                    if (quote + 1 < line.Length && line[quote + 1] == '"') { text.Append('"'); i = quote + 2; continue; }
                    i = quote + 1;
                    break;
                }
                // Text after a closing quote is kept as it stands, as spreadsheets do.
                var end = line.IndexOf(',', i) is var c and >= 0 ? c : line.Length;
                text.Append(line, i, end - i);
                i = end;
                field.Unquoted = text.ToString();
            }
            else
            {
                var comma = line.IndexOf(',', i);
                i = comma < 0 ? line.Length : comma;
                field.Length = i - field.Start;
            }
            if (count < fields.Length) fields[count] = field;
            count++;
            if (i >= line.Length) return count;
            i++; // the comma
            if (i == line.Length)
            {
                if (count < fields.Length) fields[count] = new Field { Start = i };
                return count + 1;
            }
        }
    }

    static readonly Dictionary<string, OffenseLevel>.AlternateLookup<ReadOnlySpan<char>> levels = ((Dictionary<string, OffenseLevel>)ReliefNames.Levels).GetAlternateLookup<ReadOnlySpan<char>>();
    static readonly Dictionary<string, Disposition>.AlternateLookup<ReadOnlySpan<char>> dispositions = ((Dictionary<string, Disposition>)ReliefNames.Dispositions).GetAlternateLookup<ReadOnlySpan<char>>();
    static readonly Dictionary<string, TraffickingNexus>.AlternateLookup<ReadOnlySpan<char>> nexuses = ((Dictionary<string, TraffickingNexus>)ReliefNames.Nexuses).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Reads one row's fields. Sections and jurisdictions repeat across millions of rows, so each distinct one is
    /// normalized and checked once.
    /// </summary>
    sealed class RowParser(int[] at, DateOnly asOf, Func<string, string, bool> knownSection)
    {
        readonly Dictionary<string, (string Section, bool Known)> sections = new(StringComparer.Ordinal);
        readonly Dictionary<string, string> jurisdictions = new(StringComparer.OrdinalIgnoreCase);
        string line = "";
        Field[] fields = [];

        public ChargeRecord Parse(string text, Field[] f)
        {
            line = text;
            fields = f;
            var recordId = Required(0).ToString();
            if (recordId.Length > 100) throw new FormatException("record_id is longer than 100 characters");
            var personRef = Required(1).ToString();
            if (personRef.Length > 100) throw new FormatException("person_ref is longer than 100 characters");
            var jurisdictionText = Required(2);
            var lookup = jurisdictions.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(jurisdictionText, out var jurisdiction))
            {
                if (jurisdictions.Count > 100) throw new FormatException($"jurisdiction '{Clip(jurisdictionText.ToString())}' is not one the rules know");
                jurisdictions[jurisdictionText.ToString()] = jurisdiction = jurisdictionText.ToString().ToUpperInvariant();
            }
            var sectionText = Required(6).ToString();
            var key = jurisdiction + "|" + sectionText;
            if (!sections.TryGetValue(key, out var section))
            {
                var normalized = NormalizeSection(sectionText);
                section = (normalized, knownSection(jurisdiction, normalized));
                if (sections.Count < 100_000) sections[key] = section;
            }
            if (!section.Known) throw new FormatException($"offense_section '{Clip(section.Section)}' is not a section the {Clip(jurisdiction)} rules know");
            var record = new ChargeRecord(recordId, personRef, jurisdiction, Optional(3)?.ToString(), Optional(4)?.ToString(), Date(5), section.Section,
                Named(7, levels), Named(8, dispositions), Date(9), Date(10), Date(11), Date(12), Named(13, nexuses), Date(14), Date(15));
            if (record.ArrestDate is { } arrest)
            {
                if (record.DispositionDate < arrest) throw new FormatException($"disposition_date {record.DispositionDate:yyyy-MM-dd} is before arrest_date {arrest:yyyy-MM-dd}");
                if (record.SentenceDate < arrest) throw new FormatException($"sentence_date {record.SentenceDate:yyyy-MM-dd} is before arrest_date {arrest:yyyy-MM-dd}");
            }
            if (record.ReleaseDate < record.SentenceDate) throw new FormatException($"release_date {record.ReleaseDate:yyyy-MM-dd} is before sentence_date {record.SentenceDate:yyyy-MM-dd}");
            if (record.VictimUntil < record.VictimFrom) throw new FormatException($"victim_until {record.VictimUntil:yyyy-MM-dd} is before victim_from {record.VictimFrom:yyyy-MM-dd}");
            if (record.Disposition != Disposition.Convicted && (record.SentenceDate ?? record.ReleaseDate) is not null)
                throw new FormatException($"a sentence or release date on a charge that is {ReliefNames.Of(record.Disposition)}, not convicted");
            return record;
        }

        ReadOnlySpan<char> Text(int column)
        {
            var f = fields[at[column]];
            return (f.Unquoted is { } u ? u.AsSpan() : line.AsSpan(f.Start, f.Length)).Trim();
        }

        ReadOnlySpan<char> Required(int column) => Text(column) is { Length: > 0 } v ? v : throw new FormatException($"{Columns[column]} is empty");

        string? Optional(int column) => Text(column) is { Length: > 0 } v ? v.ToString() : null;

        DateOnly? Date(int column)
        {
            var v = Text(column);
            if (v.Length == 0) return null;
            if (!TryDate(v, out var d)) throw new FormatException($"{Columns[column]} '{Clip(v.ToString())}' is not a date (use YYYY-MM-DD)");
            if (d > asOf) throw new FormatException($"{Columns[column]} {d:yyyy-MM-dd} is after the as-of date {asOf:yyyy-MM-dd}");
            return d;
        }

        T Named<T>(int column, Dictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> names) =>
            names.TryGetValue(Required(column), out var v) ? v
                : throw new FormatException($"{Columns[column]} '{Clip(Text(column).ToString())}' is not one of {string.Join(", ", names.Dictionary.Keys)}");
    }

    /// <summary>YYYY-MM-DD, digits only, a real calendar date.</summary>
    static bool TryDate(ReadOnlySpan<char> v, out DateOnly date)
    {
        date = default;
        if (v.Length != 10 || v[4] != '-' || v[7] != '-') return false;
        int Digits(ReadOnlySpan<char> s)
        {
            var n = 0;
            foreach (var ch in s)
            {
                if (ch is < '0' or > '9') return -1;
                n = n * 10 + (ch - '0');
            }
            return n;
        }
        int year = Digits(v[..4]), month = Digits(v[5..7]), day = Digits(v[8..]);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>"pl  230.00" and "PL230.00" are both "PL 230.00"; "18 usc 1591" is "18 USC 1591".</summary>
    public static string NormalizeSection(string text)
    {
        var s = string.Join(' ', text.ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var digit = 0;
        while (digit < s.Length && char.IsLetter(s[digit])) digit++;
        return digit > 0 && digit < s.Length && s[digit] != ' ' ? s[..digit] + " " + s[digit..] : s;
    }

    static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>Writes one result row per finding: reasons and provisions joined with "; ".</summary>
    public static void WriteResult(TextWriter writer, ReliefFinding finding)
    {
        Write(writer, finding.RecordId);
        writer.Write(',');
        writer.Write(finding.Relief);
        writer.Write(',');
        writer.Write(ReliefNames.Of(finding.Outcome));
        writer.Write(',');
        Write(writer, string.Join("; ", finding.Reasons));
        writer.Write(',');
        Write(writer, string.Join("; ", finding.Provisions));
        writer.Write('\n');
    }

    static void Write(TextWriter writer, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\n\r") < 0) { writer.Write(value); return; }
        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\""));
        writer.Write('"');
    }
}
