using System.Text.Json;
using System.Text.Json.Serialization;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Features.Deadlines;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Relief;

public sealed record ChargeView(ChargeRecord Charge, IReadOnlyList<ReliefFinding> Findings);

public sealed record ReliefView(Guid ClientId, string ClientReference, DateOnly AsOf, IReadOnlyList<ChargeView> Charges,
    IReadOnlyDictionary<string, string> Facts, IReadOnlyList<OptionResult> Options, IReadOnlyList<PlanStep> Plan, IReadOnlyList<FoundDeadline> Deadlines);

/// <summary>A date the screeners found, ready to become a task on a matter.</summary>
public sealed record FoundDeadline(DateOnly Due, string What, string Source, bool Filing);

/// <summary>
/// A client's relief file: charges entered by hand or imported from the record CSV, immigration facts, the plan,
/// and both screeners run on them as of today. Visible to whoever may work on the client; every read and write audited.
/// </summary>
public sealed class ReliefFiles(HavenDb db, KeyRing keys, AuditLog audit, ClientRecords records, Deadlines.Deadlines deadlines, TimeProvider time, IConfiguration configuration)
{
    public const int MaxCharges = 500;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public async Task<ReliefView?> GetAsync(Staff staff, Guid clientId, CancellationToken ct = default)
    {
        if (await LoadAsync(staff, clientId, ct) is not { } loaded) return null;
        await audit.RecordAsync(new AuditEntry(AuditEventType.ReliefViewed, staff.UserId, staff.OrganizationId, clientId, "care"), ct);
        var (client, content, details) = loaded;
        var engine = ReliefRuleFiles.BuiltIn;
        var findings = engine.Evaluate(content.Charges, Today, details.DateOfBirth).ToLookup(f => f.RecordId);
        var options = ImmigrationOptions.BuiltIn.Evaluate(content.Facts, Today);
        var found = findings.SelectMany(g => g).Where(f => f.Deadline is not null)
                .Select(f => new FoundDeadline(f.Deadline!.Due, f.Deadline.What, $"{f.Relief} ({f.RecordId})", Filing: false))
            .Concat(options.Where(o => o.Outcome != OptionOutcome.NotMet).SelectMany(o => o.Deadlines.Select(d => new FoundDeadline(d.Due, d.What, o.Id, Filing: true))))
            .OrderBy(d => d.Due).ToList();
        return new ReliefView(clientId, client.Reference, Today, [.. content.Charges.Select(c => new ChargeView(c, [.. findings[c.RecordId]]))],
            content.Facts, options, content.Plan, found);
    }

    /// <summary>Adds a charge, or replaces the one with the same record id. Checked exactly as a CSV row.</summary>
    public async Task<SaveResult?> SaveChargeAsync(Staff staff, Guid clientId, IReadOnlyDictionary<string, string?> fields, CancellationToken ct = default)
    {
        var values = fields.ToDictionary(f => f.Key, f => f.Value);
        values["person_ref"] = "client";
        var (charge, error) = RecordCsv.ReadOne(values, Today, ReliefRuleFiles.BuiltIn.KnowsSection);
        if (charge is null) return Invalid("charge", error!);
        return await ChangeAsync(staff, clientId, c => Upsert(c, [charge]), ct);
    }

    /// <summary>Imports charges from a record CSV for this one client: all rows or none.</summary>
    public async Task<SaveResult?> ImportAsync(Staff staff, Guid clientId, Stream csv, CancellationToken ct = default)
    {
        var charges = new List<ChargeRecord>();
        var problems = new List<string>();
        try
        {
            using var reader = RecordCsv.OpenText(csv);
            foreach (var row in RecordCsv.Read(reader, Today, ReliefRuleFiles.BuiltIn.KnowsSection))
            {
                if (row.Record is { } r) charges.Add(r with { PersonRef = "client" });
                else problems.Add(row.Error!);
                if (problems.Count >= 20) break;
            }
            if (charges.Count == 0 && problems.Count == 0) problems.Add("The file has a header but no charges.");
        }
        catch (RecordCsvException e) { problems.Add(e.Message); }
        if (problems.Count > 0) return new SaveResult(null, new() { ["file"] = [.. problems.Prepend("Nothing was imported.")] });
        if (charges.GroupBy(c => c.RecordId).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return Invalid("file", $"record_id {twice.Key} is in the file twice. Nothing was imported.");
        return await ChangeAsync(staff, clientId, c => Upsert(c, charges), ct);
    }

    public async Task<SaveResult?> RemoveChargeAsync(Staff staff, Guid clientId, string recordId, CancellationToken ct = default) =>
        await ChangeAsync(staff, clientId, c => c.Charges.RemoveAll(x => x.RecordId == recordId) == 0
            ? $"There is no charge {recordId}." : null, ct);

    public async Task<SaveResult?> SaveFactsAsync(Staff staff, Guid clientId, IReadOnlyDictionary<string, string> facts, CancellationToken ct = default)
    {
        var problems = ImmigrationOptions.BuiltIn.Problems(facts, Today);
        if (problems.Count > 0) return new SaveResult(null, problems.ToDictionary(p => p.Key, p => new[] { p.Value }));
        return await ChangeAsync(staff, clientId, c =>
        {
            c.Facts.Clear();
            foreach (var (id, value) in facts.Where(f => f.Value != "unknown")) c.Facts[id] = value;
            return null;
        }, ct);
    }

    public async Task<SaveResult?> SavePlanAsync(Staff staff, Guid clientId, PlanStep step, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(step.Status)) return Invalid("status", "Choose pursue, filed, granted, denied or not pursuing.");
        var known = ReliefRuleFiles.BuiltIn.Files.SelectMany(f => f.Reliefs).Select(r => r.Id).Concat(ImmigrationOptions.BuiltIn.Rules.Options.Select(o => o.Id));
        if (!known.Contains(step.Relief)) return Invalid("relief", $"'{step.Relief}' is not a relief the rules know.");
        return await ChangeAsync(staff, clientId, c =>
        {
            if (step.RecordId is not null && c.Charges.All(x => x.RecordId != step.RecordId)) return $"There is no charge {step.RecordId}.";
            c.Plan.RemoveAll(p => p.Relief == step.Relief && p.RecordId == step.RecordId);
            c.Plan.Add(step);
            return null;
        }, ct);
    }

    /// <summary>Makes each deadline found into a task on the matter, once: a task with the same date and words is not added again.</summary>
    public async Task<(int Added, SaveResult? Problem)?> AddDeadlinesAsync(Staff staff, Guid clientId, Guid matterId, CancellationToken ct = default)
    {
        if (await GetAsync(staff, clientId, ct) is not { } view) return null;
        if (!await db.Matters.AnyAsync(m => m.Id == matterId && m.ClientId == clientId && m.OrganizationId == staff.OrganizationId, ct))
            return (0, Invalid("matterId", "Choose one of this client's matters."));
        var existing = await deadlines.ForMatterAsync(staff, matterId, ct);
        var added = 0;
        foreach (var d in view.Deadlines.Where(d => d.Due >= view.AsOf))
        {
            var details = $"{d.What} — {d.Source}";
            var due = d.Due.ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc);
            if (existing.Any(e => e.DueAt == due && e.Details == details)) continue;
            var saved = await deadlines.AddAsync(staff, matterId, new TaskInput(d.Filing ? TaskKind.FilingDeadline : TaskKind.FollowUp, due, null, [7, 30], details), ct);
            if (saved is null || !saved.Ok) return (added, saved);
            added++;
        }
        return (added, null);
    }

    /// <summary>A draft filing filled from the file and the client's legal name, audited; or the reason there can be none.</summary>
    public async Task<(byte[]? Docx, string? Problem)?> DraftAsync(Staff staff, Guid clientId, string kind, CancellationToken ct = default)
    {
        if (!DraftFilings.Kinds.ContainsKey(kind)) return (null, $"'{kind}' is not a draft Haven writes; use {string.Join(" or ", DraftFilings.Kinds.Keys)}.");
        if (await LoadAsync(staff, clientId, ct) is not { } loaded) return null;
        var (_, content, details) = loaded;
        if (string.IsNullOrWhiteSpace(details.LegalName)) return (null, "Record the client's legal name on their details first: a filing needs it.");
        List<(ChargeRecord, ReliefFinding)> charges = [];
        OptionResult? tVisa = null;
        if (kind == "vacatur-motion")
        {
            var findings = ReliefRuleFiles.BuiltIn.Evaluate(content.Charges, Today, details.DateOfBirth)
                .Where(f => f.Relief == "ny-vacatur" && f.Outcome is ReliefOutcome.Eligible or ReliefOutcome.NeedsReview).ToDictionary(f => f.RecordId);
            charges = [.. content.Charges.Where(c => findings.ContainsKey(c.RecordId)).Select(c => (c, findings[c.RecordId]))];
            if (charges.Count == 0) return (null, "No conviction in the file can be vacated under CPL 440.10(1)(i) on what is recorded.");
        }
        else
        {
            tVisa = ImmigrationOptions.BuiltIn.Evaluate(content.Facts, Today).Single(o => o.Id == "t-visa");
            if (tVisa.Outcome == OptionOutcome.NotMet) return (null, "The recorded facts do not meet the T visa's elements.");
        }
        var organization = await db.Organizations.Where(o => o.Id == staff.OrganizationId).Select(o => o.Name).SingleAsync(ct);
        var attorney = await db.Users.Where(u => u.Id == staff.UserId).Select(u => u.DisplayName).SingleAsync(ct);
        var template = DraftFilings.Template(HavenHost.DataDirectory(configuration), staff.OrganizationId, kind);
        var docx = DraftFilings.Fill(template, new DraftCase(details.LegalName, details.ChosenName, details.DateOfBirth, organization, attorney ?? "[attorney]", Today, charges, tVisa));
        await audit.RecordAsync(new AuditEntry(AuditEventType.ReliefDraftDownloaded, staff.UserId, staff.OrganizationId, clientId, "care"), ct);
        return (docx, null);
    }

    static SaveResult Invalid(string field, string message) => new(null, new() { [field] = [message] });

    static string? Upsert(ReliefFileContent content, List<ChargeRecord> charges)
    {
        foreach (var charge in charges)
        {
            var at = content.Charges.FindIndex(c => c.RecordId == charge.RecordId);
            if (at >= 0) content.Charges[at] = charge;
            else content.Charges.Add(charge);
        }
        return content.Charges.Count > MaxCharges ? $"A client's file holds at most {MaxCharges} charges." : null;
    }

    async Task<(Client Client, ReliefFileContent Content, ClientDetails Details)?> LoadAsync(Staff staff, Guid clientId, CancellationToken ct)
    {
        var client = await records.FindForWorkAsync(staff, clientId, ct);
        if (client is null) return null;
        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var file = await db.ReliefFiles.AsNoTracking().SingleOrDefaultAsync(f => f.ClientId == clientId && f.OrganizationId == staff.OrganizationId, ct);
        return (client, Open(orgKeys, client, file), ClientRecords.Open(orgKeys, client));
    }

    static ReliefFileContent Open(OrganizationKeys orgKeys, Client client, ReliefFile? file) => file is null ? new ReliefFileContent()
        : JsonSerializer.Deserialize<ReliefFileContent>(ClientRecords.OpenFor(orgKeys, client, file.Id, file.SealedContent), Json)!;

    /// <summary>
    /// Reads the file, applies one change (which may refuse with a message), seals and saves it, audited. The read is
    /// inside the audited change, so two edits of one file at once cannot lose either.
    /// </summary>
    async Task<SaveResult?> ChangeAsync(Staff staff, Guid clientId, Func<ReliefFileContent, string?> change, CancellationToken ct)
    {
        var client = await records.FindForWorkAsync(staff, clientId, ct);
        if (client is null) return null;
        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        await using var transaction = await audit.BeginChangeAsync(ct);
        var file = await db.ReliefFiles.SingleOrDefaultAsync(f => f.ClientId == clientId && f.OrganizationId == staff.OrganizationId, ct);
        var content = Open(orgKeys, client, file);
        if (change(content) is { } refused) return Invalid("relief", refused);
        if (file is null)
        {
            file = new ReliefFile { OrganizationId = staff.OrganizationId, ClientId = clientId, SealedContent = [], UpdatedBy = staff.UserId };
            db.ReliefFiles.Add(file);
        }
        file.SealedContent = ClientRecords.SealFor(orgKeys, client, file.Id, JsonSerializer.SerializeToUtf8Bytes(content, Json));
        file.UpdatedBy = staff.UserId;
        file.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.ReliefUpdated, staff.UserId, staff.OrganizationId, clientId, "care"), ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new SaveResult(file.Id, []);
    }
}
