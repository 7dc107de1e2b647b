using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Haven.Data;

/// <summary>
/// Copies the SQLite write-ahead log into the database once a second on its own connection. Left to
/// itself, SQLite checkpoints inside whichever commit crosses the threshold, and with it the fsync, while
/// that commit holds the audit gate, so every audited read waits. A passive checkpoint here blocks no one.
/// (Processes without this service, such as the CLI, still checkpoint at SQLite's own threshold.)
/// </summary>
public sealed class SqliteCheckpointer(IServiceScopeFactory scopes, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? connectionString;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HavenDb>();
            if (!db.Database.IsSqlite()) return;
            connectionString = db.Database.GetConnectionString();
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var connection = new SqliteConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA busy_timeout=5000; PRAGMA wal_checkpoint(PASSIVE);";
                await command.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (SqliteException e)
            {
                logger.LogWarning("WAL checkpoint failed (SQLite error {Code}); retrying in a second.", e.SqliteErrorCode);
            }
        }
    }
}
