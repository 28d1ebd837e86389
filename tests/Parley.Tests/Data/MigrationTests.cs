using Microsoft.EntityFrameworkCore;
using Parley.Data;

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
}
