using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Npgsql;

namespace Haven.Features.Operations;

/// <summary>
/// How a start or a verb that failed tells the person at the terminal: a problem they can put right is one clear
/// message (its details, then a hint) and exit code 1; anything else is a bug in Haven, printed with its stack trace
/// under a line that says so, and exit code 70.
/// </summary>
public static class Failures
{
    public const int UserError = 1;
    public const int Bug = 70; // EX_SOFTWARE

    public static int Report(Exception e, TextWriter error)
    {
        if (Explain(e) is not { } problem)
        {
            error.WriteLine("error: Haven stopped on an unexpected error. This is a bug in Haven, not something you did;");
            error.WriteLine("please report it with the lines below (they name no person).");
            error.WriteLine(e.ToString());
            return Bug;
        }
        error.WriteLine("error: " + problem.Message);
        foreach (var detail in problem.Details) error.WriteLine("  " + detail);
        if (problem.Hint is not null) error.WriteLine("hint: " + problem.Hint);
        return UserError;
    }

    /// <summary>Haven's own refusals, and the framework's errors that mean a setting or the machine needs attention.</summary>
    static HavenException? Explain(Exception e) => e switch
    {
        HavenException h => h,
        AggregateException { InnerExceptions.Count: 1 } a => Explain(a.InnerExceptions[0]),
        IOException { InnerException: AddressInUseException } => new HavenException(e.Message,
            hint: "Stop the program that uses that port, or give Haven another address, e.g. --urls http://127.0.0.1:8080."),
        PostgresException { SqlState: "28P01" or "28000" } => new HavenException("PostgreSQL refused the user name or password in ConnectionStrings:Haven.",
            hint: "Check the connection string (README, \"Running on PostgreSQL\")."),
        PostgresException { SqlState: "3D000" } => new HavenException("The database named in ConnectionStrings:Haven does not exist on the PostgreSQL server.",
            hint: "Create it (createdb, owned by the user Haven connects as), then run `haven migrate`."),
        NpgsqlException { InnerException: SocketException or TimeoutException } n => new HavenException(
            "Cannot reach the PostgreSQL server named in ConnectionStrings:Haven: " + n.InnerException!.Message,
            hint: "Start the server, or correct Host and Port in the connection string."),
        // A path given on the command line or in a setting that is missing, unreadable or full.
        UnauthorizedAccessException or IOException { InnerException: null } =>
            new HavenException(e.Message, hint: "Check the path, its permissions and the free space on its disk."),
        _ => null,
    };
}
