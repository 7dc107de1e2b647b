using System.Security.Cryptography;
using System.Text;
using Haven.Data;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Security;
using Microsoft.EntityFrameworkCore;

namespace Haven.Features.Deadlines;

public sealed record TaskInput(TaskKind? Kind, DateTime? DueAt, string? AssigneeId, List<int>? ReminderDays, string? Details);

/// <summary>One line of "my deadlines": what, when, on which matter, and how urgent.</summary>
public sealed record DeadlineView(Guid Id, TaskKind Kind, DateTime DueAt, Guid MatterId, string MatterReference, Guid ClientId, string ClientReference,
    string? Details, IReadOnlyList<int> ReminderDays, DateTime? CompletedAt)
{
    public bool Overdue(DateTime now) => CompletedAt is null && DueAt < now;
    /// <summary>A reminder day has been reached and the task is not yet due.</summary>
    public bool Reminding(DateTime now) => CompletedAt is null && DueAt >= now && ReminderDays.Any(d => now >= DueAt.AddDays(-d));
}

/// <summary>Tasks and deadlines on matters, the "my deadlines" list, and per-user calendar feeds.</summary>
public sealed class Deadlines(HavenDb db, KeyRing keys, AuditLog audit, ClientRecords records, Matters.Matters matters, TimeProvider time)
{
    public const int DetailsMax = 1_000;
    public static readonly int[] AllowedReminderDays = [0, 1, 2, 3, 7, 14, 30];

    public async Task<SaveResult?> AddAsync(Staff staff, Guid matterId, TaskInput input, CancellationToken ct = default)
    {
        if (await matters.FindForWorkAsync(staff, matterId, ct) is not { } found) return null;
        var (matter, client, _) = found;
        var errors = new Dictionary<string, string[]>();
        if (input.Kind is not { } kind || !Enum.IsDefined(kind)) errors["Kind"] = ["Choose the kind: court date, filing deadline, appointment or follow-up."];
        var now = time.GetUtcNow().UtcDateTime;
        if (input.DueAt is not { } due) errors["DueAt"] = ["Due date and time are required."];
        else if (due < now.AddYears(-1) || due > now.AddYears(10)) errors["DueAt"] = ["Due date must be within a year before and ten years after today."];
        var assignee = string.IsNullOrWhiteSpace(input.AssigneeId) ? staff.UserId : input.AssigneeId;
        if (!await db.Users.AnyAsync(u => u.Id == assignee && u.OrganizationId == staff.OrganizationId, ct))
            errors["AssigneeId"] = ["Assign it to a colleague in your organization."];
        var reminders = (input.ReminderDays ?? []).Distinct().Order().ToList();
        if (reminders.Any(d => !AllowedReminderDays.Contains(d)))
            errors["ReminderDays"] = [$"Reminders can be {string.Join(", ", AllowedReminderDays)} days before."];
        var details = string.IsNullOrWhiteSpace(input.Details) ? null : input.Details.Trim();
        if (details?.Length > DetailsMax) errors["Details"] = [$"Details must be at most {DetailsMax:N0} characters."];
        if (errors.Count > 0) return new SaveResult(null, errors);

        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        var task = new CaseTask
        {
            OrganizationId = staff.OrganizationId,
            ClientId = client.Id,
            MatterId = matter.Id,
            Kind = input.Kind!.Value,
            DueAt = DateTime.SpecifyKind(input.DueAt!.Value, DateTimeKind.Utc),
            AssigneeId = assignee!,
            Reminders = string.Join(',', reminders),
            CreatedBy = staff.UserId,
            CreatedAt = now,
        };
        if (details is not null) task.SealedDetails = ClientRecords.SealFor(orgKeys, client, task.Id, Encoding.UTF8.GetBytes(details));
        await using var change = await audit.BeginChangeAsync(ct);
        db.CaseTasks.Add(task);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.TaskCreated, staff.UserId, staff.OrganizationId, client.Id, "care"), ct);
        await change.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new SaveResult(task.Id, []);
    }

    public async Task<bool> CompleteAsync(Staff staff, Guid taskId, CancellationToken ct = default)
    {
        var task = await db.CaseTasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == taskId && t.OrganizationId == staff.OrganizationId, ct);
        if (task is null || (task.AssigneeId != staff.UserId && await records.FindForWorkAsync(staff, task.ClientId, ct) is null)) return false;
        await using var change = await audit.BeginChangeAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        await db.CaseTasks.Where(t => t.Id == taskId && t.CompletedAt == null).ExecuteUpdateAsync(u => u.SetProperty(t => t.CompletedAt, now), ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.TaskCompleted, staff.UserId, staff.OrganizationId, task.ClientId, "care"), ct);
        await change.CommitAsync(ct);
        return true;
    }

    /// <summary>The staff member's open tasks, most urgent first (the earliest due, so overdue ones lead).</summary>
    public async Task<IReadOnlyList<DeadlineView>> MineAsync(Staff staff, CancellationToken ct = default)
    {
        var views = await ViewsAsync(staff, db.CaseTasks.Where(t => t.OrganizationId == staff.OrganizationId && t.AssigneeId == staff.UserId && t.CompletedAt == null), ct);
        if (views.Count > 0)
            await audit.RecordAsync(AuditEntry.AboutMany(AuditEventType.TasksViewed, staff.UserId, staff.OrganizationId, views.Select(v => v.ClientId), "care"), ct);
        return views;
    }

    /// <summary>The tasks of one matter, for its page (whose view is audited there).</summary>
    public async Task<IReadOnlyList<DeadlineView>> ForMatterAsync(Staff staff, Guid matterId, CancellationToken ct = default) =>
        await ViewsAsync(staff, db.CaseTasks.Where(t => t.OrganizationId == staff.OrganizationId && t.MatterId == matterId), ct);

    async Task<IReadOnlyList<DeadlineView>> ViewsAsync(Staff staff, IQueryable<CaseTask> tasks, CancellationToken ct)
    {
        var rows = await (from t in tasks.AsNoTracking()
                          join m in db.Matters on t.MatterId equals m.Id
                          join c in db.Clients on t.ClientId equals c.Id
                          orderby t.DueAt
                          select new { Task = t, m.Number, c.Reference, c.WrappedKey }).Take(500).ToListAsync(ct);
        var orgKeys = await keys.ForOrganizationAsync(db, staff.OrganizationId, ct);
        return rows.Select(r => new DeadlineView(r.Task.Id, r.Task.Kind, r.Task.DueAt, r.Task.MatterId, $"M-{r.Number}", r.Task.ClientId, r.Reference,
            r.Task.SealedDetails is null ? null
                : Encoding.UTF8.GetString(Crypto.Open(orgKeys.UnwrapClientKey(r.Task.ClientId, r.WrappedKey), r.Task.SealedDetails, Crypto.Bind(r.Task.Id))),
            ParseReminders(r.Task.Reminders), r.Task.CompletedAt)).ToList();
    }

    public static IReadOnlyList<int> ParseReminders(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();

    // Calendar feeds: the secret is in the URL, so only its hash is stored, and it can be revoked.

    public async Task<string> NewFeedAsync(Staff staff, CancellationToken ct = default)
    {
        var secret = "cal_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        await using var change = await audit.BeginChangeAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        await db.CalendarFeeds.Where(f => f.UserId == staff.UserId && f.RevokedAt == null).ExecuteUpdateAsync(u => u.SetProperty(f => f.RevokedAt, now), ct);
        db.CalendarFeeds.Add(new CalendarFeed { OrganizationId = staff.OrganizationId, UserId = staff.UserId, SecretHash = Hash(secret), CreatedAt = now });
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.CalendarFeedCreated, staff.UserId, staff.OrganizationId, null), ct);
        await change.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return secret;
    }

    public async Task<bool> HasFeedAsync(Staff staff, CancellationToken ct = default) =>
        await db.CalendarFeeds.AnyAsync(f => f.UserId == staff.UserId && f.RevokedAt == null, ct);

    public async Task RevokeFeedAsync(Staff staff, CancellationToken ct = default)
    {
        await using var change = await audit.BeginChangeAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var count = await db.CalendarFeeds.Where(f => f.UserId == staff.UserId && f.RevokedAt == null).ExecuteUpdateAsync(u => u.SetProperty(f => f.RevokedAt, now), ct);
        if (count > 0) await audit.RecordAsync(new AuditEntry(AuditEventType.CalendarFeedRevoked, staff.UserId, staff.OrganizationId, null), ct);
        await change.CommitAsync(ct);
    }

    public enum FeedStatus { Unknown, Revoked, Ok }

    /// <summary>The calendar for a feed secret: kinds, times and matter numbers only, never names or details.</summary>
    public async Task<(FeedStatus Status, string? Calendar)> FeedAsync(string secret, CancellationToken ct = default)
    {
        if (secret.Length is < 10 or > 100) return (FeedStatus.Unknown, null);
        var hash = Hash(secret);
        var feed = await db.CalendarFeeds.AsNoTracking().SingleOrDefaultAsync(f => f.SecretHash == hash, ct);
        if (feed is null) return (FeedStatus.Unknown, null);
        if (feed.RevokedAt is not null) return (FeedStatus.Revoked, null);
        var since = time.GetUtcNow().UtcDateTime.AddDays(-30);
        var rows = await (from t in db.CaseTasks.AsNoTracking()
                          where t.OrganizationId == feed.OrganizationId && t.AssigneeId == feed.UserId && t.CompletedAt == null && t.DueAt >= since
                          join m in db.Matters on t.MatterId equals m.Id
                          orderby t.DueAt
                          select new { t.Id, t.Kind, t.DueAt, t.Reminders, m.Number }).Take(2000).ToListAsync(ct);
        await audit.RecordAsync(new AuditEntry(AuditEventType.CalendarFeedRead, feed.UserId, feed.OrganizationId, null, "calendar"), ct);
        return (FeedStatus.Ok, CalendarFeedWriter.Write(rows.Select(r => new FeedEntry(r.Id, r.Kind, r.DueAt, $"M-{r.Number}", ParseReminders(r.Reminders)))));
    }

    static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
