using Haven.Data;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace Haven.Features.Audit;

/// <summary>
/// Keeps <see cref="AuditEventSubject"/>, the by-client index of events about many clients, up to date with
/// the log, in batches. Indexing each list page as it is written touched one index page per client shown
/// (each client's entries sit together), so a 50-row list wrote about 50 random pages per commit; a batch
/// sorted by client writes each page once for many entries. Whoever reads the index first calls
/// <see cref="CatchUpAsync"/>, so it is never behind for them; a background service keeps that step short.
/// </summary>
public static class AuditSubjectIndex
{
    const int Batch = 5_000;
    const long AdvisoryLockId = 0x48564E49; // "HVNI"
    static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Indexes every event about many clients not yet indexed. Rows are added in event order inside
    /// one transaction per batch, so the highest indexed event says where to go on from.</summary>
    public static async Task CatchUpAsync(HavenDb db, CancellationToken ct = default)
    {
        await Gate.WaitAsync(ct);
        try
        {
            while (await IndexBatchAsync(db, ct)) { }
        }
        finally
        {
            Gate.Release();
        }
    }

    static async Task<bool> IndexBatchAsync(HavenDb db, CancellationToken ct)
    {
        // SQLite's write lock, or an advisory lock on PostgreSQL, keeps two processes from indexing the same events.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockId})", ct);
        var indexed = await db.AuditEventSubjects.MaxAsync(s => (long?)s.Seq, ct) ?? 0;
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Seq > indexed && e.Subjects != null)
            .OrderBy(e => e.Seq).Take(Batch).Select(e => new { e.Seq, e.Subjects }).ToListAsync(ct);
        if (events.Count == 0) return false;
        var rows = events.SelectMany(e => AuditEvent.Unpack(e.Subjects!).Select(s => (Subject: s, e.Seq))).OrderBy(r => r.Subject).ThenBy(r => r.Seq).ToList();
        if (db.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            var handle = sqlite.Handle!;
            using var statement = AuditLog.Prepare(handle, "INSERT INTO \"AuditEventSubjects\" (\"Seq\", \"SubjectId\") VALUES (?,?)");
            foreach (var (subject, seq) in rows)
            {
                raw.sqlite3_bind_int64(statement, 1, seq);
                AuditLog.BindText(statement, 2, AuditLog.Text(subject));
                AuditLog.Step(handle, statement);
            }
        }
        else
        {
            await using var copy = await ((Npgsql.NpgsqlConnection)db.Database.GetDbConnection())
                .BeginBinaryImportAsync("COPY \"AuditEventSubjects\" (\"Seq\", \"SubjectId\") FROM STDIN (FORMAT BINARY)", ct);
            foreach (var (subject, seq) in rows)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(seq, NpgsqlTypes.NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(subject, NpgsqlTypes.NpgsqlDbType.Uuid, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await tx.CommitAsync(ct);
        return events.Count == Batch;
    }
}

public static class AuditQueries
{
    /// <summary>Every event about one client: those naming it, and those about many clients that include it
    /// (the index is caught up first).</summary>
    public static async Task<IQueryable<AuditEvent>> AuditEventsAboutAsync(this HavenDb db, Guid subject, CancellationToken ct = default)
    {
        await AuditSubjectIndex.CatchUpAsync(db, ct);
        return db.AuditEvents.Where(e => e.SubjectId == subject)
            .Concat(db.AuditEventSubjects.Where(s => s.SubjectId == subject).Join(db.AuditEvents, s => s.Seq, e => e.Seq, (s, e) => e));
    }
}

/// <summary>Catches the by-client index up every few seconds, so a reader's own catch-up is short.</summary>
public sealed class AuditSubjectIndexer(IServiceScopeFactory scopes, ILogger<AuditSubjectIndexer> logger) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await WaitAsync(timer, stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await AuditSubjectIndex.CatchUpAsync(scope.ServiceProvider.GetRequiredService<HavenDb>(), stoppingToken);
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or Npgsql.NpgsqlException)
            {
                logger.LogWarning("Indexing audit events by client failed ({Error}); retrying.", e.GetType().Name);
            }
        }
    }

    static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }
}
