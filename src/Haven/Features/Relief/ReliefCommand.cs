using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Haven.Features.Relief;

/// <summary>`haven relief screen` and `haven relief rules`: the bulk record screener and the rule files it reads.</summary>
public static class ReliefCommand
{
    const int ShownErrors = 1000;

    public static Command Create()
    {
        var rules = new Command("rules", "List the relief rule files: each jurisdiction's reliefs, provisions and the text they encode.");
        rules.SetAction(_ =>
        {
            foreach (var file in ReliefRuleFiles.BuiltIn.Files.OrderBy(f => f.Jurisdiction, StringComparer.Ordinal))
            {
                Console.WriteLine($"{file.Jurisdiction}: {file.Name}");
                Console.WriteLine($"  encodes: {file.Encodes}");
                if (file.Verify is { } verify) Console.WriteLine($"  verify:  {verify}");
                foreach (var r in file.Reliefs) Console.WriteLine($"  {r.Id,-24} {r.Provision,-28} {(r.Effective is { } e ? $"in force {e:yyyy-MM-dd}" : ""),-20}  {r.Name}");
            }
            return 0;
        });

        var jurisdiction = new Option<string>("--jurisdiction") { Required = true, Description = "Whose rules to apply: NY, US, or both as NY,US. Rows of other jurisdictions are kept for the person but not screened." };
        var asOf = new Option<string>("--as-of") { Required = true, Description = "The date to screen as of, YYYY-MM-DD; today or earlier." };
        var input = new Argument<FileInfo>("records") { Description = "A record CSV (docs/record-csv.md), one row per charge, each person's rows together." };
        var output = new Option<FileInfo>("--out") { Required = true, Description = "Where to write the results CSV: record_id, relief, outcome, reasons, provisions." };
        var screen = new Command("screen", "Screen a record CSV for vacatur and sealing, streaming; a bad row is reported and the run goes on.") { jurisdiction, asOf, input, output };
        screen.SetAction((parse, ct) => Task.FromResult(Screen(parse.GetValue(jurisdiction)!, parse.GetValue(asOf)!, parse.GetValue(input)!, parse.GetValue(output)!, ct)));

        return new Command("relief", "Criminal-record relief: the bulk screener and its rules.") { screen, rules };
    }

    static int Screen(string jurisdictionText, string asOfText, FileInfo input, FileInfo output, CancellationToken ct)
    {
        var engine = ReliefRuleFiles.BuiltIn;
        var jurisdictions = jurisdictionText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(j => j.ToUpperInvariant()).ToHashSet();
        if (jurisdictions.Count == 0 || jurisdictions.Any(j => !engine.Jurisdictions.Contains(j)))
            return Fail($"--jurisdiction '{jurisdictionText}' is not one the rules cover; use {string.Join(", ", engine.Jurisdictions.Order())}.");
        if (!DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var asOf))
            return Fail($"--as-of '{asOfText}' is not a date; use YYYY-MM-DD.");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        if (asOf > today) return Fail($"--as-of {asOf:yyyy-MM-dd} is in the future; screen as of today ({today:yyyy-MM-dd}) or earlier.");
        if (!input.Exists) return Fail($"The records file {input.Name} does not exist.");
        if (output.Directory is { Exists: false } folder) return Fail($"The folder for --out ({folder.Name}) does not exist.");
        if (Path.GetFullPath(output.FullName) == Path.GetFullPath(input.FullName)) return Fail("--out would overwrite the records file; choose another name.");

        // Results go to a side file and take their name only when the whole run has succeeded.
        var partial = output.FullName + ".partial";
        var watch = Stopwatch.StartNew();
        var errors = 0;
        try
        {
            ScreenSummary? summary = null;
            using (var stream = new FileStream(input.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            using (var reader = RecordCsv.OpenText(stream))
            using (var writer = new StreamWriter(partial, false, new System.Text.UTF8Encoding(false), 1 << 16))
            {
                void Rejected(string error)
                {
                    if (++errors <= ShownErrors) Console.Error.WriteLine("rejected: " + error);
                }
                AnsiConsole.Progress().AutoClear(true).Start(p =>
                {
                    var bar = p.AddTask("Screening " + input.Name, maxValue: Math.Max(1, stream.Length));
                    summary = BulkScreener.Screen(reader, writer, Rejected, engine, jurisdictions, asOf, _ => bar.Value = stream.Position, ct);
                    bar.Value = stream.Length;
                });
            }
            File.Move(partial, output.FullName, overwrite: true);
            if (errors > ShownErrors) Console.Error.WriteLine($"rejected: … and {errors - ShownErrors:N0} more rows.");
            Console.Write(BulkScreener.Describe(summary!));
            using var self = Process.GetCurrentProcess();
            Console.WriteLine($"{summary!.Rows / Math.Max(0.001, watch.Elapsed.TotalSeconds):N0} rows per second ({watch.Elapsed.TotalSeconds:F1} s); peak memory {self.PeakWorkingSet64 / 1048576:N0} MB.");
            return 0;
        }
        catch (Exception e) when (e is RecordCsvException or NotGroupedException or IOException or UnauthorizedAccessException)
        {
            File.Delete(partial);
            return Fail(e.Message);
        }
        catch (OperationCanceledException)
        {
            File.Delete(partial);
            return Fail("Stopped; no results were kept.");
        }
    }

    static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 1;
    }
}
