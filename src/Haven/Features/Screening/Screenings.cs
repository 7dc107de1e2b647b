using System.Text.Json;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Screening;

public sealed record ScreeningStart(string? Instrument, string? Language, bool? Agreed, Guid? ClientId);

public sealed record ScreeningSummary(Guid Id, string InstrumentId, string InstrumentVersion, string Title, ScreeningStatus Status, DateTime StartedAt, DateTime? CompletedAt);

/// <summary>A result the screening had before it was evaluated again, and when it was replaced.</summary>
public sealed record EarlierResult(ScreeningResult Result, DateTime ReplacedAt);

/// <summary>What a completed screening stores, sealed: the result it was given, earlier results it replaced, and the
/// answers not carried over when it was last evaluated again (their question's wording changed since).</summary>
public sealed record StoredResult(ScreeningResult Result, IReadOnlyList<EarlierResult>? Earlier = null, IReadOnlyList<string>? NotCarriedOver = null)
{
    /// <summary>Reads a sealed result: a <see cref="StoredResult"/>, or a bare result stored before there was a history.</summary>
    public static StoredResult Read(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("result", out _)
            ? JsonSerializer.Deserialize<StoredResult>(json, Http.JsonBody.Json)!
            : new StoredResult(JsonSerializer.Deserialize<ScreeningResult>(json, Http.JsonBody.Json)!);
    }
}

public sealed record ScreeningView(
    Guid Id, Guid? ClientId, string? ClientReference, string InstrumentId, string InstrumentVersion, string Language, bool LanguageFellBack,
    ScreeningStatus Status, DateTime AgreedAt, DateTime StartedAt, DateTime? CompletedAt,
    Dictionary<string, JsonElement> Answers, ScreeningResult? Result,
    IReadOnlyList<EarlierResult>? Earlier = null, IReadOnlyList<string>? NotCarriedOver = null, string? Outdated = null)
{
    public bool IsAnonymous => ClientId is null;

    /// <summary>The page listing this screening with its siblings.</summary>
    public string ListPath => ClientId is { } c ? $"/clients/{c}/screenings" : "/screenings";
}

/// <summary>
/// Screenings: started only after the person agrees, answered in parts (the person can pause and come back),
/// completed into a result that is sealed with the answers. Whoever may work on the client may see them; an
/// anonymous screening is seen by the staff member who started it and organization admins. Every read and write
/// is audited. Results leave the team only through <see cref="Consent.Disclosures"/>.
/// </summary>
public sealed class Screenings(HavenDb db, KeyRing keys, AuditLog audit, ClientRecords records, InstrumentLibrary library, TimeProvider time)
{
    static readonly JsonSerializerOptions Json = Http.JsonBody.Json;

    public InstrumentLibrary Library => library;

    public async Task<SaveResult?> StartAsync(Staff staff, ScreeningStart input, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (input.Agreed != true) errors["Agreed"] = ["Record the person's agreement to be screened before starting."];
        Instrument? instrument = null;
        if (string.IsNullOrWhiteSpace(input.Instrument)) errors["Instrument"] = ["Choose an instrument."];
        else if (!library.Instruments.TryGetValue(input.Instrument, out instrument))
            errors["Instrument"] = [$"There is no instrument \"{input.Instrument}\". Known: {string.Join(", ", library.Instruments.Keys)}."];
        if (errors.Count > 0) return new SaveResult(null, errors);

        Client? client = null;
        if (input.ClientId is { } clientId && (client = await records.FindForWorkAsync(staff, clientId, ct)) is null) return null;
        var (language, _) = instrument!.Resolve(input.Language);
        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var screening = new Screening
        {
            OrganizationId = staff.OrganizationId,
            ClientId = client?.Id,
            InstrumentId = instrument.Id,
            InstrumentVersion = instrument.Version,
            Language = language,
            Status = ScreeningStatus.InProgress,
            AgreedAt = now,
            SealedAnswers = [],
            StartedBy = staff.UserId,
            StartedAt = now,
            UpdatedAt = now,
        };
        if (client is null) screening.WrappedKey = orgKeys.WrapClientKey(screening.Id, Crypto.NewKey());
        screening.SealedAnswers = Seal(orgKeys, client, screening, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, JsonElement>(), Json));

        await using var change = await audit.BeginChangeAsync(ct);
        db.Screenings.Add(screening);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ScreeningStarted, staff.UserId, staff.OrganizationId, client?.Id ?? screening.Id, "care"), ct);
        await change.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new SaveResult(screening.Id, []);
    }

    public async Task<ScreeningView?> GetAsync(Staff staff, Guid id, CancellationToken ct = default)
    {
        if (await FindAsync(staff, id, ct) is not var (screening, client, orgKeys)) return null;
        var answers = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Open(orgKeys, client, screening, screening.SealedAnswers), Json)!;
        var stored = screening.SealedResult is null ? null : StoredResult.Read(Open(orgKeys, client, screening, screening.SealedResult));
        await audit.RecordAsync(new AuditEntry(AuditEventType.ScreeningViewed, staff.UserId, staff.OrganizationId, client?.Id ?? screening.Id, "care"), ct);
        library.Instruments.TryGetValue(screening.InstrumentId, out var instrument);
        var fellBack = instrument is not null && instrument.Resolve(screening.Language).FellBack;
        return new ScreeningView(screening.Id, client?.Id, client?.Reference, screening.InstrumentId, screening.InstrumentVersion, screening.Language, fellBack,
            screening.Status, screening.AgreedAt, screening.StartedAt, screening.CompletedAt, answers, stored?.Result,
            stored?.Earlier ?? [], stored?.NotCarriedOver ?? [], stored is null ? null : Outdated(stored.Result, instrument));
    }

    /// <summary>Why a stored result is not what the current rules give, or null when it is current.</summary>
    static string? Outdated(ScreeningResult result, Instrument? instrument) =>
        result.Rules != ScreeningEngine.RulesVersion
            ? $"This result was given by screening rules {result.Rules}; the rules have since been corrected (now {ScreeningEngine.RulesVersion})."
            : instrument is not null && instrument.Version != result.InstrumentVersion
                ? $"This result was given by version {result.InstrumentVersion} of the instrument; it is now version {instrument.Version}."
                : null;

    /// <summary>
    /// Evaluates a completed screening's answers again under the current rules and instrument. Answers to questions that
    /// are gone, or whose wording changed after the version the person answered, are not carried over (the person
    /// answered a different question) and are listed. The old result is kept in the history; the action is audited.
    /// </summary>
    public async Task<(bool Found, Dictionary<string, string[]> Errors)> ReevaluateAsync(Staff staff, Guid id, CancellationToken ct = default)
    {
        if (await FindAsync(staff, id, ct) is not var (screening, client, orgKeys)) return (false, []);
        if (screening.Status != ScreeningStatus.Completed || screening.SealedResult is null)
            return (true, new() { ["Status"] = ["Only a completed screening can be evaluated again."] });
        if (!library.Instruments.TryGetValue(screening.InstrumentId, out var instrument))
            return (true, new() { ["Instrument"] = [$"Instrument \"{screening.InstrumentId}\" is no longer available."] });

        var stored = StoredResult.Read(Open(orgKeys, client, screening, screening.SealedResult));
        var given = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Open(orgKeys, client, screening, screening.SealedAnswers), Json)!;
        var answers = new Answer?[instrument.Questions.Count];
        var notCarried = new List<string>();
        foreach (var (questionId, element) in given)
        {
            if (!instrument.IndexOf.TryGetValue(questionId, out var index)
                || instrument.Questions[index].Revised is { } revised && VersionIsLater(revised, screening.InstrumentVersion)
                || AnswerSheet.ParseOne(instrument, index, element) is not { Answer: { } answer })
            {
                notCarried.Add(questionId);
                continue;
            }
            answers[index] = answer;
        }
        var result = ScreeningEngine.Evaluate(AnswerSheet.FromChecked(instrument, answers));
        var now = time.GetUtcNow().UtcDateTime;
        var next = new StoredResult(result, [.. stored.Earlier ?? [], new EarlierResult(stored.Result, now)], notCarried);

        await using var change = await audit.BeginChangeAsync(ct);
        var row = await db.Screenings.SingleAsync(s => s.Id == id, ct);
        row.SealedResult = Seal(orgKeys, client, row, JsonSerializer.SerializeToUtf8Bytes(next, Json));
        row.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ScreeningReevaluated, staff.UserId, staff.OrganizationId, client?.Id ?? id, "care"), ct);
        await change.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return (true, []);
    }

    static bool VersionIsLater(string a, string b) => InstrumentValidator.CompareVersions(a, b) > 0;

    /// <summary>
    /// Saves some answers (null clears one) and, when <paramref name="complete"/>, evaluates and seals the result.
    /// Answers given here must be to questions shown by the skip logic; earlier answers that the new ones hide are dropped.
    /// </summary>
    public async Task<(bool Found, Dictionary<string, string[]> Errors)> AnswerAsync(Staff staff, Guid id, IReadOnlyDictionary<string, JsonElement>? given,
        bool complete, CancellationToken ct = default)
    {
        if (await FindAsync(staff, id, ct) is not var (screening, client, orgKeys)) return (false, []);
        if (screening.Status != ScreeningStatus.InProgress)
            return (true, new() { ["Status"] = [$"This screening is {Describe(screening.Status)}; start a new one to ask again."] });
        if (!library.Instruments.TryGetValue(screening.InstrumentId, out var instrument) || instrument.Version != screening.InstrumentVersion)
            return (true, new() { ["Instrument"] = [$"Instrument \"{screening.InstrumentId}\" version {screening.InstrumentVersion} is no longer available; start a new screening."] });

        var stored = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Open(orgKeys, client, screening, screening.SealedAnswers), Json)!;
        var answers = new Answer?[instrument.Questions.Count];
        foreach (var (questionId, element) in stored)
            if (instrument.IndexOf.TryGetValue(questionId, out var index)) answers[index] = AnswerSheet.ParseOne(instrument, index, element).Answer;
        var errors = AnswerSheet.Apply(instrument, answers, given);
        if (errors.Count > 0) return (true, errors);

        var sheet = AnswerSheet.FromChecked(instrument, answers);
        var now = time.GetUtcNow().UtcDateTime;
        await using var change = await audit.BeginChangeAsync(ct);
        var row = await db.Screenings.SingleAsync(s => s.Id == id, ct);
        row.SealedAnswers = Seal(orgKeys, client, row, JsonSerializer.SerializeToUtf8Bytes(sheet.ToJson(), Json));
        row.UpdatedAt = now;
        if (complete)
        {
            row.SealedResult = Seal(orgKeys, client, row, JsonSerializer.SerializeToUtf8Bytes(new StoredResult(ScreeningEngine.Evaluate(sheet)), Json));
            row.Status = ScreeningStatus.Completed;
            row.CompletedAt = now;
        }
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(complete ? AuditEventType.ScreeningCompleted : AuditEventType.ScreeningAnswered,
            staff.UserId, staff.OrganizationId, client?.Id ?? id, "care"), ct);
        await change.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return (true, []);
    }

    /// <summary>The person chose to stop: the screening ends without a result; what they answered is kept.</summary>
    public async Task<bool> StopAsync(Staff staff, Guid id, CancellationToken ct = default)
    {
        if (await FindAsync(staff, id, ct) is not var (screening, client, _)) return false;
        if (screening.Status != ScreeningStatus.InProgress) return true;
        await using var change = await audit.BeginChangeAsync(ct);
        await db.Screenings.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, ScreeningStatus.Stopped)
            .SetProperty(s => s.UpdatedAt, time.GetUtcNow().UtcDateTime), ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ScreeningStopped, staff.UserId, staff.OrganizationId, client?.Id ?? id, "care"), ct);
        await change.CommitAsync(ct);
        return true;
    }

    /// <summary>Attaches an anonymous screening to a client: the answers and result are re-sealed with the client's key.</summary>
    public async Task<Dictionary<string, string[]>?> AttachAsync(Staff staff, Guid id, Guid? clientId, CancellationToken ct = default)
    {
        if (await FindAsync(staff, id, ct) is not var (screening, current, orgKeys)) return null;
        if (current is not null) return new() { ["ClientId"] = ["This screening already belongs to a client."] };
        if (clientId is not { } target || await records.FindForWorkAsync(staff, target, ct) is not { } client)
            return new() { ["ClientId"] = ["Choose a client whose record you may work on."] };
        await using var change = await audit.BeginChangeAsync(ct);
        var row = await db.Screenings.SingleAsync(s => s.Id == id, ct);
        var answers = Open(orgKeys, null, row, row.SealedAnswers);
        var result = row.SealedResult is null ? null : Open(orgKeys, null, row, row.SealedResult);
        row.ClientId = client.Id;
        row.WrappedKey = null;
        row.SealedAnswers = ClientRecords.SealFor(orgKeys, client, row.Id, answers);
        row.SealedResult = result is null ? null : ClientRecords.SealFor(orgKeys, client, row.Id, result);
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ScreeningAttached, staff.UserId, staff.OrganizationId, client.Id, "care"), ct);
        await change.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return [];
    }

    public async Task<IReadOnlyList<ScreeningSummary>?> ListForClientAsync(Staff staff, Guid clientId, CancellationToken ct = default)
    {
        if (await records.FindForWorkAsync(staff, clientId, ct) is null) return null;
        var rows = await db.Screenings.AsNoTracking().Where(s => s.ClientId == clientId && s.OrganizationId == staff.OrganizationId)
            .OrderByDescending(s => s.StartedAt).ToListAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ScreeningsListed, staff.UserId, staff.OrganizationId, clientId, "care"), ct);
        return rows.Select(Summarize).ToList();
    }

    /// <summary>Anonymous screenings this staff member may see (their own; every one for an org admin).</summary>
    public async Task<IReadOnlyList<ScreeningSummary>> ListAnonymousAsync(Staff staff, CancellationToken ct = default)
    {
        var query = db.Screenings.AsNoTracking().Where(s => s.ClientId == null && s.OrganizationId == staff.OrganizationId);
        if (!staff.IsOrgAdmin) query = query.Where(s => s.StartedBy == staff.UserId);
        var rows = await query.OrderByDescending(s => s.StartedAt).Take(200).ToListAsync(ct);
        return rows.Select(Summarize).ToList();
    }

    ScreeningSummary Summarize(Screening s) => new(s.Id, s.InstrumentId, s.InstrumentVersion,
        library.Instruments.TryGetValue(s.InstrumentId, out var i) ? Instrument.Text(i.File.Title, Instrument.English) : s.InstrumentId,
        s.Status, s.StartedAt, s.CompletedAt);

    /// <summary>Completed results of a client's screenings, for a disclosure the guard has already allowed.</summary>
    /// <summary>The needs the person named in their latest completed screening, to start a search for services from.</summary>
    public async Task<IReadOnlyList<string>> LatestNeedsAsync(Staff staff, Guid clientId, CancellationToken ct = default)
    {
        var client = await records.FindForWorkAsync(staff, clientId, ct);
        if (client is null) return [];
        var latest = await db.Screenings.AsNoTracking()
            .Where(s => s.ClientId == clientId && s.OrganizationId == staff.OrganizationId && s.Status == ScreeningStatus.Completed)
            .OrderByDescending(s => s.CompletedAt).FirstOrDefaultAsync(ct);
        if (latest is null) return [];
        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ScreeningViewed, staff.UserId, staff.OrganizationId, clientId, "care"), ct);
        return StoredResult.Read(ClientRecords.OpenFor(orgKeys, client, latest.Id, latest.SealedResult!)).Result.Needs;
    }

    internal static async Task<IReadOnlyList<ScreeningResult>> ResultsForDisclosureAsync(HavenDb db, OrganizationKeys orgKeys, Client client, CancellationToken ct)
    {
        var rows = await db.Screenings.AsNoTracking()
            .Where(s => s.ClientId == client.Id && s.OrganizationId == client.OrganizationId && s.Status == ScreeningStatus.Completed)
            .OrderBy(s => s.CompletedAt).ToListAsync(ct);
        return rows.Select(s => StoredResult.Read(ClientRecords.OpenFor(orgKeys, client, s.Id, s.SealedResult!)).Result).ToList();
    }

    async Task<(Screening Screening, Client? Client, OrganizationKeys Keys)?> FindAsync(Staff staff, Guid id, CancellationToken ct)
    {
        var screening = await db.Screenings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.OrganizationId == staff.OrganizationId, ct);
        if (screening is null) return null;
        Client? client = null;
        if (screening.ClientId is { } clientId)
        {
            if ((client = await records.FindForWorkAsync(staff, clientId, ct)) is null) return null;
        }
        else if (screening.StartedBy != staff.UserId && !staff.IsOrgAdmin) return null;
        return (screening, client, await keys.ForOrganizationAsync(db, staff.OrganizationId, ct));
    }

    static byte[] Seal(OrganizationKeys orgKeys, Client? client, Screening s, byte[] plaintext) => client is not null
        ? ClientRecords.SealFor(orgKeys, client, s.Id, plaintext)
        : Crypto.Seal(orgKeys.UnwrapClientKey(s.Id, s.WrappedKey!), plaintext, Crypto.Bind(s.Id));

    static byte[] Open(OrganizationKeys orgKeys, Client? client, Screening s, byte[] sealedData) => client is not null
        ? ClientRecords.OpenFor(orgKeys, client, s.Id, sealedData)
        : Crypto.Open(orgKeys.UnwrapClientKey(s.Id, s.WrappedKey!), sealedData, Crypto.Bind(s.Id));

    static string Describe(ScreeningStatus status) => status == ScreeningStatus.Completed ? "completed" : "stopped";
}
