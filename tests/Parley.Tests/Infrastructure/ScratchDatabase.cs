using Microsoft.EntityFrameworkCore;
using Npgsql;
using Parley.Data;

namespace Parley.Tests.Infrastructure;

/// <summary>
/// An empty database for a test that drives the migrations itself (no app host): a SQLite file in the temp folder
/// or a database on the test PostgreSQL server, removed when disposed.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly Func<Task> _remove;

    private ScratchDatabase(AppDbContext context, Func<Task> remove) => (Context, _remove) = (context, remove);

    public AppDbContext Context { get; }

    public static ScratchDatabase Sqlite(string name)
    {
        var file = Path.Combine(Path.GetTempPath(), $"parley-{name}-{Guid.NewGuid():N}.db");
        var context = new SqliteDbContext(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite($"Data Source={file}").Options);
        return new(context, () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }

            return Task.CompletedTask;
        });
    }

    public static async Task<ScratchDatabase> PostgresAsync(string name)
    {
        var database = $"parley_{name.Replace('-', '_')}_{Guid.NewGuid():N}";
        await PostgresServer.ExecuteAsync($"CREATE DATABASE {database}");
        var context = new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(PostgresServer.ConnectionString(database)).Options);
        return new(context, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await PostgresServer.ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await _remove();
    }
}
