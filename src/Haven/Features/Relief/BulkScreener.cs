using System.Globalization;
using System.Text;

namespace Haven.Features.Relief;

/// <summary>What a bulk run did: rows read and refused, people, and findings by relief, outcome and deciding reason.</summary>
public sealed record ScreenSummary(
    long Rows,
    long Rejected,
    long NotScreened,
    long People,
    long Findings,
    IReadOnlyDictionary<ReliefOutcome, long> ByOutcome,
    IReadOnlyDictionary<(string Relief, ReliefOutcome Outcome, string Reason), long> ByReason);

/// <summary>The file was not grouped by person: the results would be wrong, so none are kept.</summary>
public sealed class NotGroupedException(long firstLine, long laterLine) : Exception(
    $"The file is not grouped by person_ref: the person whose rows start on line {laterLine} also has rows from line {firstLine}. " +
    "Sort it by person_ref (keeping the header on top) and run again; no results were kept.")
{
    public long FirstLine { get; } = firstLine;
    public long LaterLine { get; } = laterLine;
}

/// <summary>
/// Screens a record CSV of many people for relief, streaming: one person's rows at a time, so memory stays flat
/// however long the file. The same engine as the client pages. A bad row is reported and the run goes on.
/// </summary>
public static class BulkScreener
{
    public static ScreenSummary Screen(TextReader input, TextWriter output, Action<string> rejected, ReliefEngine engine,
        IReadOnlySet<string> jurisdictions, DateOnly asOf, Action<long>? progress = null, CancellationToken ct = default)
    {
        long rows = 0, bad = 0, notScreened = 0, people = 0, written = 0;
        var byOutcome = new Dictionary<ReliefOutcome, long>();
        var byReason = new Dictionary<(string, ReliefOutcome, string), long>();
        var person = new List<ChargeRecord>();
        var screened = new List<ChargeRecord>();
        var findings = new List<ReliefFinding>();
        using var groups = new GroupCheck();
        var sorted = true; // a file sorted by person_ref is grouped: no need to look for repeats
        output.WriteLine(string.Join(',', RecordCsv.ResultColumns));

        void Flush()
        {
            if (person.Count == 0) return;
            people++;
            screened.Clear();
            foreach (var r in person)
                if (jurisdictions.Contains(r.Jurisdiction)) screened.Add(r);
                else notScreened++;
            if (screened.Count > 0)
            {
                findings.Clear();
                // Rows of other jurisdictions stay out of the findings; the rules count only their own.
                engine.Evaluate(screened, asOf, null, findings);
                foreach (var f in findings)
                {
                    RecordCsv.WriteResult(output, f);
                    written++;
                    byOutcome[f.Outcome] = byOutcome.GetValueOrDefault(f.Outcome) + 1;
                    var key = (f.Relief, f.Outcome, f.Because);
                    byReason[key] = byReason.GetValueOrDefault(key) + 1;
                }
            }
            person.Clear();
        }

        foreach (var row in RecordCsv.Read(input, asOf, engine.KnowsSection))
        {
            rows++;
            if ((rows & 0xFFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Invoke(rows);
            }
            if (row.Record is not { } record)
            {
                bad++;
                rejected(row.Error!);
                continue;
            }
            if (person.Count == 0 || record.PersonRef != person[0].PersonRef)
            {
                if (person.Count > 0 && string.CompareOrdinal(record.PersonRef, person[0].PersonRef) < 0) sorted = false;
                Flush();
                groups.Started(record.PersonRef, row.Line);
            }
            person.Add(record);
        }
        Flush();
        if (!sorted && groups.Repeated() is { } repeat) throw new NotGroupedException(repeat.First, repeat.Later);
        progress?.Invoke(rows);
        return new ScreenSummary(rows, bad, notScreened, people, written, byOutcome, byReason);
    }

    /// <summary>The summary in plain words, for the end of a run.</summary>
    public static string Describe(ScreenSummary s)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{s.Rows:N0} rows read, {s.Rejected:N0} rejected, {s.NotScreened:N0} of other jurisdictions not screened; {s.People:N0} people; {s.Findings:N0} findings.");
        foreach (var (outcome, count) in s.ByOutcome.OrderBy(o => o.Key))
            text.AppendLine(CultureInfo.InvariantCulture, $"  {ReliefNames.Of(outcome),-15} {count,12:N0}");
        text.AppendLine("By relief, outcome and reason:");
        foreach (var ((relief, outcome, reason), count) in s.ByReason.OrderBy(r => r.Key.Relief, StringComparer.Ordinal).ThenByDescending(r => r.Value))
            text.AppendLine(CultureInfo.InvariantCulture, $"  {count,12:N0}  {relief} {ReliefNames.Of(outcome)}: {reason.Replace("{date}", "(a date)").Replace("{section}", "(the section)")}");
        return text.ToString();
    }

    /// <summary>
    /// Finds a person whose rows come in two places, with memory that stays flat: the start of each group is kept
    /// as a 64-bit hash (FNV-1a) and its line, sorted runs spill to a temporary file, and one merge at the end finds
    /// a hash seen twice. Two people sharing a hash is about one chance in a million in ten million people.
    /// </summary>
    sealed class GroupCheck : IDisposable
    {
        const int RunLength = 1 << 20;
        readonly List<(ulong Hash, long Line)> buffer = new(RunLength);
        readonly List<long> runs = [];
        FileStream? spill;

        public void Started(string personRef, long line)
        {
            buffer.Add((Fnv1a(personRef), line));
            if (buffer.Count < RunLength) return;
            buffer.Sort();
            spill ??= new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            runs.Add(spill.Position);
            using (var writer = new BinaryWriter(spill, Encoding.UTF8, leaveOpen: true))
                foreach (var (hash, at) in buffer) { writer.Write(hash); writer.Write(at); }
            buffer.Clear();
        }

        static ulong Fnv1a(string text)
        {
            var hash = 14695981039346656037UL;
            foreach (var ch in text) hash = (hash ^ ch) * 1099511628211UL;
            return hash;
        }

        public (long First, long Later)? Repeated()
        {
            buffer.Sort();
            var sources = new List<IEnumerator<(ulong, long)>> { buffer.GetEnumerator() };
            if (spill is not null)
            {
                spill.Flush();
                for (var i = 0; i < runs.Count; i++) sources.Add(Run(runs[i], i + 1 < runs.Count ? runs[i + 1] : spill.Length));
            }
            var queue = new PriorityQueue<int, (ulong, long)>();
            for (var i = 0; i < sources.Count; i++) if (sources[i].MoveNext()) queue.Enqueue(i, sources[i].Current);
            (ulong Hash, long Line)? previous = null;
            while (queue.TryDequeue(out var source, out var item))
            {
                if (previous is { } p && p.Hash == item.Item1) return (Math.Min(p.Line, item.Item2), Math.Max(p.Line, item.Item2));
                previous = item;
                if (sources[source].MoveNext()) queue.Enqueue(source, sources[source].Current);
            }
            return null;
        }

        IEnumerator<(ulong, long)> Run(long from, long to)
        {
            var position = from;
            var bytes = new byte[16];
            while (position < to)
            {
                spill!.Position = position;
                spill.ReadExactly(bytes);
                position += 16;
                yield return (BitConverter.ToUInt64(bytes, 0), BitConverter.ToInt64(bytes, 8));
            }
        }

        public void Dispose() => spill?.Dispose();
    }
}
