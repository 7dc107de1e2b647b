using Haven.Features.Accounts;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Features.Conflicts;
using Haven.Features.Consent;
using Haven.Features.CourtProgram;
using Haven.Features.Deadlines;
using Haven.Features.Documents;
using Haven.Features.Matters;
using Haven.Features.Organizations;
using Haven.Features.Referrals;
using Haven.Features.Relief;
using Haven.Features.SafetyPlans;
using Haven.Features.Screening;
using Haven.Features.ServiceDirectory;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Haven.Data;

/// <summary>
/// The one database. Every tenant-owned table carries OrganizationId so the data can later be
/// distributed by organization. Provider-specific subclasses exist only to keep two migration sets.
/// </summary>
public abstract class HavenDb(DbContextOptions options) : IdentityDbContext<HavenUser>(options)
{
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Client> Clients => Set<Client>();
    public DbSet<ClientSearchToken> ClientSearchTokens => Set<ClientSearchToken>();
    public DbSet<BreakGlassAccess> BreakGlassAccesses => Set<BreakGlassAccess>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<AuditSubjectDay> AuditSubjectDays => Set<AuditSubjectDay>();
    public DbSet<ConsentGrant> ConsentGrants => Set<ConsentGrant>();
    public DbSet<Disclosure> Disclosures => Set<Disclosure>();
    public DbSet<Matter> Matters => Set<Matter>();
    public DbSet<Note> Notes => Set<Note>();
    public DbSet<SafetyPlan> SafetyPlans => Set<SafetyPlan>();
    public DbSet<ReliefFile> ReliefFiles => Set<ReliefFile>();
    public DbSet<CaseTask> CaseTasks => Set<CaseTask>();
    public DbSet<CalendarFeed> CalendarFeeds => Set<CalendarFeed>();
    public DbSet<MatterDocument> MatterDocuments => Set<MatterDocument>();
    public DbSet<AdverseParty> AdverseParties => Set<AdverseParty>();
    public DbSet<AdversePartyToken> AdversePartyTokens => Set<AdversePartyToken>();
    public DbSet<ConflictCheck> ConflictChecks => Set<ConflictCheck>();
    public DbSet<Screening> Screenings => Set<Screening>();
    public DbSet<CourtAppearance> CourtAppearances => Set<CourtAppearance>();
    public DbSet<DirectoryRecord> DirectoryRecords => Set<DirectoryRecord>();
    public DbSet<DirectoryLink> DirectoryLinks => Set<DirectoryLink>();
    public DbSet<DirectoryService> DirectoryServices => Set<DirectoryService>();
    public DbSet<DirectoryServiceTerm> DirectoryServiceTerms => Set<DirectoryServiceTerm>();
    public DbSet<DirectorySite> DirectorySites => Set<DirectorySite>();
    public DbSet<Referral> Referrals => Set<Referral>();
    public DbSet<ReferralChange> ReferralChanges => Set<ReferralChange>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);

        b.Entity<HavenUser>().HasIndex(u => u.OrganizationId);
        b.Entity<HavenUser>().Property(u => u.DisplayName).HasMaxLength(100);

        b.Entity<Organization>(e =>
        {
            e.Property(o => o.Name).HasMaxLength(200);
            e.HasIndex(o => o.Name).IsUnique();
            e.Property(o => o.MasterKeyFingerprint).HasMaxLength(16);
        });
        b.Entity<Team>(e =>
        {
            e.Property(t => t.Name).HasMaxLength(100);
            e.HasIndex(t => new { t.OrganizationId, t.Name }).IsUnique();
        });
        b.Entity<TeamMember>(e =>
        {
            e.HasKey(m => new { m.TeamId, m.UserId });
            e.HasIndex(m => new { m.OrganizationId, m.UserId });
        });
        b.Entity<ApiToken>(e =>
        {
            e.HasIndex(t => t.SecretHash).IsUnique();
            e.HasIndex(t => t.UserId);
        });
        b.Entity<Client>(e =>
        {
            e.Property(c => c.Reference).HasMaxLength(12);
            e.HasIndex(c => new { c.OrganizationId, c.Reference }).IsUnique();
            e.HasIndex(c => new { c.OrganizationId, c.TeamId, c.CreatedAt, c.Id });
            e.HasIndex(c => new { c.OrganizationId, c.CreatedAt, c.Id });
        });
        b.Entity<ClientSearchToken>(e =>
        {
            // Covering: conflict checks and searches group matches by client without reading the rows.
            e.HasIndex(t => new { t.OrganizationId, t.Kind, t.Hash, t.ClientId });
            e.HasIndex(t => t.ClientId);
        });
        b.Entity<BreakGlassAccess>(e =>
        {
            e.HasIndex(a => new { a.OrganizationId, a.ClientId, a.UserId });
            e.HasIndex(a => new { a.OrganizationId, a.At });
        });
        b.Entity<ConsentGrant>(e =>
        {
            e.HasIndex(g => new { g.OrganizationId, g.ClientId });
            e.Property(g => g.Language).HasMaxLength(12);
            e.Property(g => g.RecordedBy).HasMaxLength(64);
        });
        b.Entity<Disclosure>(e =>
        {
            e.HasIndex(d => new { d.OrganizationId, d.ClientId, d.At });
            e.Property(d => d.ActorId).HasMaxLength(64);
            e.Property(d => d.GrantIds).HasMaxLength(2000);
        });
        b.Entity<Matter>(e =>
        {
            e.HasIndex(m => new { m.OrganizationId, m.Number }).IsUnique();
            e.HasIndex(m => new { m.OrganizationId, m.ClientId });
            e.Ignore(m => m.Reference);
        });
        b.Entity<Note>(e =>
        {
            e.HasIndex(n => new { n.OrganizationId, n.MatterId, n.CreatedAt });
            e.HasIndex(n => n.ClientId);
            e.Property(n => n.AuthorId).HasMaxLength(64);
        });
        b.Entity<Screening>(e =>
        {
            e.HasIndex(s => new { s.OrganizationId, s.ClientId, s.StartedAt });
            e.HasIndex(s => new { s.OrganizationId, s.StartedBy, s.StartedAt });
            e.Property(s => s.InstrumentId).HasMaxLength(64);
            e.Property(s => s.InstrumentVersion).HasMaxLength(16);
            e.Property(s => s.Language).HasMaxLength(12);
            e.Property(s => s.StartedBy).HasMaxLength(64);
        });
        b.Entity<CourtAppearance>(e =>
        {
            e.HasIndex(a => new { a.OrganizationId, a.AppearsOn, a.CourtPart });
            e.HasIndex(a => a.ClientId);
            e.Property(a => a.CourtPart).HasMaxLength(40);
        });
        b.Entity<SafetyPlan>(e =>
        {
            e.HasIndex(p => new { p.OrganizationId, p.ClientId }).IsUnique();
            e.Property(p => p.UpdatedBy).HasMaxLength(64);
        });
        b.Entity<ReliefFile>(e =>
        {
            e.HasIndex(f => new { f.OrganizationId, f.ClientId }).IsUnique();
            e.Property(f => f.UpdatedBy).HasMaxLength(64);
        });
        b.Entity<CaseTask>(e =>
        {
            e.HasIndex(t => new { t.OrganizationId, t.AssigneeId, t.CompletedAt, t.DueAt });
            e.HasIndex(t => t.MatterId);
            e.HasIndex(t => t.ClientId);
            e.Property(t => t.AssigneeId).HasMaxLength(64);
            e.Property(t => t.CreatedBy).HasMaxLength(64);
            e.Property(t => t.Reminders).HasMaxLength(64);
        });
        b.Entity<CalendarFeed>(e =>
        {
            e.HasIndex(f => f.SecretHash).IsUnique();
            e.HasIndex(f => f.UserId);
            e.Property(f => f.UserId).HasMaxLength(64);
        });
        b.Entity<MatterDocument>(e =>
        {
            e.HasIndex(d => new { d.OrganizationId, d.MatterId });
            e.HasIndex(d => d.ClientId);
            e.Property(d => d.ContentType).HasMaxLength(100);
            e.Property(d => d.UploadedBy).HasMaxLength(64);
        });
        b.Entity<AdverseParty>(e =>
        {
            e.HasIndex(p => new { p.OrganizationId, p.MatterId });
            e.HasIndex(p => p.ClientId);
        });
        b.Entity<AdversePartyToken>(e =>
        {
            e.HasIndex(t => new { t.OrganizationId, t.Kind, t.Hash, t.PartyId });
            e.HasIndex(t => t.PartyId);
        });
        b.Entity<ConflictCheck>(e =>
        {
            e.HasIndex(c => new { c.OrganizationId, c.CheckedAt });
            e.Property(c => c.CheckedBy).HasMaxLength(64);
        });
        // The directory is shared by the whole network: no OrganizationId, HSDS ids as keys.
        b.Entity<DirectoryRecord>(e =>
        {
            e.HasKey(r => new { r.Table, r.Id });
            e.HasIndex(r => r.Id);
            e.Property(r => r.Table).HasMaxLength(32);
            e.Property(r => r.Id).HasMaxLength(100);
            e.Property(r => r.Area).HasMaxLength(200);
        });
        b.Entity<DirectoryLink>(e =>
        {
            e.HasKey(l => new { l.ParentId, l.ParentTable, l.Field, l.Table, l.Id });
            e.HasIndex(l => new { l.Table, l.Id });
            e.Property(l => l.ParentTable).HasMaxLength(32);
            e.Property(l => l.ParentId).HasMaxLength(100);
            e.Property(l => l.Field).HasMaxLength(32);
            e.Property(l => l.Table).HasMaxLength(32);
            e.Property(l => l.Id).HasMaxLength(100);
        });
        b.Entity<DirectoryService>(e =>
        {
            e.Property(s => s.Id).HasMaxLength(100);
            e.Property(s => s.OrganizationId).HasMaxLength(100);
            e.Property(s => s.Status).HasMaxLength(32);
            e.Property(s => s.CapacityUnit).HasMaxLength(32);
            e.HasIndex(s => new { s.OrganizationId, s.Id });
            e.HasIndex(s => new { s.Name, s.Id });
            e.HasIndex(s => new { s.ModifiedAt, s.Id });
            e.HasIndex(s => s.ListedBy);
        });
        b.Entity<DirectoryServiceTerm>(e =>
        {
            e.HasKey(t => new { t.ServiceId, t.TermId });
            e.HasIndex(t => new { t.TermId, t.ServiceId });
            e.HasIndex(t => new { t.TaxonomyId, t.ServiceId });
            e.Property(t => t.ServiceId).HasMaxLength(100);
            e.Property(t => t.TermId).HasMaxLength(100);
            e.Property(t => t.TaxonomyId).HasMaxLength(100);
        });
        b.Entity<DirectorySite>(e =>
        {
            e.Property(s => s.Id).HasMaxLength(100);
            e.Property(s => s.ServiceId).HasMaxLength(100);
            e.Property(s => s.LocationId).HasMaxLength(100);
            e.Property(s => s.Postcode).HasMaxLength(20);
            e.Property(s => s.Area).HasMaxLength(200);
            e.HasIndex(s => new { s.Cell, s.ServiceId });
            e.HasIndex(s => new { s.Postcode, s.Latitude, s.Longitude });
            e.HasIndex(s => s.ServiceId);
            e.HasIndex(s => s.LocationId);
            // Safe houses are matched by their general area, having no coordinates. Area comes first: a bare boolean
            // test on Confidential cannot seek an index.
            e.HasIndex(s => new { s.Area, s.Confidential });
        });
        b.Entity<Referral>(e =>
        {
            e.HasIndex(r => new { r.OrganizationId, r.ClientId, r.CreatedAt });
            e.HasIndex(r => new { r.ReceivingOrganizationId, r.UpdatedAt });
            e.HasIndex(r => r.ClientId);
            e.Property(r => r.CreatedBy).HasMaxLength(64);
            e.Property(r => r.ServiceId).HasMaxLength(100);
            e.Property(r => r.ServiceName).HasMaxLength(500);
        });
        b.Entity<ReferralChange>(e => e.HasIndex(c => new { c.ReferralId, c.Id }));
        b.Entity<AuditEvent>(e =>
        {
            e.HasKey(a => a.Seq);
            e.Property(a => a.Seq).ValueGeneratedNever();
            e.Property(a => a.ActorId).HasMaxLength(64);
            e.Property(a => a.Purpose).HasMaxLength(32);
            e.Ignore(a => a.At);
            e.HasIndex(a => new { a.OrganizationId, a.Seq });
            e.HasIndex(a => new { a.SubjectId, a.Seq });
        });
        b.Entity<AuditSubjectDay>(e =>
        {
            e.HasKey(d => new { d.SubjectId, d.Day, d.ActorId, d.Type });
            e.Property(d => d.ActorId).HasMaxLength(64);
        });
    }
}

public sealed class SqliteHavenDb(DbContextOptions<SqliteHavenDb> options) : HavenDb(options);

public sealed class PostgresHavenDb(DbContextOptions<PostgresHavenDb> options) : HavenDb(options);
