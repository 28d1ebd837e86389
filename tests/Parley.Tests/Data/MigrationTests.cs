using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Data;

public sealed class MigrationTests
{
    [Fact]
    public void TheSqliteMigrationsCoverTheModel()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(),
            "The model has changes no SQLite migration covers: dotnet ef migrations add <Name> --context SqliteDbContext --output-dir Data/Migrations/Sqlite");
    }

    [Fact]
    public void ThePostgresMigrationsCoverTheModel()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(),
            "The model has changes no PostgreSQL migration covers: dotnet ef migrations add <Name> --context PostgresDbContext --output-dir Data/Migrations/Postgres");
    }

    [Fact]
    public void BothProvidersHaveTheSameMigrations()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);

        static IEnumerable<string> Names(DbContext db) => db.Database.GetMigrations().Select(m => m[(m.IndexOf('_') + 1)..]);

        Assert.Equal(Names(sqlite), Names(postgres));
    }

    [Fact]
    public async Task InstancesStartingTogetherOnANewPostgresDatabaseAllComeUp()
    {
        var first = new PostgresFactory();
        await first.InitializeAsync();
        List<ParleyFactory> instances = [first, new SecondInstanceFactory(first), new SecondInstanceFactory(first), new SecondInstanceFactory(first)];
        try
        {
            // Each starts (and migrates) on its first client; all four at once, as a rollout or a scale-up does.
            var clients = await Task.WhenAll(instances.Select(f => Task.Run(() => f.CreateClient())));

            foreach (var client in clients)
            {
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
            }
        }
        finally
        {
            foreach (var instance in instances[1..])
            {
                await instance.DisposeAsync();
            }

            await ((IAsyncLifetime)first).DisposeAsync();
        }
    }
}
