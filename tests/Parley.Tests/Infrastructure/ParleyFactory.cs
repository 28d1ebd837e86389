using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Parley.Tests.Infrastructure;

/// <summary>
/// The real app over a real database. Subclasses choose the database; <see cref="Settings"/> can be changed by a
/// derived fixture before the first client is created. The clock is fake (starting now, ticking 1 ms per reading)
/// so windows and expiry can be moved through without waiting.
/// </summary>
public abstract class ParleyFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string SecretKey = "test-secret-key-that-is-long-enough-for-hs256-0123456789";

    public virtual FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    /// <summary>This instance's attachment folder (Storage__Path), removed with it.</summary>
    public string StoragePath { get; } = Path.Combine(Path.GetTempPath(), $"parley-files-{Guid.NewGuid():N}");

    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["Auth:SecretKey"] = SecretKey,
        ["Auth:BcryptWorkFactor"] = "4",
        ["Auth:AttemptsPerMinutePerIp"] = "100000",
        ["Usage:FreeMessageLimit"] = "20",
        ["Usage:Window"] = "1.00:00:00",
        ["Bot:BuiltInWordDelay"] = "00:00:00",
    };

    /// <summary>Warnings and errors the app logged.</summary>
    public ListLoggerProvider Logs { get; } = new();

    /// <summary>Every API response checked against web/openapi.json; what breaks it fails the fixture's clean-up.</summary>
    public ContractRecorder Contract { get; } = new(ApiContract.Committed);

    protected abstract string DatabaseUrl { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(StoragePath))
        {
            Directory.Delete(StoragePath, recursive: true);
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (!Contract.Violations.IsEmpty)
        {
            var message = $"{GetType().Name}: responses that break the OpenAPI document (web/openapi.json); fix the endpoint " +
                "or its metadata, then run scripts/update-api.sh:\n  " + string.Join("\n  ", Contract.Violations.Distinct());
            // xUnit prints a fixture's clean-up failure without its message unless asked for detail: test.sh shows this file.
            if (Environment.GetEnvironmentVariable("PARLEY_CONTRACT_REPORT") is { Length: > 0 } report)
            {
                lock (typeof(ApiContract))
                {
                    File.AppendAllText(report, message + "\n");
                }
            }

            throw new ApiContractBrokenException(message);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Url", DatabaseUrl);
        builder.UseSetting("Storage:Path", StoragePath);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        // The request log is for operators; in the suite it would be a line per request of every test.
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter("Microsoft.AspNetCore.HttpLogging", LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<IStartupFilter>(Contract);
            ConfigureServices(services);
        });
    }

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }
}

public class SqliteFactory : ParleyFactory
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"parley-test-{Guid.NewGuid():N}.db");

    protected override string DatabaseUrl => $"sqlite:///{_file}";

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_file + suffix);
        }
    }
}

/// <summary>A fresh database on the suite's throwaway PostgreSQL server (see test.sh), dropped afterwards.</summary>
public class PostgresFactory : ParleyFactory
{
    private readonly bool _ownsDatabase;

    public PostgresFactory()
        : this($"parley_test_{Guid.NewGuid():N}", ownsDatabase: true)
    {
    }

    /// <summary>Another instance of the app on <paramref name="database"/>, as behind a load balancer.</summary>
    protected PostgresFactory(string database, bool ownsDatabase)
    {
        Database = database;
        _ownsDatabase = ownsDatabase;
    }

    public string Database { get; }

    protected override string DatabaseUrl => PostgresServer.ConnectionString(Database);

    public override async Task InitializeAsync()
    {
        if (_ownsDatabase)
        {
            await PostgresServer.ExecuteAsync($"CREATE DATABASE {Database}");
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await PostgresServer.ExecuteAsync($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
        }
    }
}

/// <summary>
/// A second app instance sharing a <see cref="PostgresFactory"/>'s database, and its clock: with a clock of its own,
/// started later, it would find the first instance's reply leases expired and close its replies mid-stream.
/// </summary>
public sealed class SecondInstanceFactory(PostgresFactory first) : PostgresFactory(first.Database, ownsDatabase: false)
{
    public override FakeTimeProvider Time => first.Time;
}

/// <summary>A response broke web/openapi.json (named so that even xUnit's one-line clean-up failure says what happened).</summary>
public sealed class ApiContractBrokenException(string message) : Exception(message);
