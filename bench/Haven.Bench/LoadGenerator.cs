using System.Diagnostics;

namespace Haven.Bench;

public sealed record LoadResult(string Name, long Requests, long Errors, double Seconds, double P50, double P95, double P99)
{
    public double RequestsPerSecond => Requests / Seconds;
    public override string ToString() =>
        $"{Name,-34} {RequestsPerSecond,9:F0} req/s   p50 {P50,7:F2} ms   p95 {P95,7:F2} ms   p99 {P99,7:F2} ms   ({Requests:N0} requests, {Errors} errors)";
}

/// <summary>A bounded closed-loop load on loopback: N connections, each sending its next request when the
/// last one answers, for a fixed time or request count, whichever comes first.</summary>
public static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(string name, Func<HttpClient> clientFactory, Func<Random, string> nextPath,
        int connections, TimeSpan duration, long maxRequests = 500_000)
    {
        var latencies = new List<double>[connections];
        long errors = 0, issued = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(async worker =>
        {
            var client = clientFactory();
            var random = new Random(worker);
            var mine = latencies[worker] = new List<double>(100_000);
            while (clock.Elapsed < duration && Interlocked.Increment(ref issued) <= maxRequests)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(nextPath(random), HttpCompletionOption.ResponseContentRead);
                await response.Content.ReadAsByteArrayAsync();
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
            }
        }).ToArray();
        await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)];
        return new LoadResult(name, all.Length, errors, seconds, Percentile(0.50), Percentile(0.95), Percentile(0.99));
    }
}
