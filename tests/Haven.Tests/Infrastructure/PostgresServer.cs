using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Haven.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for the whole test run: initdb into a temporary directory,
/// a free loopback port, removed when the process exits. No Docker, no shared server.
/// </summary>
public sealed class PostgresServer
{
    static readonly Lazy<PostgresServer> Shared = new(() => new PostgresServer(), LazyThreadSafetyMode.ExecutionAndPublication);
    public static PostgresServer Instance => Shared.Value;

    readonly string directory;
    readonly Process process;
    public int Port { get; }

    PostgresServer()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d).Select(d => Path.Combine(d, "bin"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL server binaries are not installed; run ./test.sh, which installs them.");
        directory = Path.Combine(Path.GetTempPath(), "haven-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var asRoot = Environment.UserName == "root";
        if (asRoot) Run("chown", $"postgres:postgres {directory}");
        Port = FreePort();
        Run(asRoot ? "runuser" : Path.Combine(bin, "initdb"),
            (asRoot ? $"-u postgres -- {bin}/initdb " : "") + $"-D {directory}/data -U haven -A trust -E UTF8 --no-locale");
        var start = new ProcessStartInfo(asRoot ? "runuser" : Path.Combine(bin, "postgres"),
            (asRoot ? $"-u postgres -- {bin}/postgres " : "") +
            $"-D {directory}/data -p {Port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300")
        { RedirectStandardError = true, RedirectStandardOutput = true };
        process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        WaitUntilReady();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=haven;Database={database};Pooling=true;Maximum Pool Size=50";

    public string CreateDatabase()
    {
        var name = "haven_" + Guid.NewGuid().ToString("N")[..12];
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    void WaitUntilReady()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                connection.Open();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                Thread.Sleep(200);
            }
        }
    }

    void Stop()
    {
        try { if (!process.HasExited) { process.Kill(entireProcessTree: true); process.WaitForExit(5000); } } catch (InvalidOperationException) { }
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static void Run(string file, string arguments)
    {
        using var p = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed: {error.Result}");
    }
}
