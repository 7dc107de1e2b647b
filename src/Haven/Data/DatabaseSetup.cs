using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace Haven.Data;

public enum DatabaseProvider { Sqlite, Postgres }

public static class DatabaseSetup
{
    /// <summary>Reads Database:Provider; anything but Sqlite or Postgres is a configuration error.</summary>
    public static DatabaseProvider ProviderFrom(IConfiguration configuration)
    {
        var name = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(name) || name.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
            return DatabaseProvider.Sqlite;
        if (name.Equals("Postgres", StringComparison.OrdinalIgnoreCase) || name.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase))
            return DatabaseProvider.Postgres;
        throw new HavenException($"Unknown database provider '{name}' in Database:Provider. Use Sqlite or Postgres.");
    }

    public static string ConnectionStringFrom(IConfiguration configuration, DatabaseProvider provider, string dataDirectory)
    {
        var configured = configuration.GetConnectionString("Haven");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        if (provider == DatabaseProvider.Postgres)
            throw new HavenException("Database:Provider is Postgres but ConnectionStrings:Haven is not set.", hint: "Set ConnectionStrings__Haven as the README's \"Running on PostgreSQL\" shows.");
        return $"Data Source={Path.Combine(dataDirectory, "haven.db")}";
    }

    public static IServiceCollection AddHavenDatabase(this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            services.AddDbContext<HavenDb, SqliteHavenDb>(o => Configure(o, provider, connectionString));
            services.AddSingleton(sp => new SqliteCheckpointer(connectionString, sp.GetRequiredService<ILogger<SqliteCheckpointer>>()));
        }
        else
        {
            services.AddDbContext<HavenDb, PostgresHavenDb>(o => Configure(o, provider, connectionString));
        }
        return services;
    }

    public static void Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Sqlite)
            options.UseSqlite(connectionString, s => s.MigrationsAssembly(typeof(HavenDb).Assembly.FullName))
                .AddInterceptors(SqlitePragmas.Instance);
        else
            options.UseNpgsql(connectionString);
    }

    /// <summary>The migrations applied so far; none when the database is new.</summary>
    public static async Task<HashSet<string>> AppliedMigrationsAsync(HavenDb db, CancellationToken ct = default)
    {
        var history = db.GetService<IHistoryRepository>();
        if (db.Database.IsNpgsql())
        {
            // Npgsql's history repository takes the table to exist and lets a failing query (logged as an error) say
            // otherwise, at every first migration; so the (empty) table is made first, as migrating would make it.
            if (!await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(ct)) return [];
            await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), ct);
        }
        else if (!await history.ExistsAsync(ct)) return [];
        return [.. (await history.GetAppliedMigrationsAsync(ct)).Select(m => m.MigrationId)];
    }

    /// <summary>
    /// Applies migrations and returns the ones it applied; on SQLite also turns on WAL so readers never wait for the
    /// audit writer.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(HavenDb db, CancellationToken ct = default)
    {
        if (db.Database.IsSqlite())
        {
            var source = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            var directory = Path.GetDirectoryName(Path.GetFullPath(source));
            if (directory is not null) Directory.CreateDirectory(directory);
        }
        var applied = await AppliedMigrationsAsync(db, ct);
        var pending = db.Database.GetMigrations().Where(m => !applied.Contains(m)).ToList();
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        return pending;
    }
}

/// <summary>
/// After rows were destroyed (a shred), leaves no copy of them where the engine keeps freed space. SQLite: secure_delete
/// has zeroed them in the database pages; a truncating checkpoint copies those pages home and empties the write-ahead
/// log, which still holds the earlier page images. PostgreSQL: VACUUM marks the dead tuples' space free for reuse; the
/// bytes stay on disk until reused and in WAL until it is recycled (the operations guide says what that means).
/// </summary>
public static class FreedSpace
{
    public static async Task PurgeAsync(HavenDb db, IEnumerable<string> tables, CancellationToken ct = default)
    {
        if (db.Database.IsSqlite())
        {
            // Readers holding an old snapshot make the checkpoint give up early ("busy"); it is tried again.
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                for (var attempt = 0; attempt < 20; attempt++)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    if (await reader.ReadAsync(ct) && reader.GetInt32(0) == 0) return;
                    await Task.Delay(50, ct);
                }
            }
            finally { await db.Database.CloseConnectionAsync(); }
            throw new InvalidOperationException("The write-ahead log could not be emptied after a shred: readers kept it busy.");
        }
        // Table names come from the EF model, never from input. VACUUM cannot run inside a transaction.
        foreach (var table in tables.Distinct())
        {
            var vacuum = $"VACUUM \"{table}\"";
            await db.Database.ExecuteSqlRawAsync(vacuum, ct);
        }
    }
}

/// <summary>
/// WAL with synchronous=NORMAL: every read of client data writes audit events, and a full fsync per
/// commit would cap the whole app at the disk's sync rate. In WAL mode NORMAL never corrupts the
/// database; a power cut can lose the last commits (see docs/decisions).
/// </summary>
public sealed class SqlitePragmas : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    /// <summary>Databases whose checkpoints a <see cref="SqliteCheckpointer"/> runs in the background.</summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> CheckpointedInBackground = new();

    /// <summary>Native connections already set up. EF opens the pooled connection for every query, and the
    /// pragmas last as long as the native connection, so they run once per native connection.</summary>
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Applied = [];

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    static void Apply(System.Data.Common.DbConnection connection)
    {
        if (connection is not Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle } || Applied.TryGetValue(handle, out _)) return;
        using var command = connection.CreateCommand();
        // mmap: reads of the database file come from the page cache without a copy per page.
        // secure_delete: deleted rows and freed pages are overwritten with zeros, so a shredded client cannot be carved
        // out of the file's free space.
        command.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA mmap_size=268435456; PRAGMA secure_delete=ON;"
            + (CheckpointedInBackground.ContainsKey(connection.ConnectionString) ? " PRAGMA wal_autocheckpoint=0;" : "");
        command.ExecuteNonQuery();
        Applied.AddOrUpdate(handle, handle);
    }

    /// <summary>From now on, connections to this database leave checkpoints to the background.</summary>
    internal static void CheckpointInBackground(string connectionString, bool on)
    {
        if (on) CheckpointedInBackground[connectionString] = true;
        else CheckpointedInBackground.TryRemove(connectionString, out _);
        // Pooled connections were set up the other way; new ones pick up the change.
        Microsoft.Data.Sqlite.SqliteConnection.ClearPool(new Microsoft.Data.Sqlite.SqliteConnection(connectionString));
    }
}

/// <summary>
/// Copies the SQLite write-ahead log back into the database from a background connection. Left to itself SQLite
/// checkpoints inside whichever commit fills the log, with two fsyncs, and that commit holds the audit gate:
/// every request waiting on the gate waits for the disk. A passive checkpoint blocks no reader or writer.
/// </summary>
public sealed class SqliteCheckpointer(string connectionString, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        SqlitePragmas.CheckpointInBackground(connectionString, true);
        try
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
            await connection.OpenAsync(stoppingToken);
            using var timer = new PeriodicTimer(Interval);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (Microsoft.Data.Sqlite.SqliteException e)
                {
                    logger.LogWarning("Background checkpoint failed (SQLite error {Code}); retrying.", e.SqliteErrorCode);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            SqlitePragmas.CheckpointInBackground(connectionString, false);
        }
    }
}

// Design-time factories so `dotnet ef migrations add` can build each provider's model.
public sealed class SqliteDesignFactory : IDesignTimeDbContextFactory<SqliteHavenDb>
{
    public SqliteHavenDb CreateDbContext(string[] args)
    {
        var b = new DbContextOptionsBuilder<SqliteHavenDb>();
        DatabaseSetup.Configure(b, DatabaseProvider.Sqlite, "Data Source=design.db");
        return new SqliteHavenDb(b.Options);
    }
}

public sealed class PostgresDesignFactory : IDesignTimeDbContextFactory<PostgresHavenDb>
{
    public PostgresHavenDb CreateDbContext(string[] args)
    {
        var b = new DbContextOptionsBuilder<PostgresHavenDb>();
        DatabaseSetup.Configure(b, DatabaseProvider.Postgres, "Host=localhost;Database=design");
        return new PostgresHavenDb(b.Options);
    }
}
