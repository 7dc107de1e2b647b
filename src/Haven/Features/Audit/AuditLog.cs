using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Haven.Data;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;
using SQLitePCL;

namespace Haven.Features.Audit;

public sealed record AuditEntry(AuditEventType Type, string? ActorId, Guid? OrganizationId, Guid? SubjectId, string? Purpose = null)
{
    /// <summary>The clients of an event about many, sorted; null for any other event.</summary>
    public IReadOnlyList<Guid>? Subjects { get; private init; }

    /// <summary>One event for a read of many clients at once (a list page, search hits): one chained event
    /// instead of one per client, with each client still findable by "who has seen my data".</summary>
    public static AuditEntry AboutMany(AuditEventType type, string? actorId, Guid? organizationId, IEnumerable<Guid> subjects, string? purpose) =>
        new(type, actorId, organizationId, null, purpose) { Subjects = subjects.Distinct().Order().ToList() };
}

/// <summary>
/// Appends events to the hash chain. Appends are serialized: in process by a gate, across processes by
/// the database (SQLite's write lock, a PostgreSQL advisory lock). The lock order is always gate, then
/// database: a change that records audit events inside its own transaction begins it with
/// <see cref="BeginChangeAsync"/>, never with a bare database transaction.
/// </summary>
public sealed class AuditLog(HavenDb db, TimeProvider time, AuditAnchor anchor, ILogger<AuditLog> logger)
{
    static readonly SemaphoreSlim Gate = new(1, 1);
    const long AdvisoryLockId = 0x4841564E; // "HAVN"
    bool holdsGate;
    /// <summary>The head this instance appended and has not yet anchored (anchored once its transaction commits).</summary>
    AnchoredHead? appended;

    /// <summary>Called after a commit, under the gate: moves the anchor to the committed head.</summary>
    void Anchor()
    {
        if (appended is not { } head) return;
        appended = null;
        try { anchor.Advance(head.Seq, head.Hash); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError("The audit anchor could not be written ({Error}); the events are committed.", e.GetType().Name);
        }
    }

    /// <summary>Whether the chain in the database still holds the anchored head, so the anchor may move on along it.
    /// One process: the head is the anchor (a comparison in memory). Otherwise one indexed read.</summary>
    async Task<bool> ReachesAnchorAsync(long headSeq, byte[] headHash, CancellationToken ct)
    {
        AnchoredHead? anchored;
        try { anchored = anchor.Current(); }
        catch (AuditAnchorException) { return false; }
        if (anchored is null) return true;
        if (headSeq == anchored.Seq) return headHash.AsSpan().SequenceEqual(anchored.Hash);
        if (headSeq < anchored.Seq) return false;
        var hash = await db.AuditEvents.AsNoTracking().Where(e => e.Seq == anchored.Seq).Select(e => e.Hash).FirstOrDefaultAsync(ct);
        return hash is not null && hash.AsSpan().SequenceEqual(anchored.Hash);
    }

    /// <summary>
    /// Begins a transaction whose changes and audit events commit together. Inside a change already begun here, it
    /// joins that one: the outer change commits or rolls back the whole (the demo seed is one change of many parts).
    /// </summary>
    public async Task<AuditedChange> BeginChangeAsync(CancellationToken ct = default)
    {
        if (holdsGate) return AuditedChange.Joined;
        await Gate.WaitAsync(ct);
        try
        {
            var tx = await db.Database.BeginTransactionAsync(ct);
            holdsGate = true;
            return new AuditedChange(tx, Anchor, () => { holdsGate = false; appended = null; Gate.Release(); });
        }
        catch
        {
            Gate.Release();
            throw;
        }
    }

    public Task RecordAsync(AuditEntry entry, CancellationToken ct = default) => RecordAsync([entry], ct);

    public async Task RecordAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct = default)
    {
        // A read of many clients that found none read nothing.
        entries = entries.Where(e => e.Subjects is not { Count: 0 }).ToList();
        if (entries.Count == 0) return;
        if (db.Database.CurrentTransaction is not null)
        {
            if (!holdsGate) throw new InvalidOperationException("Audit events inside a transaction need AuditLog.BeginChangeAsync (lock order: audit gate, then database).");
            await AppendAsync(entries, ct);
            return;
        }
        // Group commit: the events of concurrent reads share one transaction. A request queues its events,
        // and whoever next holds the gate writes every queued request's events, so a burst of reads costs
        // one commit instead of one each.
        var mine = new PendingEvents(entries);
        var queue = Pending.GetOrAdd(db.Database.GetConnectionString() ?? "", _ => new());
        queue.Enqueue(mine);
        // Not cancellable: once queued, the events are written (by this request or another), so the
        // request waits for them rather than leaving them for a later writer.
        await Gate.WaitAsync(CancellationToken.None);
        try
        {
            if (!mine.Written.Task.IsCompleted) await WriteQueuedAsync(queue);
        }
        finally
        {
            Gate.Release();
        }
        await mine.Written.Task;
    }

    sealed record PendingEvents(IReadOnlyList<AuditEntry> Entries)
    {
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Queued events per database (tests run several hosts in one process).</summary>
    static readonly ConcurrentDictionary<string, ConcurrentQueue<PendingEvents>> Pending = new();

    /// <summary>Called under the gate. Not cancellable: the batch holds other requests' events too.</summary>
    async Task WriteQueuedAsync(ConcurrentQueue<PendingEvents> queue)
    {
        var batch = new List<PendingEvents>();
        while (queue.TryDequeue(out var pending)) batch.Add(pending);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
            await AppendAsync(batch.SelectMany(p => p.Entries).ToList(), CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
            Anchor();
            foreach (var pending in batch) pending.Written.TrySetResult();
        }
        catch (Exception e)
        {
            foreach (var pending in batch) pending.Written.TrySetException(e);
        }
    }

    async Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        var (seq, previous) = await HeadAsync(ct);
        var reaches = await ReachesAnchorAsync(seq, previous, ct);
        if (!reaches && anchor.FirstReportOfBreak())
            logger.LogCritical("The audit log in the database no longer reaches its anchor (head at event {Seq}): it was wiped, cut or rolled back. The anchor stays where it was; run `haven audit verify`.", seq);
        var at = time.GetUtcNow().ToUnixTimeMilliseconds();
        var events = new List<AuditEvent>(entries.Count);
        var days = new Dictionary<(Guid, int, string, AuditEventType), AuditSubjectDay>();
        foreach (var entry in entries)
        {
            var e = new AuditEvent
            {
                Seq = ++seq,
                AtMs = at,
                Type = entry.Type,
                ActorId = entry.ActorId,
                OrganizationId = entry.OrganizationId,
                SubjectId = entry.SubjectId,
                Purpose = entry.Purpose,
                Subjects = entry.Subjects is null ? null : AuditEvent.Pack(entry.Subjects),
                PreviousHash = previous,
                Hash = [],
            };
            e.Hash = AuditChain.ComputeHash(e);
            previous = e.Hash;
            events.Add(e);
            foreach (var subject in entry.Subjects ?? []) CountDay(days, subject, e);
        }
        await InsertAsync(events, days.Values, ct);
        appended = reaches ? new AnchoredHead(seq, previous) : null;
    }

    /// <summary>The chain's last event number and hash. On PostgreSQL it first takes the cross-process append lock,
    /// in the same round trip.</summary>
    async Task<(long Seq, byte[] Hash)> HeadAsync(CancellationToken ct)
    {
        if (db.Database.GetDbConnection() is Npgsql.NpgsqlConnection npgsql)
        {
            await using var command = new Npgsql.NpgsqlCommand(
                $"SELECT pg_advisory_xact_lock({AdvisoryLockId}); SELECT \"Seq\", \"Hash\" FROM \"AuditEvents\" ORDER BY \"Seq\" DESC LIMIT 1", npgsql);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct);
            return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : (0, AuditChain.Genesis);
        }
        var last = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Seq)
            .Select(e => new { e.Seq, e.Hash }).FirstOrDefaultAsync(ct);
        return last is null ? (0, AuditChain.Genesis) : (last.Seq, last.Hash);
    }

    static void CountDay(Dictionary<(Guid, int, string, AuditEventType), AuditSubjectDay> days, Guid subject, AuditEvent e)
    {
        var key = (subject, AuditSubjectDay.DayOf(e.AtMs), e.ActorId ?? "", e.Type);
        if (days.TryGetValue(key, out var day))
        {
            day.Count++;
            day.LastSeq = e.Seq;
            day.LastAtMs = e.AtMs;
        }
        else days[key] = new AuditSubjectDay
        {
            SubjectId = subject,
            Day = key.Item2,
            ActorId = key.Item3,
            Type = e.Type,
            Count = 1,
            FirstSeq = e.Seq,
            LastSeq = e.Seq,
            FirstAtMs = e.AtMs,
            LastAtMs = e.AtMs,
        };
    }

    const string Columns = "(\"Seq\", \"AtMs\", \"Type\", \"ActorId\", \"OrganizationId\", \"SubjectId\", \"Purpose\", \"Subjects\", \"PreviousHash\", \"Hash\")";

    /// <summary>Adds a batch's counts to the clients' day rows, in place: a client listed all day stays one row.</summary>
    const string UpsertDays = """
        INSERT INTO "AuditSubjectDays" ("SubjectId", "Day", "ActorId", "Type", "Count", "FirstSeq", "LastSeq", "FirstAtMs", "LastAtMs")
        {0}
        ON CONFLICT ("SubjectId", "Day", "ActorId", "Type") DO UPDATE SET "Count" = "AuditSubjectDays"."Count" + excluded."Count",
            "LastSeq" = excluded."LastSeq", "LastAtMs" = excluded."LastAtMs"
        """;

    /// <summary>Every audited read writes events, so this is a hot path. SQLite: statements prepared
    /// once and stepped per row through the native API. PostgreSQL: one round trip.</summary>
    async Task InsertAsync(List<AuditEvent> events, ICollection<AuditSubjectDay> days, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            InsertSqlite(sqlite, events, days);
            return;
        }
        // PostgreSQL: the events and the day rows in one round trip, each as arrays unnested into rows.
        await using var batch = new Npgsql.NpgsqlBatch((Npgsql.NpgsqlConnection)connection);
        var insert = new Npgsql.NpgsqlBatchCommand($"INSERT INTO \"AuditEvents\" {Columns} SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
        Add(insert, NpgsqlDbType.Bigint, events.Select(e => e.Seq).ToArray());
        Add(insert, NpgsqlDbType.Bigint, events.Select(e => e.AtMs).ToArray());
        Add(insert, NpgsqlDbType.Integer, events.Select(e => (int)e.Type).ToArray());
        Add(insert, NpgsqlDbType.Varchar, events.Select(e => e.ActorId).ToArray());
        Add(insert, NpgsqlDbType.Uuid, events.Select(e => e.OrganizationId).ToArray());
        Add(insert, NpgsqlDbType.Uuid, events.Select(e => e.SubjectId).ToArray());
        Add(insert, NpgsqlDbType.Varchar, events.Select(e => e.Purpose).ToArray());
        Add(insert, NpgsqlDbType.Bytea, events.Select(e => e.Subjects).ToArray());
        Add(insert, NpgsqlDbType.Bytea, events.Select(e => e.PreviousHash).ToArray());
        Add(insert, NpgsqlDbType.Bytea, events.Select(e => e.Hash).ToArray());
        batch.BatchCommands.Add(insert);
        if (days.Count > 0)
        {
            var upsert = new Npgsql.NpgsqlBatchCommand(string.Format(UpsertDays, "SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9)"));
            Add(upsert, NpgsqlDbType.Uuid, days.Select(d => d.SubjectId).ToArray());
            Add(upsert, NpgsqlDbType.Integer, days.Select(d => d.Day).ToArray());
            Add(upsert, NpgsqlDbType.Varchar, days.Select(d => d.ActorId).ToArray());
            Add(upsert, NpgsqlDbType.Integer, days.Select(d => (int)d.Type).ToArray());
            Add(upsert, NpgsqlDbType.Integer, days.Select(d => d.Count).ToArray());
            Add(upsert, NpgsqlDbType.Bigint, days.Select(d => d.FirstSeq).ToArray());
            Add(upsert, NpgsqlDbType.Bigint, days.Select(d => d.LastSeq).ToArray());
            Add(upsert, NpgsqlDbType.Bigint, days.Select(d => d.FirstAtMs).ToArray());
            Add(upsert, NpgsqlDbType.Bigint, days.Select(d => d.LastAtMs).ToArray());
            batch.BatchCommands.Add(upsert);
        }
        await batch.ExecuteNonQueryAsync(ct);
    }

    static void Add(Npgsql.NpgsqlBatchCommand command, NpgsqlDbType type, Array values) =>
        command.Parameters.Add(new Npgsql.NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values });

    static void InsertSqlite(Microsoft.Data.Sqlite.SqliteConnection connection, List<AuditEvent> events, ICollection<AuditSubjectDay> days)
    {
        var handle = connection.Handle!;
        using var statement = Prepare(handle, $"INSERT INTO \"AuditEvents\" {Columns} VALUES (?,?,?,?,?,?,?,?,?,?)");
        foreach (var e in events)
        {
            raw.sqlite3_bind_int64(statement, 1, e.Seq);
            raw.sqlite3_bind_int64(statement, 2, e.AtMs);
            raw.sqlite3_bind_int(statement, 3, (int)e.Type);
            BindText(statement, 4, e.ActorId);
            BindText(statement, 5, Text(e.OrganizationId));
            BindText(statement, 6, Text(e.SubjectId));
            BindText(statement, 7, e.Purpose);
            if (e.Subjects is null) raw.sqlite3_bind_null(statement, 8);
            else raw.sqlite3_bind_blob(statement, 8, e.Subjects);
            raw.sqlite3_bind_blob(statement, 9, e.PreviousHash);
            raw.sqlite3_bind_blob(statement, 10, e.Hash);
            Step(handle, statement);
        }
        if (days.Count == 0) return;
        using var upsert = Prepare(handle, string.Format(UpsertDays, "VALUES (?,?,?,?,?,?,?,?,?)"));
        foreach (var d in days)
        {
            BindText(upsert, 1, Text(d.SubjectId));
            raw.sqlite3_bind_int(upsert, 2, d.Day);
            BindText(upsert, 3, d.ActorId);
            raw.sqlite3_bind_int(upsert, 4, (int)d.Type);
            raw.sqlite3_bind_int(upsert, 5, d.Count);
            raw.sqlite3_bind_int64(upsert, 6, d.FirstSeq);
            raw.sqlite3_bind_int64(upsert, 7, d.LastSeq);
            raw.sqlite3_bind_int64(upsert, 8, d.FirstAtMs);
            raw.sqlite3_bind_int64(upsert, 9, d.LastAtMs);
            Step(handle, upsert);
        }
    }

    // EF stores GUIDs on SQLite as upper-case text.
    static string? Text(Guid? id) => id?.ToString().ToUpperInvariant();

    static sqlite3_stmt Prepare(sqlite3 handle, string sql)
    {
        Check(handle, raw.sqlite3_prepare_v2(handle, sql, out var statement));
        return statement;
    }

    static void Step(sqlite3 handle, sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        if (rc != raw.SQLITE_DONE) Check(handle, rc);
        raw.sqlite3_reset(statement);
    }

    static void BindText(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null) raw.sqlite3_bind_null(statement, index);
        else raw.sqlite3_bind_text(statement, index, value);
    }

    static void Check(sqlite3 handle, int rc)
    {
        if (rc != raw.SQLITE_OK) throw new Microsoft.Data.Sqlite.SqliteException(raw.sqlite3_errmsg(handle).utf8_to_string(), rc);
    }
}

/// <summary>A transaction begun under the audit gate; disposing it rolls back if not committed and releases the gate.</summary>
public sealed class AuditedChange(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? transaction, Action committed, Action release) : IAsyncDisposable
{
    /// <summary>A part of a change begun earlier: the outer change commits it.</summary>
    internal static readonly AuditedChange Joined = new(null, () => { }, () => { });

    public async Task CommitAsync(CancellationToken ct = default)
    {
        if (transaction is null) return;
        await transaction.CommitAsync(ct);
        committed();
    }

    public async ValueTask DisposeAsync()
    {
        try { if (transaction is not null) await transaction.DisposeAsync(); }
        finally { release(); }
    }
}

public sealed record AuditVerification(long EventsChecked, long? FirstBadSeq, string? Problem)
{
    public bool Intact => FirstBadSeq is null;
}

public static class AuditChain
{
    public static readonly byte[] Genesis = new byte[32];

    /// <summary>SHA-256 over the previous hash and every field of the event, in a fixed binary layout.
    /// An event about many clients adds their count and ids; other events hash as they always have.</summary>
    public static byte[] ComputeHash(AuditEvent e)
    {
        var subjects = e.Subjects;
        var buffer = new byte[32 + 8 + 8 + 4 + 16 + 16 + 1 + 2 * 256 + 4 + (subjects?.Length ?? 0)];
        var span = buffer.AsSpan();
        e.PreviousHash.CopyTo(span);
        var at = 32;
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], e.Seq); at += 8;
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], e.AtMs); at += 8;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], (int)e.Type); at += 4;
        (e.OrganizationId ?? Guid.Empty).TryWriteBytes(span[at..]); at += 16;
        (e.SubjectId ?? Guid.Empty).TryWriteBytes(span[at..]); at += 16;
        span[at++] = (byte)((e.OrganizationId is null ? 0 : 1) | (e.SubjectId is null ? 0 : 2) | (e.ActorId is null ? 0 : 4) | (e.Purpose is null ? 0 : 8)
            | (subjects is null ? 0 : 16));
        at += WriteText(span[at..], e.ActorId);
        at += WriteText(span[at..], e.Purpose);
        if (subjects is not null)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], subjects.Length / 16); at += 4;
            subjects.CopyTo(span[at..]); at += subjects.Length;
        }
        return SHA256.HashData(span[..at]);
    }

    static int WriteText(Span<byte> span, string? text)
    {
        var count = text is null ? 0 : Encoding.UTF8.GetBytes(text, span[1..]);
        span[0] = (byte)count;
        return 1 + count;
    }

    /// <summary>Walks the chain in order and reports the first event that was edited, deleted, inserted or moved,
    /// including a client added to or taken from an event about many; then checks the chain still reaches its anchor,
    /// so a wiped, cut or rolled-back log is found too.</summary>
    public static async Task<AuditVerification> VerifyAsync(HavenDb db, AuditAnchor anchor, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        AnchoredHead? anchored;
        try { anchored = anchor.Read(); }
        catch (AuditAnchorException e) { return new(0, 0, e.Message); }
        byte[]? hashAtAnchor = null;
        long expected = 1, checkedCount = 0;
        var previous = Genesis;
        await foreach (var e in db.AuditEvents.AsNoTracking().OrderBy(e => e.Seq).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (e.Seq != expected)
                return new(checkedCount, e.Seq, $"events {expected}–{e.Seq - 1} are missing");
            if (!e.PreviousHash.AsSpan().SequenceEqual(previous))
                return new(checkedCount, e.Seq, "does not link to the event before it (an event was removed, inserted or moved)");
            if (!ComputeHash(e).AsSpan().SequenceEqual(e.Hash))
                return new(checkedCount, e.Seq, "its contents do not match its hash (the event or its list of clients was edited)");
            previous = e.Hash;
            if (e.Seq == anchored?.Seq) hashAtAnchor = e.Hash;
            expected++;
            if (++checkedCount % 100_000 == 0) progress?.Report(checkedCount);
        }
        if (anchored is null)
            return checkedCount == 0 ? new(0, null, null) : new(checkedCount, checkedCount, $"there is no audit anchor ({anchor.FilePath}) for these events: it was removed, or the log was put in from elsewhere");
        if (checkedCount == 0 && anchored.Seq > 0)
            return new(0, 1, $"the log was wiped: it is empty, but its anchor says {anchored.Seq:N0} events were written");
        if (checkedCount < anchored.Seq)
            return new(checkedCount, checkedCount + 1, $"the log was cut short: events {checkedCount + 1}–{anchored.Seq} were removed from its end (its anchor says {anchored.Seq:N0} events)");
        if (!anchored.Hash.AsSpan().SequenceEqual(hashAtAnchor))
            return new(checkedCount, anchored.Seq, $"the log was rolled back or rewritten: event {anchored.Seq} is not the one anchored (an older copy, or events written again)");
        return new(checkedCount, null, null);
    }
}

public sealed record AccessSummary(string? ActorId, AuditEventType Type, int Count, long FirstAtMs, long LastAtMs);

public static class AuditQueries
{
    /// <summary>Events about one client, newest first: those naming it, and those about many that include it. The
    /// latter are found from the client's day rows (who, what kind, which stretch of the chain), then checked
    /// against each event's own list of clients, so the answer rests on the chain itself.</summary>
    public static async Task<List<AuditEvent>> EventsAboutAsync(this HavenDb db, Guid subject, int take,
        Func<IQueryable<AuditEvent>, IQueryable<AuditEvent>>? filter = null, CancellationToken ct = default)
    {
        filter ??= q => q;
        var found = await filter(db.AuditEvents.AsNoTracking().Where(e => e.SubjectId == subject))
            .OrderByDescending(e => e.Seq).Take(take).ToListAsync(ct);
        var days = await db.AuditSubjectDays.AsNoTracking().Where(d => d.SubjectId == subject)
            .OrderByDescending(d => d.LastSeq).ToListAsync(ct);
        foreach (var day in days)
        {
            // Days come newest first: once this one cannot reach the newest take events, no older one can.
            if (found.Count >= take && found.OrderByDescending(e => e.Seq).ElementAt(take - 1).Seq > day.LastSeq) break;
            var actor = day.ActorId == "" ? null : day.ActorId;
            var candidates = filter(db.AuditEvents.AsNoTracking().Where(e => e.Seq >= day.FirstSeq && e.Seq <= day.LastSeq
                && e.Type == day.Type && e.ActorId == actor && e.Subjects != null)).OrderByDescending(e => e.Seq);
            var hits = 0;
            await foreach (var e in candidates.AsAsyncEnumerable().WithCancellation(ct))
            {
                if (!AuditEvent.Unpack(e.Subjects!).Contains(subject)) continue;
                found.Add(e);
                if (++hits == take) break;
            }
        }
        return found.OrderByDescending(e => e.Seq).Take(take).ToList();
    }

    /// <summary>Who did what kind of thing with one client's record, how often, first and last: events naming it,
    /// counted in the database, and its day rows of events about many.</summary>
    public static async Task<List<AccessSummary>> AccessAboutAsync(this HavenDb db, Guid subject, CancellationToken ct = default)
    {
        var named = await db.AuditEvents.Where(e => e.SubjectId == subject).GroupBy(e => new { e.ActorId, e.Type })
            .Select(g => new AccessSummary(g.Key.ActorId, g.Key.Type, g.Count(), g.Min(e => e.AtMs), g.Max(e => e.AtMs))).ToListAsync(ct);
        var many = await db.AuditSubjectDays.Where(d => d.SubjectId == subject).GroupBy(d => new { d.ActorId, d.Type })
            .Select(g => new AccessSummary(g.Key.ActorId, g.Key.Type, g.Sum(d => d.Count), g.Min(d => d.FirstAtMs), g.Max(d => d.LastAtMs))).ToListAsync(ct);
        return named.Concat(many.Select(m => m with { ActorId = m.ActorId == "" ? null : m.ActorId }))
            .GroupBy(a => (a.ActorId, a.Type))
            .Select(g => new AccessSummary(g.Key.ActorId, g.Key.Type, g.Sum(a => a.Count), g.Min(a => a.FirstAtMs), g.Max(a => a.LastAtMs))).ToList();
    }
}
