using System.CommandLine;
using Haven.Data;
using Haven.Features.Accounts;
using Haven.Features.Audit;
using Haven.Features.Organizations;
using Haven.Features.Screening;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace Haven.Features.Operations;

/// <summary>The `haven` command-line verbs. Anything that is not a verb starts the web host.</summary>
public static class Cli
{
    public static readonly string[] Verbs = ["migrate", "seed", "users", "orgs", "audit", "keys", "backup", "restore", "screening", "directory", "relief", "--help", "-h", "-?", "--version"];

    /// <summary>Web-host arguments start with "--" (like --urls); a bare first word is a verb, known or not.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && (!args[0].StartsWith('-') || Verbs.Contains(args[0]));

    public static async Task<int> RunAsync(string[] args, Action<HostApplicationBuilder>? configure = null)
    {
        var root = new RootCommand("Haven: a confidential, rights-based case platform. Run without a verb to start the web app.");

        var migrate = new Command("migrate", "Create or upgrade the database schema.");
        migrate.SetAction((_, ct) => WithHost(configure, (_, _) =>
        {
            Console.WriteLine("Database is up to date.");
            return Task.FromResult(0);
        }, ct, newDatabase: true));
        root.Subcommands.Add(migrate);

        var demo = new Option<bool>("--demo") { Description = "Seed the invented demo network (empty database only)." };
        var scale = new Option<int?>("--scale") { Description = "Seed this many synthetic clients in one organization, with ten audit events each." };
        var seed = new Command("seed", "Fill the database with invented data.") { demo, scale };
        seed.Validators.Add(r =>
        {
            var d = r.GetValue(demo);
            var n = r.GetValue(scale);
            if (d == (n is not null)) r.AddError("Give exactly one of --demo or --scale <clients>.");
            else if (n is <= 0 or > 5_000_000) r.AddError("--scale must be between 1 and 5000000.");
        });
        seed.SetAction((parse, ct) => WithHost(configure, async (s, ct2) =>
        {
            var seeding = s.GetRequiredService<Seeding>();
            if (parse.GetValue(demo))
            {
                var (password, logins) = await seeding.SeedDemoAsync(ct2);
                PrintLogins(password, logins);
                return 0;
            }
            var total = parse.GetValue(scale)!.Value;
            await AnsiConsole.Progress().StartAsync(async p =>
            {
                var task = p.AddTask($"Seeding {total:N0} clients", maxValue: total);
                await seeding.SeedScaleAsync(total, new Progress<int>(done => task.Value = done), ct2);
                task.Value = total;
            });
            Console.WriteLine($"Seeded {total:N0} synthetic clients and {total * 10L:N0} audit events.");
            return 0;
        }, ct));
        root.Subcommands.Add(seed);

        root.Subcommands.Add(OrgsCommand(configure));
        root.Subcommands.Add(UsersCommand(configure));

        var verify = new Command("verify", "Check the audit log's hash chain; reports the first bad event.");
        verify.SetAction((_, ct) => WithHost(configure, async (s, ct2) =>
        {
            var db = s.GetRequiredService<HavenDb>();
            var started = System.Diagnostics.Stopwatch.StartNew();
            var result = await AuditChain.VerifyAsync(db, s.GetRequiredService<AuditAnchor>(), null, ct2);
            if (result.Intact)
            {
                Console.WriteLine($"Audit log intact: {result.EventsChecked:N0} events checked in {started.Elapsed.TotalSeconds:F1} s.");
                return 0;
            }
            Console.WriteLine($"Audit log damaged at event {result.FirstBadSeq}: {result.Problem} ({result.EventsChecked:N0} events before it are intact).");
            return 3;
        }, ct));
        root.Subcommands.Add(new Command("audit", "The audit log.") { verify });

        var rotate = new Command("rotate", "Re-wrap every organization key under a new master key.");
        rotate.SetAction((_, ct) => WithHost(configure, async (s, ct2) =>
        {
            var count = await s.GetRequiredService<KeyRotation>().RotateAsync(ct2);
            Console.WriteLine($"Master key rotated; {count} organization keys re-wrapped. The old master key now opens nothing.");
            Console.WriteLine("Back up the new key file now, apart from the database. Restart running servers.");
            return 0;
        }, ct));
        root.Subcommands.Add(new Command("keys", "Key management.") { rotate });

        var backupFile = new Argument<FileInfo>("file") { Description = "Where to write the backup (sealed with a new backup key)." };
        var force = new Option<bool>("--force") { Description = "Replace the file if it exists (never the live database or a key)." };
        var backup = new Command("backup", "Write a full logical backup of the database, sealed with a new backup key; then destroy backup keys past retention.") { backupFile, force };
        backup.SetAction((parse, ct) => WithHost(configure, async (s, ct2) =>
        {
            var path = parse.GetValue(backupFile)!.FullName;
            var written = await AnsiConsole.Status().StartAsync("Backing up", async ctx =>
                await s.GetRequiredService<Backups>().BackupAsync(path, parse.GetValue(force), new Progress<string>(t => ctx.Status($"Backing up {t}")), ct2));
            Console.WriteLine($"Backup written: {written.Rows:N0} rows, sealed with backup key {written.KeyId}.");
            Console.WriteLine($"It can be restored until {written.ReadableUntil:yyyy-MM-dd HH:mm} UTC; then its key is destroyed and nobody can read it.");
            Console.WriteLine("The master key and the backup keys are not in it: keep the key directory backed up apart from the backups.");
            PrintDestroyed(written.Destroyed);
            return 0;
        }, ct));
        var listKeys = new Command("keys", "List the backup keys: which backups can still be restored, and until when.");
        listKeys.SetAction((parse, ct) => WithHost(configure, (s, _) =>
        {
            var all = s.GetRequiredService<Security.BackupKeys>().All();
            if (all.Count == 0) Console.WriteLine("No backup keys: no backup can be restored here.");
            foreach (var key in all) Console.WriteLine($"  {key.Id}  taken {key.CreatedAt:yyyy-MM-dd HH:mm} UTC, readable until {key.ExpiresAt:yyyy-MM-dd HH:mm} UTC");
            return Task.FromResult(0);
        }, ct));
        var prune = new Command("prune", "Destroy the backup keys past retention (Backups:RetentionDays), so their backups can no longer be read.");
        prune.SetAction((parse, ct) => WithHost(configure, (s, _) =>
        {
            var destroyed = s.GetRequiredService<Security.BackupKeys>().Prune();
            if (destroyed.Count == 0) Console.WriteLine("No backup key is past retention.");
            PrintDestroyed(destroyed);
            return Task.FromResult(0);
        }, ct));
        backup.Subcommands.Add(listKeys);
        backup.Subcommands.Add(prune);
        root.Subcommands.Add(backup);

        var restoreFile = new Argument<FileInfo>("file") { Description = "A backup written by `haven backup`." };
        var restore = new Command("restore", "Replace the database with a backup, then re-apply shredding.") { restoreFile };
        restore.SetAction((parse, ct) => WithHost(configure, async (s, ct2) =>
        {
            var file = parse.GetValue(restoreFile)!;
            var rows = await AnsiConsole.Status().StartAsync("Restoring", async ctx =>
                await s.GetRequiredService<Backups>().RestoreAsync(file.FullName, new Progress<string>(t => ctx.Status($"Restoring {t}")), ct2));
            Console.WriteLine($"Restored {rows:N0} rows; shredded clients stay shredded.");
            return 0;
        }, ct, newDatabase: true));
        root.Subcommands.Add(restore);
        root.Subcommands.Add(ScreeningCommand());
        root.Subcommands.Add(DirectoryCommand(configure));
        root.Subcommands.Add(Relief.ReliefCommand.Create());

        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return Failures.Report(e, Console.Error);
        }
    }

    /// <summary>Screening instruments and the engine; no database and no client data.</summary>
    static Command ScreeningCommand()
    {
        var instruments = new Command("instruments", "List the screening instruments, their versions and languages, and any file refused.");
        instruments.SetAction(_ =>
        {
            var library = InstrumentLibrary.LoadDirectory(InstrumentLibrary.BuiltInDirectory);
            foreach (var i in library.Instruments.Values.OrderBy(i => i.Id, StringComparer.Ordinal))
            {
                var languages = string.Join(", ", i.File.Languages.Select(l => l.Value == TranslationStatus.Draft ? $"{l.Key} (draft)" : l.Key));
                Console.WriteLine($"{i.Id,-14} {i.Version,-6} {i.Kind,-10} {i.Questions.Count,3} questions  {languages}");
            }
            foreach (var refused in library.Refused)
                foreach (var problem in refused.Problems) Console.Error.WriteLine("refused: " + problem);
            return library.Refused.Count == 0 ? 0 : 1;
        });

        var instrument = new Option<string>("--instrument") { Required = true, Description = "The instrument id (see `haven screening instruments`)." };
        var language = new Option<string?>("--language") { Description = "The language of the wording (en, es, zh-Hans, ko); English if the instrument lacks it." };
        var answersFile = new Argument<FileInfo>("answers") { Description = "A JSON file: an object from question id to answer." };
        var evaluate = new Command("evaluate", "Evaluate answers with the screening engine and print the result as JSON. Nothing is stored.") { instrument, language, answersFile };
        evaluate.SetAction(parse =>
        {
            var file = parse.GetValue(answersFile)!;
            if (!file.Exists) return Fail($"The answers file {file.Name} does not exist.");
            Dictionary<string, System.Text.Json.JsonElement>? answers;
            try
            {
                using var stream = file.OpenRead();
                answers = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, System.Text.Json.JsonElement>>(stream);
            }
            catch (System.Text.Json.JsonException e)
            {
                return Fail($"The answers file {file.Name} is not a JSON object from question id to answer (line {(e.LineNumber ?? 0) + 1}).");
            }
            if (answers is null) return Fail($"The answers file {file.Name} is empty (null).");
            var library = InstrumentLibrary.LoadDirectory(InstrumentLibrary.BuiltInDirectory);
            var (response, errors) = ScreeningApi.Evaluate(library, parse.GetValue(instrument), answers, parse.GetValue(language));
            if (response is null)
            {
                foreach (var (field, messages) in errors) foreach (var message in messages) Console.Error.WriteLine($"error: {field}: {message}");
                return 1;
            }
            if (response.Notice is not null) Console.Error.WriteLine("note: " + response.Notice);
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(response, new System.Text.Json.JsonSerializerOptions(Http.JsonBody.Json) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return 0;
        });
        var rules = new Command("rules", "Print the screening rules (docs/screening-rules.md) generated from the indicator catalogue and the instruments.");
        rules.SetAction(_ =>
        {
            var library = InstrumentLibrary.LoadDirectory(InstrumentLibrary.BuiltInDirectory);
            foreach (var refused in library.Refused)
                foreach (var problem in refused.Problems) Console.Error.WriteLine("refused: " + problem);
            if (library.Refused.Count > 0) return 1;
            Console.Out.Write(ScreeningRulesDocument.Render(library));
            return 0;
        });
        return new Command("screening", "Screening instruments and the screening engine.") { instruments, evaluate, rules };
    }

    /// <summary>The shared service directory in HSDS 3.0: import and export.</summary>
    static Command DirectoryCommand(Action<HostApplicationBuilder>? configure)
    {
        var source = new Argument<string>("path") { Description = "A folder of HSDS CSV files, a datapackage.json, or an HSDS JSON file (tabular, a full record, or a list page)." };
        var listedBy = new Option<string?>("--listed-by") { Description = "The Haven organization that keeps these listings; needed for confidential locations, sealed under its key." };
        var acceptDefects = new Option<bool>("--accept-defects") { Description = "Import references to records that are not in the directory, and coordinates off the globe, as they are (listed as warnings)." };
        var import = new Command("import", "Import HSDS records into the directory in one transaction: all or nothing.") { source, listedBy, acceptDefects };
        import.SetAction((parse, ct) => WithHost(configure, async (s, ct2) =>
        {
            Guid? org = null;
            if (parse.GetValue(listedBy) is { } name)
            {
                if (await s.GetRequiredService<Network>().FindAsync(name) is not { } found) return Fail($"No organization is named '{name}'.");
                org = found.Id;
            }
            var path = parse.GetValue(source)!;
            var dataset = AnsiConsole.Status().Start("Reading " + Path.GetFileName(Path.TrimEndingDirectorySeparator(path)), _ => ServiceDirectory.Hsds.HsdsFiles.Read(path, ServiceDirectory.Hsds.HsdsSchema.BuiltIn));
            ServiceDirectory.DirectoryImportResult? result = null;
            await AnsiConsole.Progress().StartAsync(async p =>
            {
                var bars = new Dictionary<string, ProgressTask>();
                var progress = new Progress<(string Stage, int Done, int Total)>(x =>
                {
                    if (!bars.TryGetValue(x.Stage, out var bar)) bars[x.Stage] = bar = p.AddTask("Storing " + x.Stage, maxValue: Math.Max(1, x.Total));
                    bar.Value = x.Done;
                });
                result = await s.GetRequiredService<ServiceDirectory.DirectoryImport>().ImportAsync(dataset, org, parse.GetValue(acceptDefects), "cli", progress, ct2);
            });
            foreach (var defect in dataset.Defects) Console.Error.WriteLine("warning: " + defect);
            Console.WriteLine($"Imported {result!.RowsByTable.Values.Sum():N0} records ({string.Join(", ", result.RowsByTable.OrderBy(t => t.Key).Select(t => $"{t.Key} {t.Value:N0}"))}); {result.Services:N0} services searchable; {result.Confidential} confidential location(s) sealed.");
            return 0;
        }, ct));

        var target = new Argument<string>("path") { Description = "A folder for CSV files and datapackage.json, or a file for JSON." };
        var format = new Option<string>("--format") { Description = "csv (the tabular data package, the default) or json (the tabular JSON form).", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json");
        var export = new Command("export", "Export the directory as HSDS. Confidential locations are written redacted.") { target, format };
        export.SetAction((parse, ct) => WithHost(configure, async (s, ct2) =>
        {
            var path = parse.GetValue(target)!;
            var kind = parse.GetValue(format) == "json" ? ServiceDirectory.ExportFormat.Json : ServiceDirectory.ExportFormat.Csv;
            if (kind == ServiceDirectory.ExportFormat.Csv && File.Exists(path)) return Fail($"{Path.GetFileName(path)} is a file; CSV export writes a folder.");
            if (kind == ServiceDirectory.ExportFormat.Json && System.IO.Directory.Exists(path)) return Fail($"{Path.GetFileName(path)} is a folder; JSON export writes a file.");
            IReadOnlyDictionary<string, int>? counts = null;
            await AnsiConsole.Progress().StartAsync(async p =>
            {
                var bars = new Dictionary<string, ProgressTask>();
                counts = await s.GetRequiredService<ServiceDirectory.DirectoryExport>().ExportAsync(path, kind, "cli", new Progress<(string Table, int Done)>(x =>
                {
                    if (!bars.TryGetValue(x.Table, out var bar)) bars[x.Table] = bar = p.AddTask("Writing " + x.Table, maxValue: double.MaxValue);
                    bar.Value = x.Done;
                }), ct2);
            });
            Console.WriteLine($"Exported {counts!.Values.Sum():N0} records to {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}.");
            return 0;
        }, ct));
        return new Command("directory", "The shared service directory (HSDS 3.0).") { import, export };
    }

    static Command OrgsCommand(Action<HostApplicationBuilder>? configure)
    {
        var name = new Option<string>("--name") { Required = true, Description = "The organization's name." };
        var kind = new Option<OrganizationKind>("--kind") { Required = true, Description = "Legal, CourtProgram, Shelter, Health, Counseling, PeerOrganization or Other." };
        var create = new Command("create", "Create an organization with its own key and a General team.") { name, kind };
        create.SetAction((parse, ct) => WithHost(configure, async (s, _) =>
        {
            var org = await s.GetRequiredService<Network>().CreateOrganizationAsync(parse.GetValue(name)!, parse.GetValue(kind));
            Console.WriteLine($"Created organization {org.Name}.");
            return 0;
        }, ct));
        return new Command("orgs", "Organizations of the network.") { create };
    }

    static Command UsersCommand(Action<HostApplicationBuilder>? configure)
    {
        var org = new Option<string>("--org") { Required = true, Description = "The organization's name." };
        var email = EmailOption("The staff member's email address.");
        var createAdmin = new Command("create-admin", "Create an organization admin with a one-time random password.") { org, email };
        createAdmin.SetAction((parse, ct) => WithHost(configure, async (s, _) =>
        {
            var found = await s.GetRequiredService<Network>().FindAsync(parse.GetValue(org)!);
            if (found is null) return Fail($"No organization is named '{parse.GetValue(org)}'. Create it with `haven orgs create`.");
            var password = StaffAccounts.NewPassword();
            await s.GetRequiredService<StaffAccounts>().CreateAsync(found.Id, parse.GetValue(email)!, "Organization admin", password, Roles.OrgAdmin);
            Console.WriteLine($"Created org admin. Temporary password: {password}");
            Console.WriteLine("They must enrol an authenticator app at first sign-in.");
            return 0;
        }, ct));

        var tokenEmail = EmailOption("Whose token.");
        var expires = new Option<string>("--expires") { Description = "Lifetime such as 30m, 12h or 90d (default 30d, at most 365d).", DefaultValueFactory = _ => "30d" };
        expires.Validators.Add(r =>
        {
            if (!ApiTokens.TryParseLifetime(r.GetValueOrDefault<string>(), out _))
                r.AddError("--expires must be a duration like 30m, 12h or 90d, between one minute and 365 days.");
        });
        var token = new Command("token", "Issue a personal API token (shown once; send as Authorization: Bearer).") { tokenEmail, expires };
        token.SetAction((parse, ct) => WithHost(configure, async (s, ct2) =>
        {
            var user = await s.GetRequiredService<UserManager<HavenUser>>().FindByEmailAsync(parse.GetValue(tokenEmail)!);
            if (user is null) return Fail("No staff member has that email address.");
            if (!user.TwoFactorEnabled && s.GetRequiredService<SecondFactorOptions>().Required)
                return Fail("That staff member has not enrolled a second factor yet; tokens are issued only after enrolment.");
            ApiTokens.TryParseLifetime(parse.GetValue(expires), out var lifetime);
            var (secret, record) = await s.GetRequiredService<ApiTokens>().CreateAsync(user, lifetime, ct2);
            Console.WriteLine(secret);
            Console.Error.WriteLine($"Expires {record.ExpiresAt:u}. Store it like a password; revoke with `haven users revoke-tokens`.");
            return 0;
        }, ct));

        var revokeEmail = EmailOption("Whose tokens.");
        var revoke = new Command("revoke-tokens", "Revoke every API token of a staff member.") { revokeEmail };
        revoke.SetAction((parse, ct) => WithHost(configure, async (s, ct2) =>
        {
            var user = await s.GetRequiredService<UserManager<HavenUser>>().FindByEmailAsync(parse.GetValue(revokeEmail)!);
            if (user is null) return Fail("No staff member has that email address.");
            var count = await s.GetRequiredService<ApiTokens>().RevokeAllAsync(user, ct2);
            Console.WriteLine($"Revoked {count} token(s).");
            return 0;
        }, ct));
        return new Command("users", "Staff accounts and API tokens.") { createAdmin, token, revoke };
    }

    static Option<string> EmailOption(string description)
    {
        var email = new Option<string>("--email") { Required = true, Description = description };
        email.Validators.Add(r =>
        {
            if (!StaffAccounts.IsValidEmail(r.GetValueOrDefault<string>()))
                r.AddError("--email is not a valid email address.");
        });
        return email;
    }

    static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 1;
    }

    public static void PrintNewKey(string path)
    {
        Console.WriteLine($"Created a new master key at {path} (owner read/write only).");
        Console.WriteLine("WARNING: back this key up now, apart from the database and its backups. Without it no client record can be read.");
    }

    public static void PrintLogins(string password, IReadOnlyList<DemoLogin> logins)
    {
        Console.WriteLine();
        Console.WriteLine("Demo sign-in (invented people and organizations). Password for every demo account: " + password);
        foreach (var login in logins) Console.WriteLine($"  {login.Role,-14} {login.Email,-40} {login.Organization}");
        Console.WriteLine("At first sign-in each account enrols an authenticator app (TOTP).");
        Console.WriteLine();
    }

    static void PrintDestroyed(IReadOnlyList<Security.BackupKey> destroyed)
    {
        foreach (var key in destroyed) Console.WriteLine($"Destroyed backup key {key.Id} (taken {key.CreatedAt:yyyy-MM-dd}): its backup can no longer be read.");
    }

    /// <summary>Builds the same services as the web host, migrates, and runs one verb.</summary>
    static async Task<int> WithHost(Action<HostApplicationBuilder>? configure, Func<IServiceProvider, CancellationToken, Task<int>> verb, CancellationToken ct, bool newDatabase = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            // The web host's ASPNETCORE_ENVIRONMENT wins there over DOTNET_ENVIRONMENT; one variable sets both.
            EnvironmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") is { Length: > 0 } web ? web : null,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Development checks every service at build; some (authorization policies) need the web host's routing,
        // which a verb never starts. Scope checks stay as the environment sets them.
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions
        {
            ValidateScopes = builder.Environment.IsDevelopment(),
            ValidateOnBuild = false,
        }));
        builder.AddHavenCore();
        configure?.Invoke(builder);
        using var host = builder.Build();
        if (await HavenHost.PrepareAsync(host.Services, builder.Environment, newDatabase, ct))
            PrintNewKey(host.Services.GetRequiredService<Security.MasterKeyStore>().FilePath);
        using var scope = host.Services.CreateScope();
        return await verb(scope.ServiceProvider, ct);
    }
}
