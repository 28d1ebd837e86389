using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Parley.Data;

public static class DataExtensions
{
    public static IServiceCollection AddParleyData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();

        var url = DatabaseUrl.From(configuration);
        services.AddSingleton(url);
        services.AddHostedService<DatabaseMigrator>();
        if (url.Provider == DatabaseProvider.Postgres)
        {
            // Pooled: a request leases a context whose internal services are already built (ADR 0012).
            services.AddDbContextPool<PostgresDbContext>(o =>
                o.UseNpgsql(url.ConnectionString, npgsql => npgsql.ExecutionStrategy(d => new PostgresRetryingStrategy(d))));
            services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<PostgresDbContext>());
            services.AddSingleton<IKeyedLock, PostgresKeyedLock>();
            services.AddSingleton<Features.Chats.PostgresReplySignals>();
            services.AddSingleton<Features.Chats.IReplySignals>(sp => sp.GetRequiredService<Features.Chats.PostgresReplySignals>());
            services.AddHostedService(sp => sp.GetRequiredService<Features.Chats.PostgresReplySignals>());
        }
        else
        {
            services.AddDbContextPool<SqliteDbContext>(o => o.UseSqlite(url.ConnectionString).AddInterceptors(new SqliteConnectionSetup()));
            services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<SqliteDbContext>());
            services.AddSingleton<IKeyedLock, InProcessKeyedLock>();
            services.AddSingleton<Features.Chats.IReplySignals, Features.Chats.InProcessReplySignals>();
        }

        return services;
    }

    /// <summary>Creates the database or brings it up to the latest migration; runs before the app takes requests.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // A migration's backfill on a large database takes minutes (the search index of a million messages): no
        // command timeout, so it is not cut at 30 s and retried from the start at every start-up.
        db.Database.SetCommandTimeout(0);
        if (db.Database.IsSqlite())
        {
            var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            var directory = Path.GetDirectoryName(Path.GetFullPath(file));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }
        }

        if (db.Database.IsNpgsql())
        {
            // Instances starting together on a new or older database: one migrates, the others wait, then find
            // nothing to do. Without this, the second one crashed ("column ... already exists").
            await using var migrating = await scope.ServiceProvider.GetRequiredService<IKeyedLock>()
                .AcquireAsync("parley-migrations", cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }
        else
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        if (db.Database.IsSqlite())
        {
            // WAL lets readers go on while one writer holds the lock; it is a property of the file, set once.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}

/// <summary>Used by <c>dotnet ef migrations add ... --context SqliteDbContext</c>.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteDbContext>
{
    public SqliteDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>Used by <c>dotnet ef migrations add ... --context PostgresDbContext</c>; never connects.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresDbContext>
{
    public PostgresDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql("Host=localhost;Database=parley").Options);
}
