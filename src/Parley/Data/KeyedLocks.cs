using Npgsql;

namespace Parley.Data;

/// <summary>
/// A named mutual-exclusion lock, held across awaits (and across a call to another service) by whoever acquires it:
/// "only one of these at a time for this key". On PostgreSQL it spans every instance on the database; SQLite is one
/// process by nature, so a lock in memory is enough there. Dispose the handle to release.
/// </summary>
public interface IKeyedLock
{
    Task<IAsyncDisposable> AcquireAsync(string key, CancellationToken ct);
}

/// <summary>
/// A session-level advisory lock on a connection of its own, so it is independent of the caller's transactions and is
/// released by the server if this process dies (the connection closes).
/// </summary>
internal sealed class PostgresKeyedLock(DatabaseUrl url) : IKeyedLock
{
    public async Task<IAsyncDisposable> AcquireAsync(string key, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(url.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended(@key, 0))", connection);
            command.Parameters.AddWithValue("key", key);
            await command.ExecuteNonQueryAsync(ct);
            return new Handle(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class Handle(NpgsqlConnection connection, string key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended(@key, 0))", connection);
                command.Parameters.AddWithValue("key", key);
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                // Closing also releases the lock, should the unlock itself have failed.
                await connection.DisposeAsync();
            }
        }
    }
}

internal sealed class InProcessKeyedLock : IKeyedLock
{
    private readonly Dictionary<string, Entry> _entries = [];
    private readonly Lock _sync = new();

    public async Task<IAsyncDisposable> AcquireAsync(string key, CancellationToken ct)
    {
        Entry entry;
        lock (_sync)
        {
            if (!_entries.TryGetValue(key, out entry!))
            {
                entry = new Entry();
                _entries[key] = entry;
            }

            entry.Users++;
        }

        try
        {
            await entry.Gate.WaitAsync(ct);
        }
        catch
        {
            Leave(key, entry, entered: false);
            throw;
        }

        return new Handle(() => Leave(key, entry, entered: true));
    }

    private void Leave(string key, Entry entry, bool entered)
    {
        lock (_sync)
        {
            if (entered)
            {
                entry.Gate.Release();
            }

            // The last one out removes the entry, so keys (subscription ids, user ids) do not pile up.
            if (--entry.Users == 0)
            {
                _entries.Remove(key);
                entry.Gate.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public int Users { get; set; }
    }

    private sealed class Handle(Action release) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
