using Npgsql;

namespace Parley.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server test.sh starts (PARLEY_TEST_POSTGRES). Its absence is a failure, never a skip: the
/// PostgreSQL tests are part of the suite.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "PARLEY_TEST_POSTGRES";

    private static string Admin => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException(
            $"{Variable} is not set. Run ./test.sh, which starts a throwaway PostgreSQL, or point {Variable} at one.");

    /// <summary>Where the server listens, for a <see cref="TcpProxy"/> in front of it.</summary>
    public static (string Host, int Port) Endpoint
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(Admin);
            return (builder.Host!, builder.Port);
        }
    }

    public static string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(Admin) { Database = database }.ToString();

    public static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
