namespace Haven.Features.Audit;

/// <summary>
/// One link of the append-only, hash-chained audit log. Holds ids and codes only, never personal data.
/// </summary>
public sealed class AuditEvent
{
    /// <summary>Position in the chain, assigned by the log (1, 2, 3, ...).</summary>
    public long Seq { get; set; }
    /// <summary>Unix time in milliseconds (sortable on every provider).</summary>
    public long AtMs { get; set; }
    public AuditEventType Type { get; set; }
    public string? ActorId { get; set; }
    public Guid? OrganizationId { get; set; }
    public Guid? SubjectId { get; set; }
    /// <summary>The clients of an event about many (a list page, search hits): their ids, 16 bytes each, sorted,
    /// covered by the hash. Null for other events. <see cref="AuditSubjectDay"/> counts them by client.</summary>
    public byte[]? Subjects { get; set; }

    public static byte[] Pack(IReadOnlyList<Guid> sortedIds)
    {
        var bytes = new byte[16 * sortedIds.Count];
        for (var i = 0; i < sortedIds.Count; i++) sortedIds[i].TryWriteBytes(bytes.AsSpan(16 * i));
        return bytes;
    }

    public static IEnumerable<Guid> Unpack(byte[] subjects)
    {
        for (var at = 0; at + 16 <= subjects.Length; at += 16) yield return new Guid(subjects.AsSpan(at, 16));
    }
    /// <summary>A short purpose code ("care", "break-glass", "cli"), never free text.</summary>
    public string? Purpose { get; set; }
    public required byte[] PreviousHash { get; set; }
    public required byte[] Hash { get; set; }

    public DateTime At => DateTimeOffset.FromUnixTimeMilliseconds(AtMs).UtcDateTime;
}

/// <summary>
/// How often one staff member's events of one kind about many clients (list pages, search hits) included one
/// client on one day, so "who has seen my data" and the audit browser find them. Updated in place as events are
/// written, so a client listed all day is one row, not one per view. Derived from <see cref="AuditEvent.Subjects"/>;
/// not part of the chain.
/// </summary>
public sealed class AuditSubjectDay
{
    public Guid SubjectId { get; set; }
    /// <summary>Days since 1970-01-01 UTC.</summary>
    public int Day { get; set; }
    /// <summary>The staff member; empty for the system (a key must not be null).</summary>
    public string ActorId { get; set; } = "";
    public AuditEventType Type { get; set; }
    public int Count { get; set; }
    public long FirstSeq { get; set; }
    public long LastSeq { get; set; }
    public long FirstAtMs { get; set; }
    public long LastAtMs { get; set; }

    public static int DayOf(long atMs) => (int)(atMs / 86_400_000);
}

/// <summary>Stable numeric event types, a block of 100 per feature. Never renumber.</summary>
public enum AuditEventType
{
    // Accounts 100–199
    SignedIn = 100,
    SignInFailed = 101,
    SignedOut = 102,
    SignedOutEverywhere = 103,
    SecondFactorEnrolled = 104,
    ApiTokenCreated = 105,
    ApiTokenRevoked = 106,
    UserCreated = 107,
    ApiTokenRejected = 108,
    // Organizations 200–299
    OrganizationCreated = 200,
    OrganizationUpdated = 201,
    // Clients 300–399
    ClientViewed = 300,
    ClientListed = 301,
    ClientCreated = 302,
    ClientUpdated = 303,
    ClientShredded = 304,
    ClientFoundBySearch = 305,
    BreakGlassOpened = 306,
    ClientAccessDenied = 307,
    // Consent and disclosures 400–499
    ConsentRecorded = 400,
    ConsentRevoked = 401,
    ConsentsViewed = 402,
    DisclosureAllowed = 403,
    DisclosureRefused = 404,
    DisclosureRecordViewed = 405,
    // Matters and notes 500–599
    MatterOpened = 500,
    MatterUpdated = 501,
    MatterViewed = 502,
    MattersListed = 503,
    NoteWritten = 504,
    NotesRead = 505,
    // Safety plans 600–699
    SafetyPlanViewed = 600,
    SafetyPlanUpdated = 601,
    // Deadlines and calendars 700–799
    TaskCreated = 700,
    TaskCompleted = 701,
    TasksViewed = 702,
    CalendarFeedCreated = 703,
    CalendarFeedRevoked = 704,
    CalendarFeedRead = 705,
    // Documents 800–899
    DocumentUploaded = 800,
    DocumentDownloaded = 801,
    // Conflict checks 900–999
    AdversePartyAdded = 900,
    ConflictCheckRun = 901,
    ConflictCheckDecided = 902,
    ClientFoundByConflictCheck = 903,
    // Screening 1000–1099
    ScreeningStarted = 1000,
    ScreeningViewed = 1001,
    ScreeningAnswered = 1002,
    ScreeningCompleted = 1003,
    ScreeningStopped = 1004,
    ScreeningAttached = 1005,
    ScreeningsListed = 1006,
    ScreeningReevaluated = 1007,
    // Court program 1100–1199
    CourtAppearanceAdded = 1100,
    CourtCalendarViewed = 1101,
    CourtOutcomeRecorded = 1102,
    // Audit 1200–1299
    AuditLogViewed = 1200,
    AuditLogVerified = 1201,
    // Operations 1300–1399
    MasterKeyRotated = 1300,
    BackupTaken = 1301,
    BackupRestored = 1302,
    DataSeeded = 1303,
    // Directory 1400–1499
    DirectoryImported = 1400,
    DirectoryExported = 1401,
    ListingUpdated = 1402,
    CapacityUpdated = 1403,
    ListingVerified = 1404,
    // Referrals 1500–1599
    ReferralDrafted = 1500,
    ReferralSent = 1501,
    ReferralViewed = 1502,
    ReferralStatusChanged = 1503,
    ReferralRecordedByHand = 1504,
    ReferralPacketPreviewed = 1505,
    ReferralsListed = 1506,
    // Legal relief 1600–1699
    ReliefViewed = 1600,
    ReliefUpdated = 1601,
    ReliefDraftDownloaded = 1602,
}
