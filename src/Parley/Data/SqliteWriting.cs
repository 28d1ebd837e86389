using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Parley.Data;

/// <summary>
/// SQLite lets one writer in at a time. Writers that collide get SQLITE_BUSY, and the driver then blocks its thread
/// in a sleep-and-retry loop, so under load the thread pool starves behind sleeping writers (measured: a send took
/// 650 ms p50 at 64 concurrent). Parley's write transactions instead queue in process, asynchronously, for the file:
/// one at a time, in order, no thread blocked. See docs/decisions/0011-sqlite-writes.md.
/// </summary>
internal static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static async Task<IDisposable> EnterAsync(string dataSource, CancellationToken ct)
    {
        var gate = Gates.GetOrAdd(Path.GetFullPath(dataSource), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}

/// <summary>
/// Every SQLite connection Parley opens: commits in WAL mode without an fsync each (<c>synchronous=NORMAL</c>: a
/// killed process loses nothing committed; a power cut may lose the last moments), and SQLite's own busy handler
/// (short, growing waits) for the writes that do not go through <see cref="SqliteWriteGate"/>.
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;";

    // The settings belong to the native connection, which the driver's pool keeps across opens: set them once each.
    private static readonly ConditionalWeakTable<object, object> Configured = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (NeedsSetup(connection) is { } handle)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
            Configured.AddOrUpdate(handle, handle);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (NeedsSetup(connection) is { } handle)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            Configured.AddOrUpdate(handle, handle);
        }
    }

    private static object? NeedsSetup(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && !Configured.TryGetValue(handle, out _) ? handle : null;
}

public static class WriteTransactions
{
    // The file of each connection string, parsed once: every write transaction looks it up.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> DataSources = new(StringComparer.Ordinal);

    /// <summary>
    /// Begins a transaction that writes. On SQLite it first waits its turn for the file (<see cref="SqliteWriteGate"/>)
    /// and holds it until the transaction is disposed; on PostgreSQL, rows are locked as they are written instead.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginWriteAsync(this AppDbContext db, CancellationToken ct)
    {
        if (db is not SqliteDbContext)
        {
            return await db.Database.BeginTransactionAsync(ct);
        }

        var turn = await SqliteWriteGate.EnterAsync(DataSources.GetOrAdd(db.Database.GetConnectionString()!, c => new SqliteConnectionStringBuilder(c).DataSource), ct);
        try
        {
            return new GatedTransaction(await db.Database.BeginTransactionAsync(ct), turn);
        }
        catch
        {
            turn.Dispose();
            throw;
        }
    }

    private sealed class GatedTransaction(IDbContextTransaction inner, IDisposable turn) : IDbContextTransaction
    {
        public Guid TransactionId => inner.TransactionId;

        public void Commit() => inner.Commit();

        public Task CommitAsync(CancellationToken cancellationToken = default) => inner.CommitAsync(cancellationToken);

        public void Rollback() => inner.Rollback();

        public Task RollbackAsync(CancellationToken cancellationToken = default) => inner.RollbackAsync(cancellationToken);

        public void Dispose()
        {
            inner.Dispose();
            turn.Dispose();
        }

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            turn.Dispose();
        }
    }
}
