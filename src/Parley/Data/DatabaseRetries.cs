using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace Parley.Data;

/// <summary>
/// Transient database failures are retried where they happen. On PostgreSQL the execution strategy retries a failed
/// command (3 times, back-off up to a second): a connection the pool kept from before a server restart, a reset link.
/// SQLite has no such failures to retry: a busy database is waited for by the driver (its busy timeout), and what
/// is left is a 503. See docs/decisions/0010-database-faults.md.
/// </summary>
public static class DatabaseRetries
{
    public const int MaxRetries = 3;

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs <paramref name="work"/>, which opens and commits its own transaction, as one unit the execution strategy
    /// may run again after a transient failure. Each attempt starts with an empty change tracker, so nothing from a
    /// failed attempt is saved by the next.
    /// </summary>
    public static Task<T> RetryingAsync<T>(this AppDbContext db, Func<CancellationToken, Task<T>> work, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            return await work(token);
        }, ct);

    public static async Task RetryingAsync(this AppDbContext db, Func<CancellationToken, Task> work, CancellationToken ct) =>
        await db.RetryingAsync(async token =>
        {
            await work(token);
            return true;
        }, ct);
}

/// <summary>
/// Npgsql's retrying strategy, plus: when a connection itself failed, the pool is cleared. After a server restart
/// every idle pooled connection is dead, and a retry on the next of them would fail the same way. A failure the
/// server reports on a live connection (a deadlock, a serialization failure) leaves the pool alone.
/// </summary>
internal sealed class PostgresRetryingStrategy(ExecutionStrategyDependencies dependencies)
    : NpgsqlRetryingExecutionStrategy(dependencies, DatabaseRetries.MaxRetries, DatabaseRetries.MaxDelay, null)
{
    protected override bool ShouldRetryOn(Exception? exception)
    {
        if (!base.ShouldRetryOn(exception))
        {
            return false;
        }

        if (exception is not PostgresException || exception is PostgresException { SqlState: "57P01" or "57P02" or "57P03" })
        {
            NpgsqlConnection.ClearAllPools(); // a broken socket, or the server shutting down or starting up
        }

        return true;
    }
}
