using Microsoft.Data.Sqlite;
using Npgsql;

namespace Parley.Data;

/// <summary>
/// Tells a database that is away for now (connection refused or reset, server restarting, pool exhausted, SQLite
/// busy) from a bug: the first is a 503 the client can retry, the second a 500.
/// </summary>
public static class DatabaseOutage
{
    public const string RetryAfterSeconds = "5";

    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } or SqliteException { SqliteErrorCode: 5 or 6 })
            {
                return true;
            }
        }

        return false;
    }
}
