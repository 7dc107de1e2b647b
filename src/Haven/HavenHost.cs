using Haven.Data;
using Haven.Features.Accounts;
using Haven.Features.Audit;
using Haven.Features.Clients;
using Haven.Features.Conflicts;
using Haven.Features.Consent;
using Haven.Features.Deadlines;
using Haven.Features.Documents;
using Haven.Features.Matters;
using Haven.Features.Operations;
using Haven.Features.Organizations;
using Haven.Features.SafetyPlans;
using Haven.Features.Screening;
using Haven.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;

namespace Haven;

/// <summary>Service registration shared by the web host and the command-line verbs.</summary>
public static class HavenHost
{
    /// <summary>The data directory: Haven:DataDirectory, or ./data under the current directory.</summary>
    public static string DataDirectory(IConfiguration configuration) =>
        Path.GetFullPath(configuration["Haven:DataDirectory"] ?? Path.Combine(Directory.GetCurrentDirectory(), "data"));

    public static void AddHavenCore(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var provider = DatabaseSetup.ProviderFrom(configuration);
        var dataDirectory = DataDirectory(configuration);
        OwnerOnly.Apply(dataDirectory);
        var keyOptions = new KeyOptions();
        configuration.GetSection("Keys").Bind(keyOptions);
        keyOptions.MasterKey ??= configuration["HAVEN_MASTER_KEY"];
        var store = new MasterKeyStore(dataDirectory, keyOptions);
        if (builder.Environment.IsProduction() && !store.IsConfigured)
            throw new MasterKeyException("Production refuses to start without a master key: set HAVEN_MASTER_KEY or Keys:MasterKeyFile to an existing key file (see docs/operations.md).");

        builder.Services.AddSingleton(TimeProvider.System);
        // Cookie and antiforgery keys live with the data, not in the service account's home directory, sealed under
        // the master key.
        builder.Services.AddDataProtection().SetApplicationName("Haven")
            .PersistKeysToFileSystem(new DirectoryInfo(store.KeyRingFolder));
        builder.Services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure<MasterKeyStore>((o, keys) => o.XmlEncryptor = new KeyRingEncryptor(keys));
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton<KeyRing>();
        builder.Services.AddSingleton<ShredLedger>();
        var backupOptions = new BackupOptions();
        try { configuration.GetSection("Backups").Bind(backupOptions); }
        catch (InvalidOperationException) { throw new HavenException($"Backups:RetentionDays is '{configuration["Backups:RetentionDays"]}'; it must be a whole number of days from 1 to 3650."); }
        if (backupOptions.RetentionDays is < 1 or > 3650)
            throw new HavenException($"Backups:RetentionDays is {backupOptions.RetentionDays}; it must be a number of days from 1 to 3650.");
        builder.Services.AddSingleton(backupOptions);
        builder.Services.AddSingleton<BackupKeys>();
        builder.Services.AddHavenDatabase(provider, DatabaseSetup.ConnectionStringFrom(configuration, provider, dataDirectory));
        builder.Services.AddAccounts(configuration, builder.Environment);
        builder.Services.AddSingleton<AuditAnchor>();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<AuditBrowser>();
        builder.Services.AddScoped<StaffDirectory>();
        builder.Services.AddScoped<Network>();
        builder.Services.AddScoped<ClientRecords>();
        builder.Services.AddScoped<Consents>();
        builder.Services.AddScoped<Disclosures>();
        builder.Services.AddScoped<DisclosureRecords>();
        builder.Services.AddScoped<Matters>();
        builder.Services.AddScoped<SafetyPlans>();
        builder.Services.AddScoped<Features.Relief.ReliefFiles>();
        builder.Services.AddScoped<Deadlines>();
        builder.Services.AddScoped<Documents>();
        builder.Services.AddScoped<Conflicts>();
        builder.Services.AddSingleton(_ => InstrumentLibrary.LoadDirectory(InstrumentLibrary.BuiltInDirectory));
        builder.Services.AddScoped<Screenings>();
        builder.Services.AddScoped<Haven.Features.CourtProgram.CourtCalendar>();
        builder.Services.AddMemoryCache();
        builder.Services.AddScoped<Haven.Features.ServiceDirectory.DirectoryImport>();
        builder.Services.AddScoped<Haven.Features.ServiceDirectory.DirectoryExport>();
        builder.Services.AddScoped<Haven.Features.ServiceDirectory.DirectoryReader>();
        builder.Services.AddScoped<Haven.Features.ServiceDirectory.ServiceMatching>();
        builder.Services.AddScoped<Haven.Features.ServiceDirectory.Listings>();
        builder.Services.AddScoped<Haven.Features.Referrals.Referrals>();
        builder.Services.AddSingleton<VirusScan>();
        builder.Services.AddScoped<Seeding>();
        builder.Services.AddScoped<Backups>();
        builder.Services.AddScoped<KeyRotation>();

        // Anything classified as personal is erased from logs before it is written.
        builder.Logging.EnableRedaction();
        builder.Services.AddRedaction(r => r.SetRedactor<ErasingRedactor>(new DataClassificationSet(HavenData.Personal)));
    }

    /// <summary>
    /// Gets the data folder and the database ready: checks that the folder can be written and is not half there,
    /// migrates, then creates the master key on a first start (never in Production). Returns whether it made the key.
    /// <paramref name="newDatabase"/> is for the verbs that create or replace the database (migrate, restore), where
    /// a key without its SQLite database is expected.
    /// </summary>
    public static async Task<bool> PrepareAsync(IServiceProvider services, IHostEnvironment environment, bool newDatabase, CancellationToken ct = default)
    {
        var dataDirectory = DataDirectory(services.GetRequiredService<IConfiguration>());
        EnsureWritable(dataDirectory);
        var store = services.GetRequiredService<MasterKeyStore>();
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HavenDb>();
        var sqliteFile = db.Database.IsSqlite() ? Path.GetFullPath(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource) : null;
        if (!store.IsConfigured)
        {
            if (environment.IsProduction()) throw new MasterKeyException("No master key is configured.");
            // A new key beside data that only the old one opens would leave that data unreadable for good.
            if ((sqliteFile is null || File.Exists(sqliteFile)) && await HoldsOrganizationsAsync(db, ct))
                throw new MasterKeyException($"The database holds encrypted data, but its master key is missing: {store.FilePath} does not exist and HAVEN_MASTER_KEY is not set.",
                    "Put the key file back from where you keep its backup (docs/operations.md, \"The master key\"). Haven will not make a new key beside data the old one opens.");
        }
        else if (!newDatabase && !store.FromEnvironment && sqliteFile is not null && !File.Exists(sqliteFile) && IsInside(store.FilePath, dataDirectory))
        {
            throw new HavenException($"The data folder {dataDirectory} has its master key but not its database ({Path.GetFileName(sqliteFile)} is missing).",
                hint: "Restore the database with `haven restore <backup file>` (docs/operations.md, \"Restore\"), or, to start afresh, move the whole data folder aside.");
        }
        var applied = await DatabaseSetup.MigrateAsync(db, ct);
        var created = false;
        if (!store.IsConfigured)
        {
            store.Create();
            created = true;
        }
        var master = store.Load(); // a malformed key stops the start here, with a message naming the problem
        await SecondFactorSecrets.SealStoredInClearAsync(db, master, ct);
        await scope.ServiceProvider.GetRequiredService<ShredLedger>().ApplyAsync(db, ct);
        var directory = scope.ServiceProvider.GetRequiredService<Haven.Features.ServiceDirectory.DirectoryImport>();
        await directory.EnsureVocabularyAsync(ct);
        // Service rows projected before matching's columns existed are derived again once, with the migration that
        // adds them, rather than looked for in the whole directory at every start.
        if (applied.Any(m => m.EndsWith("_DirectoryMatchingColumns", StringComparison.Ordinal))) await directory.RefreshOutdatedAsync(ct);
        return created;
    }

    static void EnsureWritable(string dataDirectory)
    {
        try
        {
            Directory.CreateDirectory(dataDirectory);
            var probe = Path.Combine(dataDirectory, ".write-check");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HavenException($"Haven cannot write to its data folder {dataDirectory}: {e.Message}",
                hint: "Start Haven from a folder you may write to, or set Haven:DataDirectory to one (README, \"Configuration\").");
        }
    }

    static bool IsInside(string path, string folder) =>
        Path.GetFullPath(path).StartsWith(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    static async Task<bool> HoldsOrganizationsAsync(HavenDb db, CancellationToken ct) =>
        (await DatabaseSetup.AppliedMigrationsAsync(db, ct)).Count > 0 && await db.Organizations.AnyAsync(ct);
}

/// <summary>Data classifications for redaction.</summary>
public static class HavenData
{
    public static readonly DataClassification Personal = new("Haven", "Personal");
}

/// <summary>Marks a log parameter as personal data: it is erased before any log sink sees it.</summary>
public sealed class PersonalAttribute() : DataClassificationAttribute(HavenData.Personal);
