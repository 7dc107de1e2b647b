using System.Diagnostics;
using System.Globalization;
using System.Text;
using Haven.Features.Relief;

namespace Haven.Bench;

/// <summary>
/// The bulk record screener (issue 6): a synthetic New York record CSV, screened by `haven relief screen` in its own
/// process (rows per second, peak memory as it reports), against the ceiling of merely reading and parsing the file.
/// </summary>
public static class ReliefBench
{
    static readonly (string Section, string Level)[] Offenses =
    [
        ("PL 230.00", "misdemeanor"), ("PL 240.37", "violation"), ("PL 240.37", "misdemeanor"), ("PL 155.25", "misdemeanor"),
        ("PL 165.40", "misdemeanor"), ("PL 220.03", "misdemeanor"), ("PL 221.05", "violation"), ("PL 140.10", "misdemeanor"),
        ("PL 120.00", "misdemeanor"), ("PL 170.20", "misdemeanor"), ("PL 155.30", "felony-E"), ("PL 220.39", "felony-B"),
        ("PL 140.25", "felony-C"), ("PL 190.78", "misdemeanor"), ("VTL 511", "misdemeanor"), ("PL 230.34", "felony-B"),
        ("PL 215.50", "misdemeanor"), ("PL 205.30", "misdemeanor"), ("PL 120.05", "felony-D"), ("PL 220.18", "felony-A"),
    ];

    static readonly string[] Dispositions = ["convicted", "convicted", "convicted", "dismissed", "acd", "acquitted", "pending"];

    public static void Generate(string path, long rows, int seed = 6)
    {
        var random = new Random(seed);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write(string.Join(',', RecordCsv.Columns));
        writer.Write('\n');
        var day0 = new DateOnly(1998, 1, 1).DayNumber;
        long written = 0;
        for (var person = 1; written < rows; person++)
        {
            var charges = (int)Math.Min(rows - written, 1 + random.Next(6));
            var trafficked = random.Next(5) == 0;
            var victimFrom = DateOnly.FromDayNumber(day0 + random.Next(8000));
            var victimUntil = victimFrom.AddDays(200 + random.Next(2500));
            for (var c = 0; c < charges; c++)
            {
                var (section, level) = Offenses[random.Next(Offenses.Length)];
                var disposition = Dispositions[random.Next(Dispositions.Length)];
                var arrest = DateOnly.FromDayNumber(day0 + random.Next(10_000));
                var decided = arrest.AddDays(random.Next(400));
                var convicted = disposition == "convicted";
                var release = convicted && level.StartsWith("felony", StringComparison.Ordinal) && random.Next(2) == 0 ? decided.AddDays(200 + random.Next(2000)) : (DateOnly?)null;
                var supervision = convicted && random.Next(4) == 0 ? (release ?? decided).AddDays(365 * (1 + random.Next(5))) : (DateOnly?)null;
                var nexus = trafficked ? (random.Next(2) == 0 ? "documented" : "claimed") : "none";
                writer.Write(string.Create(CultureInfo.InvariantCulture,
                    $"R{written + 1:D9},P{person:D8},NY,Kings Criminal Court,CR-{random.Next(1_000_000):D6},{arrest:yyyy-MM-dd},{section},{level},{disposition},{(disposition == "pending" ? "" : decided.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))},{(convicted ? decided.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "")},{Cap(release):yyyy-MM-dd},{Cap(supervision):yyyy-MM-dd},{nexus},{(trafficked ? victimFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "")},{(trafficked ? Cap(victimUntil) : null):yyyy-MM-dd}\n"));
                written++;
            }
        }
    }

    // Dates on the record cannot be later than the as-of date.
    static DateOnly? Cap(DateOnly? date) => date > AsOf ? null : date;

    public static readonly DateOnly AsOf = new(2026, 11, 1);

    public static void Run(long rows)
    {
        var folder = Path.Combine(Path.GetTempPath(), "haven-relief-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var input = Path.Combine(folder, "records.csv");
            var watch = Stopwatch.StartNew();
            Generate(input, rows);
            var size = new FileInfo(input).Length;
            Console.WriteLine($"generated {rows:N0} synthetic New York rows ({size / 1048576.0:N0} MB) in {watch.Elapsed.TotalSeconds:F0} s");

            // The ceiling: read and parse every row, nothing else.
            watch.Restart();
            long parsed = 0;
            var engine = ReliefRuleFiles.BuiltIn;
            using (var reader = RecordCsv.OpenText(File.OpenRead(input)))
                foreach (var row in RecordCsv.Read(reader, AsOf, engine.KnowsSection))
                    if (row.Record is not null) parsed++;
            var parse = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"read and parse only: {parsed:N0} rows in {parse:F1} s, {parsed / parse:N0} rows/s");

            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { typeof(ReliefEngine).Assembly.Location, "relief", "screen", "--jurisdiction", "NY", "--as-of", AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), input, "--out", Path.Combine(folder, "results.csv") })
                start.ArgumentList.Add(a);
            watch.Restart();
            using var process = Process.Start(start)!;
            var rejected = 0;
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Interlocked.Increment(ref rejected); };
            process.BeginErrorReadLine();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var screen = watch.Elapsed.TotalSeconds;
            if (process.ExitCode != 0) throw new InvalidOperationException("haven relief screen failed: " + output);
            Console.WriteLine($"haven relief screen (its own process, start-up included): {rows:N0} rows in {screen:F1} s, {rows / screen:N0} rows/s, {new FileInfo(Path.Combine(folder, "results.csv")).Length / 1048576.0:N0} MB of results, {rejected:N0} stderr lines");
            foreach (var line in output.Split('\n').Where(l => l.Contains("rows read") || l.Contains("peak memory") || l.TrimStart().StartsWith("eligible", StringComparison.Ordinal) || l.TrimStart().StartsWith("not_eligible", StringComparison.Ordinal) || l.TrimStart().StartsWith("needs_review", StringComparison.Ordinal) || l.TrimStart().StartsWith("already_sealed", StringComparison.Ordinal)))
                Console.WriteLine("  " + line.Trim());
            Console.WriteLine($"screen / parse-only = {screen / parse:F2} (1.00 would be the ceiling)");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
