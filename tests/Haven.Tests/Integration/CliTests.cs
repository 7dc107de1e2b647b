using Haven.Features.Operations;
using Haven.Tests.Infrastructure;

namespace Haven.Tests.Integration;

/// <summary>The `haven` verbs, run as the real program in its own process.</summary>
public abstract class CliTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : HavenApp
{
    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        HavenProcess.RunAsync(null, environment, args);

    Task<CliResult> Haven(params string[] args) => RunAsync(app.CliEnvironment, args);

    [Fact]
    public async Task Help_lists_every_verb()
    {
        var help = await Haven("--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var verb in new[] { "migrate", "seed", "users", "orgs", "audit", "keys", "backup", "restore", "screening" })
            Assert.Contains(verb, help.Out);
        var users = await Haven("users", "--help");
        Assert.Contains("create-admin", users.Out);
        Assert.Contains("token", users.Out);
    }

    [Theory]
    [InlineData("I am not a verb", "frobnicate")]
    [InlineData("exactly one of --demo or --scale", "seed")]
    [InlineData("--scale must be between", "seed", "--scale", "0")]
    [InlineData("abc", "seed", "--scale", "abc")]
    [InlineData("not a valid email", "users", "token", "--email", "not-an-email")]
    [InlineData("--expires must be a duration", "users", "token", "--email", "a@b.example", "--expires", "5w")]
    [InlineData("--org", "users", "create-admin", "--email", "a@b.example")]
    [InlineData("No organization is named", "users", "create-admin", "--org", "Nowhere Org", "--email", "a@b.example")]
    [InlineData("No staff member has that email", "users", "token", "--email", "nobody@b.example")]
    [InlineData("Kind", "orgs", "create", "--name", "X", "--kind", "Spaceship")]
    [InlineData("no such file", "restore", "/nonexistent/backup.file")]
    public async Task Bad_arguments_get_a_clear_error_and_a_failing_exit(string expected, params string[] args)
    {
        var result = await Haven(args);
        Assert.NotEqual(0, result.ExitCode);
        if (expected != "I am not a verb") Assert.Contains(expected, result.All, StringComparison.OrdinalIgnoreCase);
        else Assert.Contains("frobnicate", result.All);
    }

    [Fact]
    public async Task Organizations_admins_tokens_seeding_audit_backup_restore_and_rotation()
    {
        Assert.Equal(0, (await Haven("migrate")).ExitCode);
        var org = "Cli Org " + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(0, (await Haven("orgs", "create", "--name", org, "--kind", "Counseling")).ExitCode);
        var duplicate = await Haven("orgs", "create", "--name", org, "--kind", "Counseling");
        Assert.NotEqual(0, duplicate.ExitCode);
        Assert.Contains("already exists", duplicate.All);

        var email = $"admin-{Guid.NewGuid():N}@cli.haven.example";
        var admin = await Haven("users", "create-admin", "--org", org, "--email", email);
        Assert.Equal(0, admin.ExitCode);
        Assert.Contains("Temporary password", admin.Out);
        var noSecondFactor = await Haven("users", "token", "--email", email);
        Assert.NotEqual(0, noSecondFactor.ExitCode);
        Assert.Contains("second factor", noSecondFactor.All);

        var net = await app.NetworkAsync();
        var token = await Haven("users", "token", "--email", net["attorneyA1"].Email, "--expires", "2h");
        Assert.Equal(0, token.ExitCode);
        Assert.StartsWith("hvn_", token.Out.Trim());
        var api = app.ApiClient(token.Out.Trim());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/api/clients")).StatusCode);
        Assert.Equal(0, (await Haven("users", "revoke-tokens", "--email", net["attorneyA1"].Email)).ExitCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await api.GetAsync("/api/clients")).StatusCode);

        var seed = await Haven("seed", "--scale", "120");
        Assert.Equal(0, seed.ExitCode);
        Assert.Contains("120 synthetic clients", seed.Out);
        var verify = await Haven("audit", "verify");
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("intact", verify.Out);

        var backup = Path.Combine(app.DataDirectory, "cli.backup");
        Assert.Equal(0, (await Haven("backup", backup)).ExitCode);
        var garbage = Path.Combine(app.DataDirectory, "garbage.backup");
        await File.WriteAllTextAsync(garbage, "{\"not\": \"a backup\"}");
        var bad = await Haven("restore", garbage);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("garbage.backup", bad.All);
        Assert.Equal(0, (await Haven("restore", backup)).ExitCode);
        Assert.Contains("intact", (await Haven("audit", "verify")).Out);

        var rotate = await Haven("keys", "rotate");
        Assert.Equal(0, rotate.ExitCode);
        Assert.Contains("old master key now opens nothing", rotate.Out);
        Assert.Equal(0, (await Haven("audit", "verify")).ExitCode);
    }

    [Fact]
    public async Task An_import_whose_files_cannot_be_read_names_them_without_a_stack_trace()
    {
        var folder = Path.Combine(app.DataDirectory, "dangling-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(folder);
        File.CreateSymbolicLink(Path.Combine(folder, "datapackage.json"), Path.Combine(folder, "nowhere.json"));
        var package = await Haven("directory", "import", folder);
        Assert.Equal(Failures.UserError, package.ExitCode);
        Assert.Contains("datapackage.json: cannot be read: it is a link to a file that does not exist.", package.Error);
        Assert.Contains("Nothing was stored", package.Error);
        Assert.DoesNotContain("   at ", package.All);

        File.Delete(Path.Combine(folder, "datapackage.json"));
        File.CreateSymbolicLink(Path.Combine(folder, "services.csv"), Path.Combine(folder, "gone.csv"));
        var csv = await Haven("directory", "import", folder);
        Assert.Equal(Failures.UserError, csv.ExitCode);
        Assert.Contains("services.csv: cannot be read: it is a link to a file that does not exist.", csv.Error);
        Assert.DoesNotContain("   at ", csv.All);
    }

    [Fact]
    public async Task Demo_seeding_refuses_a_database_that_has_organizations()
    {
        await app.NetworkAsync();
        var result = await Haven("seed", "--demo");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("already has organizations", result.All);
    }
}

public sealed class CliSqlite(SqliteApp app) : CliTests<SqliteApp>(app);
public sealed class CliPostgres(PostgresApp app) : CliTests<PostgresApp>(app);

/// <summary>Configuration mistakes stop Haven at start with a message that names them.</summary>
public sealed class StartupTests
{
    static Dictionary<string, string> Fresh(string environment, params (string, string)[] more)
    {
        var directory = Path.Combine(Path.GetTempPath(), "haven-start-" + Guid.NewGuid().ToString("N")[..8]);
        var env = new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = environment, ["ASPNETCORE_ENVIRONMENT"] = environment, ["Haven__DataDirectory"] = directory };
        foreach (var (k, v) in more) env[k] = v;
        return env;
    }

    [Fact]
    public async Task An_unknown_database_provider_is_named()
    {
        var result = await CliTests<SqliteApp>.RunAsync(Fresh("Testing", ("Database__Provider", "Oracle")), "migrate");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Unknown database provider 'Oracle'", result.All);
    }

    [Fact]
    public async Task Verbs_run_in_development_where_dotnet_run_starts_them()
    {
        var result = await CliTests<SqliteApp>.RunAsync(Fresh("Development"), "migrate");
        Assert.True(result.ExitCode == 0, result.All);
    }

    [Fact]
    public async Task Verbs_read_the_environment_from_ASPNETCORE_ENVIRONMENT_alone_as_the_web_host_does()
    {
        var folder = HavenProcess.EmptyFolder("env");
        var migrate = await HavenProcess.RunAsync(folder, Development, "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.All);
        Assert.Contains("Created a new master key", migrate.Out);
        Assert.True(File.Exists(Path.Combine(folder, "data", "keys", "master.key")));

        var production = await HavenProcess.RunAsync(HavenProcess.EmptyFolder("env"), new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" }, "migrate");
        Assert.Equal(Failures.UserError, production.ExitCode);
        Assert.Contains("master key", production.Error);
        AssertNoStackTrace(production);
    }

    /// <summary>Only the environment the launch profile gives `dotnet run`.</summary>
    static readonly Dictionary<string, string> Development = new() { ["ASPNETCORE_ENVIRONMENT"] = "Development" };

    /// <summary>A problem the user can fix is told in a few lines: no stack trace, no framework log dump.</summary>
    static void AssertNoStackTrace(CliResult result)
    {
        Assert.DoesNotContain("   at ", result.All);
        Assert.DoesNotContain("Unhandled exception", result.All);
        Assert.DoesNotContain("fail:", result.All);
    }

    static string[] Web(int port) => ["--urls", $"http://127.0.0.1:{port}"];

    [Fact]
    public async Task A_port_in_use_is_named_and_nothing_is_seeded()
    {
        var port = HavenProcess.FreePort();
        var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        taken.Start();
        try
        {
            var result = await HavenProcess.RunAsync(HavenProcess.EmptyFolder("port"), Development, Web(port));
            Assert.Equal(Failures.UserError, result.ExitCode);
            Assert.Contains($"http://127.0.0.1:{port}", result.Error);
            Assert.Contains("address already in use", result.Error);
            Assert.Contains("--urls", result.Error);
            Assert.DoesNotContain("Demo sign-in", result.Out);
            AssertNoStackTrace(result);
        }
        finally { taken.Stop(); }
    }

    [Fact]
    public async Task A_data_folder_that_cannot_be_written_is_named()
    {
        // Where ./data would go is a file.
        var folder = HavenProcess.EmptyFolder("unwritable");
        await File.WriteAllTextAsync(Path.Combine(folder, "data"), "not a folder");
        var blocked = await HavenProcess.RunAsync(folder, Development, Web(HavenProcess.FreePort()));
        Assert.Equal(Failures.UserError, blocked.ExitCode);
        Assert.Contains($"cannot write to its data folder {Path.Combine(folder, "data")}", blocked.Error);
        AssertNoStackTrace(blocked);

        // A folder even root may not write in (sysfs refuses every new file and folder).
        var refused = await HavenProcess.RunAsync("/sys/kernel", Development, Web(HavenProcess.FreePort()));
        Assert.Equal(Failures.UserError, refused.ExitCode);
        Assert.Contains("cannot write to its data folder /sys/kernel/data", refused.Error);
        AssertNoStackTrace(refused);
    }

    [Fact, System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Everything_Haven_writes_is_owner_only_whatever_the_umask()
    {
        var folder = HavenProcess.EmptyFolder("modes");
        // A data folder made earlier by hand, with the loose modes of umask 022, is tightened too.
        var data = Directory.CreateDirectory(Path.Combine(folder, "data")).FullName;
        File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);
        var note = Path.Combine(data, "operator-note.txt");
        await File.WriteAllTextAsync(note, "left here");
        File.SetUnixFileMode(note, (UnixFileMode)0b110_100_100);

        Assert.Equal(0, (await HavenProcess.RunUnderUmaskAsync(folder, Development, "000", "seed", "--scale", "20")).ExitCode);
        var backup = Path.Combine(folder, "outside.backup");
        var written = await HavenProcess.RunUnderUmaskAsync(folder, Development, "000", "backup", backup);
        Assert.Equal(0, written.ExitCode);
        var again = await HavenProcess.RunUnderUmaskAsync(folder, Development, "000", "backup", backup);
        Assert.Equal(Failures.UserError, again.ExitCode);
        Assert.Contains("already exists", again.Error);
        Assert.Contains("--force", again.Error);
        Assert.Equal(0, (await HavenProcess.RunUnderUmaskAsync(folder, Development, "000", "backup", backup, "--force")).ExitCode);

        var made = Directory.EnumerateFileSystemEntries(data, "*", SearchOption.AllDirectories).Append(data).Append(backup).ToList();
        Assert.Contains(Path.Combine(data, "haven.db"), made);
        Assert.Contains(Path.Combine(data, "keys", "master.key"), made);
        Assert.Contains(made, p => p.Contains("backup-keys", StringComparison.Ordinal) && File.Exists(p));
        foreach (var path in made)
        {
            var mode = File.GetUnixFileMode(path);
            var expected = Directory.Exists(path) ? Haven.Security.OwnerOnly.Folder : Haven.Security.OwnerOnly.File;
            Assert.True((mode & ~expected) == 0, $"{Path.GetRelativePath(folder, path)} is {Convert.ToString((int)mode, 8)}, not owner-only");
        }
    }

    [Fact]
    public async Task A_database_without_its_master_key_is_refused_and_no_new_key_is_made()
    {
        var folder = HavenProcess.EmptyFolder("no-key");
        Assert.Equal(0, (await HavenProcess.RunAsync(folder, Development, "orgs", "create", "--name", "Keyless Test Org", "--kind", "Shelter")).ExitCode);
        var key = Path.Combine(folder, "data", "keys", "master.key");
        File.Delete(key);

        foreach (var args in new[] { Web(HavenProcess.FreePort()), ["orgs", "create", "--name", "Second Org", "--kind", "Legal"], ["migrate"] })
        {
            var result = await HavenProcess.RunAsync(folder, Development, args);
            Assert.Equal(Failures.UserError, result.ExitCode);
            Assert.Contains("master key is missing", result.Error);
            Assert.Contains("docs/operations.md", result.Error);
            AssertNoStackTrace(result);
            Assert.False(File.Exists(key), "A new master key was made beside data the old one opens.");
        }
    }

    [Fact]
    public async Task A_master_key_without_its_database_is_refused_until_the_database_is_restored_or_made()
    {
        var folder = HavenProcess.EmptyFolder("no-db");
        Assert.Equal(0, (await HavenProcess.RunAsync(folder, Development, "migrate")).ExitCode);
        foreach (var file in Directory.GetFiles(Path.Combine(folder, "data"), "haven.db*")) File.Delete(file);

        foreach (var args in new[] { Web(HavenProcess.FreePort()), ["seed", "--demo"] })
        {
            var result = await HavenProcess.RunAsync(folder, Development, args);
            Assert.Equal(Failures.UserError, result.ExitCode);
            Assert.Contains("has its master key but not its database (haven.db is missing)", result.Error);
            Assert.Contains("haven restore", result.Error);
            AssertNoStackTrace(result);
            Assert.False(File.Exists(Path.Combine(folder, "data", "haven.db")));
        }
        // Making the database is a choice the reader can still make.
        Assert.Equal(0, (await HavenProcess.RunAsync(folder, Development, "migrate")).ExitCode);
    }

    [Fact]
    public void A_bug_is_told_as_a_bug_with_its_stack_trace()
    {
        var error = new StringWriter();
        try { throw new InvalidOperationException("synthetic failure"); }
        catch (InvalidOperationException e) { Assert.Equal(Failures.Bug, Failures.Report(e, error)); }
        Assert.Contains("This is a bug in Haven", error.ToString());
        Assert.Contains("synthetic failure", error.ToString());
        Assert.Contains("   at ", error.ToString());

        var refusal = new StringWriter();
        Assert.Equal(Failures.UserError, Failures.Report(new HavenException("A refusal.", ["first problem", "second problem"], "Do this."), refusal));
        Assert.Equal("error: A refusal.\n  first problem\n  second problem\nhint: Do this.\n", refusal.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Production_refuses_to_start_without_a_master_key()
    {
        var web = await CliTests<SqliteApp>.RunAsync(Fresh("Production"), "--urls", "http://127.0.0.1:0");
        Assert.NotEqual(0, web.ExitCode);
        Assert.Contains("Production refuses to start without a master key", web.All);
        var cli = await CliTests<SqliteApp>.RunAsync(Fresh("Production"), "migrate");
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("master key", cli.All);
    }

    [Fact]
    public async Task Production_refuses_to_relax_the_second_factor()
    {
        var env = Fresh("Production", ("HAVEN_MASTER_KEY", Convert.ToBase64String(new byte[32])), ("Security__RequireSecondFactor", "false"));
        var result = await CliTests<SqliteApp>.RunAsync(env, "--urls", "http://127.0.0.1:0");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("RequireSecondFactor=false is allowed only in Development", result.All);
    }

    [Fact]
    public async Task A_malformed_master_key_is_named()
    {
        var result = await CliTests<SqliteApp>.RunAsync(Fresh("Production", ("HAVEN_MASTER_KEY", "not base64!")), "migrate");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("not valid base64", result.All);
    }
}

/// <summary>`haven screening`: no database, no client data.</summary>
public sealed class ScreeningCliTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("haven-screening-").FullName;

    static Task<CliResult> Haven(params string[] args) => CliTests<SqliteApp>.RunAsync(new Dictionary<string, string>(), args);

    string File(string name, string content)
    {
        var path = Path.Combine(directory, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Instruments_are_listed_with_versions_and_draft_languages()
    {
        var result = await Haven("screening", "instruments");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("short-screen", result.Out);
        Assert.Contains("zh-Hans (draft)", result.Out);
        Assert.Contains("full-screen", result.Out);
        Assert.Contains("evaluate", (await Haven("screening", "--help")).Out);
    }

    [Fact]
    public async Task Rules_prints_the_generated_screening_rules()
    {
        var result = await Haven("screening", "rules");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("# Screening rules", result.Out);
        Assert.Contains("`AR.ECONOMIC`", result.Out);
        var extra = await Haven("screening", "rules", "--everything");
        Assert.NotEqual(0, extra.ExitCode);
        Assert.Contains("--everything", extra.Error);
    }

    [Fact]
    public async Task Evaluate_prints_the_result_as_json()
    {
        var answers = File("answers.json", """{ "age": 16, "work": ["sex-work"], "documents-kept": "yes" }""");
        var result = await Haven("screening", "evaluate", "--instrument", "short-screen", answers);
        Assert.Equal(0, result.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(result.Out);
        Assert.True(json.RootElement.GetProperty("result").GetProperty("minorInCommercialSex").GetBoolean());
        // Under 18 in commercial sex is the top of the ladder.
        Assert.Equal("Indicators present", json.RootElement.GetProperty("result").GetProperty("summaryText").GetString());

        var french = await Haven("screening", "evaluate", "--instrument", "short-screen", "--language", "fr", answers);
        Assert.Equal(0, french.ExitCode);
        Assert.Contains("English is used", french.Error);
    }

    [Theory]
    [InlineData("not a JSON object", "{ \"age\": ")]
    [InlineData("not a JSON object", "[1, 2, 3]")]
    [InlineData("is not a question of instrument", "{ \"shoe-size\": 41 }")]
    [InlineData("takes a number", "{ \"age\": \"old\" }")]
    [InlineData("hidden by the skip logic", "{ \"owes-money\": \"no\", \"debt-grows\": \"yes\" }")]
    public async Task Bad_answer_files_are_named(string expected, string content)
    {
        var result = await Haven("screening", "evaluate", "--instrument", "short-screen", File("bad.json", content));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Unknown_instruments_missing_files_and_missing_options_fail()
    {
        var answers = File("answers.json", "{}");
        Assert.Contains("There is no instrument \"nope\"", (await Haven("screening", "evaluate", "--instrument", "nope", answers)).Error);
        Assert.Contains("does not exist", (await Haven("screening", "evaluate", "--instrument", "short-screen", Path.Combine(directory, "missing.json"))).Error);
        var noInstrument = await Haven("screening", "evaluate", answers);
        Assert.NotEqual(0, noInstrument.ExitCode);
        Assert.Contains("--instrument", noInstrument.All);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}

/// <summary>`haven relief`: the bulk screener, no database.</summary>
public sealed class ReliefCliTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("haven-relief-").FullName;
    static readonly string Header = string.Join(',', global::Haven.Features.Relief.RecordCsv.Columns);
    const string Row = "r1,P1,NY,Kings,CR-1,2015-03-01,PL 230.00,misdemeanor,convicted,2015-03-02,2015-03-02,,,documented,2014-01-01,2016-01-01";

    static Task<CliResult> Haven(params string[] args) => CliTests<SqliteApp>.RunAsync(new Dictionary<string, string>(), args);

    string File(string name, string content)
    {
        var path = Path.Combine(directory, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    string Out => Path.Combine(directory, "results.csv");

    [Fact]
    public async Task Screen_writes_results_and_a_summary_and_goes_on_past_a_bad_row()
    {
        var input = File("records.csv", $"{Header}\n{Row}\n{Row.Replace("r1,P1", "r2,P2").Replace("2015-03-01", "2015-02-30")}\n{Row.Replace("r1,P1", "r3,P3")}\n");
        var result = await Haven("relief", "screen", "--jurisdiction", "NY", "--as-of", "2026-11-01", input, "--out", Out);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("rejected: line 3: arrest_date '2015-02-30' is not a date", result.Error);
        Assert.Contains("3 rows read, 1 rejected", result.Out);
        Assert.Contains("peak memory", result.Out);
        var lines = System.IO.File.ReadAllLines(Out);
        Assert.Equal("record_id,relief,outcome,reasons,provisions", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("r3,ny-vacatur,eligible,", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("r2,", StringComparison.Ordinal));
        Assert.Contains("ny-clean-slate", (await Haven("relief", "rules")).Out);
    }

    [Fact]
    public async Task Bad_arguments_and_bad_files_are_named_and_leave_no_results()
    {
        var good = File("records.csv", $"{Header}\n{Row}\n");
        async Task<string> Fails(params string[] args)
        {
            var result = await Haven(["relief", "screen", .. args]);
            Assert.NotEqual(0, result.ExitCode);
            Assert.False(System.IO.File.Exists(Out) || System.IO.File.Exists(Out + ".partial"));
            return result.All;
        }
        Assert.Contains("--as-of 2999-01-01 is in the future", await Fails("--jurisdiction", "NY", "--as-of", "2999-01-01", good, "--out", Out));
        Assert.Contains("--as-of 'last week' is not a date", await Fails("--jurisdiction", "NY", "--as-of", "last week", good, "--out", Out));
        Assert.Contains("--jurisdiction 'CA' is not one the rules cover", await Fails("--jurisdiction", "CA", "--as-of", "2026-11-01", good, "--out", Out));
        Assert.Contains("does not exist", await Fails("--jurisdiction", "NY", "--as-of", "2026-11-01", Path.Combine(directory, "missing.csv"), "--out", Out));
        Assert.Contains("--out", await Fails("--jurisdiction", "NY", "--as-of", "2026-11-01", good));
        Assert.Contains("The file is empty", await Fails("--jurisdiction", "NY", "--as-of", "2026-11-01", File("empty.csv", ""), "--out", Out));
        Assert.Contains("separated by ';'", await Fails("--jurisdiction", "NY", "--as-of", "2026-11-01", File("semi.csv", Header.Replace(',', ';') + "\n"), "--out", Out));
        Assert.Contains("unknown column(s): extra", await Fails("--jurisdiction", "NY", "--as-of", "2026-11-01", File("extra.csv", Header + ",extra\n"), "--out", Out));
        var split = File("split.csv", $"{Header}\n{Row}\n{Row.Replace("r1,P1", "r2,P0")}\n{Row.Replace("r1,", "r3,")}\n");
        Assert.Contains("not grouped by person_ref: the person whose rows start on line 4 also has rows from line 2", await Fails("--jurisdiction", "NY", "--as-of", "2026-11-01", split, "--out", Out));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
