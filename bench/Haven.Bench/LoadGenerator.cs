using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Haven.Bench;

public sealed record LoadResult(string Name, long Requests, long Errors, double Seconds, double P50, double P95, double P99)
{
    public double RequestsPerSecond => Requests / Seconds;
    public override string ToString() =>
        $"{Name,-38} {RequestsPerSecond,7:F0} req/s   p50 {P50,7:F2} ms   p95 {P95,7:F2} ms   p99 {P99,7:F2} ms   ({Requests:N0} requests, {Errors} errors)";
}

/// <summary>
/// A bounded load on loopback with wrk (Debian's package): N connections in a closed loop for a fixed time,
/// each request drawn at random from a list of paths. wrk is used rather than an in-process client because
/// the load generator shares the two cores with the server, and wrk needs a fraction of the CPU.
/// </summary>
public static class LoadGenerator
{
    /// <summary>GETs of random paths, or (with <paramref name="jsonBodies"/>) POSTs of random JSON bodies to the first path.</summary>
    public static async Task<LoadResult> RunAsync(string name, string baseUrl, string header, IReadOnlyList<string> paths,
        int connections, TimeSpan duration, IReadOnlyList<string>? jsonBodies = null)
    {
        var script = Path.Combine(Path.GetTempPath(), $"haven-bench-{Guid.NewGuid():N}.lua");
        static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        var lua = new StringBuilder("local paths = {\n");
        foreach (var path in paths) lua.Append("  ").Append(Quote(path)).Append(",\n");
        lua.Append("}\nlocal bodies = {\n");
        foreach (var body in jsonBodies ?? []) lua.Append("  ").Append(Quote(body)).Append(",\n");
        lua.Append("""
            }
            request = function()
              if #bodies > 0 then
                -- A headers table replaces wrk.headers (which hold the -H credentials), so copy them.
                local headers = { ["Content-Type"] = "application/json" }
                for k, v in pairs(wrk.headers) do headers[k] = v end
                return wrk.format("POST", paths[1], headers, bodies[math.random(#bodies)])
              end
              return wrk.format("GET", paths[math.random(#paths)])
            end
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("RESULT %d %d %f %f %f %f\n", summary.requests,
                e.connect + e.read + e.write + e.timeout + e.status, summary.duration / 1e6,
                latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
            end
            """);
        await File.WriteAllTextAsync(script, lua.ToString());
        try
        {
            var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-t", Math.Min(2, connections).ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{(int)duration.TotalSeconds}s",
                "--timeout", "10s", "-s", script, "-H", header, baseUrl })
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start wrk.");
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException("wrk gave no result: " + output + await process.StandardError.ReadToEndAsync());
            var f = line.Split(' ').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            return new LoadResult(name, (long)f[0], (long)f[1], f[2], f[3], f[4], f[5]);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("The benchmark needs wrk on the PATH (Debian: apt-get install wrk; test.sh installs it).");
        }
        finally
        {
            File.Delete(script);
        }
    }
}
