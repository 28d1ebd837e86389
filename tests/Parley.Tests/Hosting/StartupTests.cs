using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Tests.Hosting;

/// <summary>
/// Start-up refuses settings that would run an unsafe or broken server and says which setting to fix. These start
/// the real executable, as an operator would, and read what it prints.
/// </summary>
public sealed class StartupTests
{
    private static async Task<(int ExitCode, string Error)> StartAsync(params (string Name, string Value)[] environment)
    {
        var dir = Directory.CreateTempSubdirectory("parley-startup-").FullName;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Parley.dll")])
        {
            WorkingDirectory = dir,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DATABASE_URL"] = $"sqlite:///{Path.Combine(dir, "p.db")}";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        _ = process.StandardOutput.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Parley kept running although its settings are invalid.");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        return (process.ExitCode, await error);
    }

    [Fact]
    public async Task AMissingSecretKeyStopsProductionStartUp()
    {
        var (exit, error) = await StartAsync();

        Assert.Equal(1, exit);
        Assert.StartsWith("Parley cannot start: SECRET_KEY is not set", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownSearchLanguageStopsStartUpNamingTheSetting()
    {
        var name = $"parley_startup_{Guid.NewGuid():N}";
        await Infrastructure.PostgresServer.ExecuteAsync($"CREATE DATABASE {name}");
        try
        {
            var (exit, error) = await StartAsync(("SECRET_KEY", new string('k', 40)),
                ("DATABASE_URL", Infrastructure.PostgresServer.ConnectionString(name)), ("Search__Language", "klingon"));

            Assert.Equal(1, exit);
            Assert.StartsWith("Parley cannot start: Search__Language is 'klingon'", error, StringComparison.Ordinal);
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await Infrastructure.PostgresServer.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    [Fact]
    public async Task PaymentsInProductionNeedAPublicBaseUrl()
    {
        var (exit, error) = await StartAsync(("SECRET_KEY", new string('k', 40)), ("Billing__TestMode", "true"));

        Assert.Equal(1, exit);
        Assert.StartsWith("Parley cannot start: PUBLIC_BASE_URL is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecretKeyAndTestModeTogetherStopStartUp()
    {
        var (exit, error) = await StartAsync(("SECRET_KEY", new string('k', 40)), ("Billing__TestMode", "true"),
            ("STRIPE_SECRET_KEY", "sk_live_x"), ("STRIPE_WEBHOOK_SECRET", "whsec_x"), ("PUBLIC_BASE_URL", "https://chat.example.com"));

        Assert.Equal(1, exit);
        Assert.Contains("Billing__TestMode=true and STRIPE_SECRET_KEY", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AShortSecretKeyStopsStartUp()
    {
        var (exit, error) = await StartAsync(("SECRET_KEY", "too-short"));

        Assert.Equal(1, exit);
        Assert.Contains("SECRET_KEY is too short", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOutOfRangeLimitStopsStartUpNamingTheSetting()
    {
        var (exit, error) = await StartAsync(("SECRET_KEY", new string('k', 40)), ("Usage__FreeMessageLimit", "-1"));

        Assert.Equal(1, exit);
        Assert.Contains("FreeMessageLimit", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreadableSeedValueStopsStartUpNamingIt()
    {
        var (exit, error) = await StartAsync(("SECRET_KEY", new string('k', 40)), ("MESSAGE_LIMIT", "twenty"));

        Assert.Equal(1, exit);
        Assert.Contains("MESSAGE_LIMIT must be a whole number", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWildcardCorsOriginStopsStartUp()
    {
        var (exit, error) = await StartAsync(("SECRET_KEY", new string('k', 40)), ("CORS_ORIGINS", "*"));

        Assert.Equal(1, exit);
        Assert.Contains("CORS_ORIGINS", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateBringsTheDatabaseUpToDateAndExits()
    {
        var dir = Directory.CreateTempSubdirectory("parley-migrate-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Parley.dll"), "migrate"])
            {
                WorkingDirectory = dir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment =
                {
                    ["ASPNETCORE_ENVIRONMENT"] = "Production",
                    ["SECRET_KEY"] = new string('k', 40), // commands read the same settings as the server
                    ["DATABASE_URL"] = $"sqlite:///{Path.Combine(dir, "p.db")}",
                },
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

            Assert.True(process.ExitCode == 0, await error);
            Assert.Contains("The database is up to date.", await output, StringComparison.Ordinal);
            await using var db = new SqliteDbContext(new DbContextOptionsBuilder<SqliteDbContext>()
                .UseSqlite($"Data Source={Path.Combine(dir, "p.db")};Pooling=False").Options);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task DevelopmentMakesASecretKeyOnceAndKeepsIt()
    {
        var dir = Directory.CreateTempSubdirectory("parley-dev-").FullName;
        try
        {
            var keyFile = Path.Combine(dir, ".parley", "secret-key");
            var first = await RunUntilAsync(dir, () => File.Exists(keyFile) && new FileInfo(keyFile).Length > 0);
            var key = await File.ReadAllTextAsync(keyFile);
            foreach (var file in Directory.GetFiles(dir, "p.db*"))
            {
                File.Delete(file);
            }

            // The database is created after the key is settled, so its appearing means the second start is past that.
            await RunUntilAsync(dir, () => File.Exists(Path.Combine(dir, "p.db")));

            Assert.True(first);
            Assert.True(key.Length >= 32);
            Assert.Equal(key, await File.ReadAllTextAsync(keyFile)); // the second start reused it
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Starts Parley in Development in <paramref name="dir"/> until <paramref name="done"/> holds, then stops it.</summary>
    private static async Task<bool> RunUntilAsync(string dir, Func<bool> done)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Parley.dll")])
        {
            WorkingDirectory = dir,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DATABASE_URL"] = $"sqlite:///{Path.Combine(dir, "p.db")}";
        start.Environment.Remove("SECRET_KEY");
        using var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        try
        {
            for (var i = 0; i < 600 && !done(); i++)
            {
                await Task.Delay(100);
            }

            return done();
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
