using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Haven.Tests.Infrastructure;

public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string All => Out + Error;
}

/// <summary>
/// The real program in a process of its own, as a person runs it: the built `haven` entry point (what
/// `dotnet run --project src/Haven` runs), in a folder of its own, with only the environment it is given. Nothing of
/// the test run's own ASP.NET or Haven settings leaks in.
/// </summary>
public sealed class HavenProcess : IAsyncDisposable
{
    public static string RepositoryRoot { get; } = FindRoot();

    static readonly string Configuration = typeof(HavenProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
    public static string EntryPoint { get; } = Path.Combine(RepositoryRoot, "src", "Haven", "bin", Configuration, "net10.0", "haven.dll");

    static readonly string[] Inherited = ["ASPNETCORE_", "DOTNET_ENVIRONMENT", "HAVEN_", "Haven__", "Database__", "ConnectionStrings__", "Keys__", "Security__", "Demo__", "Logging__"];

    readonly Process process;
    readonly StringBuilder output = new();
    readonly StringBuilder standardOutput = new();
    readonly StringBuilder errors = new();

    HavenProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) { output.AppendLine(e.Data); standardOutput.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) { output.AppendLine(e.Data); errors.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Everything it printed so far, standard output and error as they came.</summary>
    public string Output { get { lock (output) return output.ToString(); } }
    public string Errors { get { lock (output) return errors.ToString(); } }

    /// <summary>The environment `dotnet run` gives the program: the variables of the project's launch profile.</summary>
    public static Dictionary<string, string> LaunchProfileEnvironment()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "src", "Haven", "Properties", "launchSettings.json")));
        var profile = settings.RootElement.GetProperty("profiles").EnumerateObject()
            .First(p => p.Value.GetProperty("commandName").GetString() == "Project").Value;
        return profile.TryGetProperty("environmentVariables", out var variables)
            ? variables.EnumerateObject().ToDictionary(v => v.Name, v => v.Value.GetString() ?? "")
            : [];
    }

    public static HavenProcess Start(string folder, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        new(Process.Start(StartInfo(folder, environment, args))!);

    /// <summary>Runs a verb to its end (two minutes at most).</summary>
    public static async Task<CliResult> RunAsync(string? folder, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        await using var run = Start(folder ?? Directory.GetCurrentDirectory(), environment, args);
        var exitCode = await run.ExitedAsync(TimeSpan.FromMinutes(2));
        lock (run.output) return new CliResult(exitCode, run.standardOutput.ToString(), run.errors.ToString());
    }

    /// <summary>Runs a verb started from a shell with this umask (say "000"), as an operator's loose shell would.</summary>
    public static async Task<CliResult> RunUnderUmaskAsync(string folder, IReadOnlyDictionary<string, string> environment, string umask, params string[] args)
    {
        var start = StartInfo(folder, environment, args);
        var command = start.ArgumentList.ToList();
        start.FileName = "/bin/sh";
        start.ArgumentList.Clear();
        foreach (var arg in (string[])["-c", $"umask {umask} && exec dotnet \"$@\"", "sh", .. command]) start.ArgumentList.Add(arg);
        await using var run = new HavenProcess(Process.Start(start)!);
        var exitCode = await run.ExitedAsync(TimeSpan.FromMinutes(2));
        lock (run.output) return new CliResult(exitCode, run.standardOutput.ToString(), run.errors.ToString());
    }

    static ProcessStartInfo StartInfo(string folder, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        if (!File.Exists(EntryPoint)) throw new FileNotFoundException($"Build Haven first ({Configuration}): {EntryPoint} is missing.");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(EntryPoint);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => Inherited.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        start.Environment["NO_COLOR"] = "1";
        return start;
    }

    /// <summary>Waits until GET /health answers 200; fails at once, with what it printed, if the program ends first.</summary>
    public async Task WaitForHealthAsync(string baseUrl, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"Haven exited with {process.ExitCode} before answering /health:\n{Output}");
            try
            {
                if ((await http.GetAsync(baseUrl + "/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"/health did not answer 200 within {timeout.TotalSeconds:F0} s:\n{Output}");
    }

    /// <summary>Ctrl+C: SIGINT, then the exit code once it has stopped.</summary>
    public async Task<int> InterruptAsync()
    {
        if (Kill(process.Id, SigInt) != 0) throw new InvalidOperationException($"SIGINT could not be sent (errno {Marshal.GetLastPInvokeError()}).");
        return await ExitedAsync(TimeSpan.FromSeconds(60));
    }

    async Task<int> ExitedAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        process.WaitForExit(); // the last lines of output
        return process.ExitCode;
    }

    const int SigInt = 2;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A new empty folder to start Haven in.</summary>
    public static string EmptyFolder(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"haven-{name}-{Guid.NewGuid():N}"[..32]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Haven.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("The repository (Haven.slnx) is not above the test's folder.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
