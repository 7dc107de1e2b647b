using Haven.Data;
using Haven.Features.Clients;
using Haven.Features.Operations;
using Haven.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Haven.Tests.Integration;

/// <summary>The demo seed on a real, empty database: all of it or none of it, and safe houses kept by the shelter.</summary>
public abstract class DemoSeedTests(DatabaseProvider provider)
{
    /// <summary>Fails the first save that adds clients, part way through the seed (after organizations and staff).</summary>
    sealed class FailingSave : SaveChangesInterceptor
    {
        public bool Armed { get; set; } = true;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
        {
            if (Armed && eventData.Context!.ChangeTracker.Entries<Client>().Any(e => e.State == EntityState.Added))
                throw new IOException("Synthetic failure part way through the demo seed.");
            return ValueTask.FromResult(result);
        }
    }

    sealed class App(DatabaseProvider provider, FailingSave failing) : HavenApp(provider)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services =>
            {
                if (Provider == DatabaseProvider.Sqlite) services.ConfigureDbContext<SqliteHavenDb>(o => o.AddInterceptors(failing));
                else services.ConfigureDbContext<PostgresHavenDb>(o => o.AddInterceptors(failing));
            });
        }
    }

    static async Task<Dictionary<string, long>> RowCountsAsync(HavenDb db)
    {
        var counts = new Dictionary<string, long>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        foreach (var table in db.Model.GetEntityTypes().Select(t => t.GetTableName()).OfType<string>().Distinct())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            counts[table] = Convert.ToInt64(await command.ExecuteScalarAsync());
        }
        await db.Database.CloseConnectionAsync();
        return counts;
    }

    [Fact]
    public async Task A_seed_that_fails_part_way_leaves_the_database_as_it_was_and_the_next_seed_works()
    {
        var failing = new FailingSave();
        await using var app = new App(provider, failing);
        var before = await app.WithScopeAsync(s => RowCountsAsync(s.GetRequiredService<HavenDb>()));
        Assert.Equal(0, before["Organizations"]);

        await Assert.ThrowsAsync<IOException>(() => app.WithScopeAsync(s => s.GetRequiredService<Seeding>().SeedDemoAsync()));
        var after = await app.WithScopeAsync(s => RowCountsAsync(s.GetRequiredService<HavenDb>()));
        Assert.Equal(before, after);

        failing.Armed = false;
        var (password, logins) = await app.WithScopeAsync(s => s.GetRequiredService<Seeding>().SeedDemoAsync());
        Assert.NotEmpty(password);
        Assert.Equal(11, logins.Count);
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HavenDb>();
            Assert.Equal(5, await db.Organizations.CountAsync());
            Assert.Equal(40, await db.Clients.CountAsync());
            // Every safe house is listed by the shelter and sealed under its key; none belongs to "no organization".
            var shelter = await db.Organizations.Where(o => o.Kind == Features.Organizations.OrganizationKind.Shelter).Select(o => o.Id).SingleAsync();
            var safeHouses = await db.DirectoryRecords.Where(r => r.Table == "location" && r.Confidential).ToListAsync();
            Assert.NotEmpty(safeHouses);
            Assert.All(safeHouses, r => Assert.Equal(shelter, r.ListedBy));
            Assert.All(safeHouses, r => Assert.True(r.Json == "" && r.Sealed is { Length: > 0 }));
            return 0;
        });
    }
}

public sealed class DemoSeedSqlite() : DemoSeedTests(DatabaseProvider.Sqlite);
public sealed class DemoSeedPostgres() : DemoSeedTests(DatabaseProvider.Postgres);
