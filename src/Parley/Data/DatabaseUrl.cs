using Microsoft.Data.Sqlite;
using Npgsql;
using Parley.Hosting;

namespace Parley.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Turns DATABASE_URL (seed-style URL or a plain connection string) into a provider and connection string.</summary>
public sealed record DatabaseUrl(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>The configured database (Database__Url, DATABASE_URL), for registrations that depend on the provider.</summary>
    public static DatabaseUrl From(IConfiguration configuration) =>
        Parse(configuration[$"{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.Url)}"] ?? new DatabaseOptions().Url);

    public static DatabaseUrl Parse(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        if (url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            // sqlite:///./chatbot.db (relative) and sqlite:////var/lib/parley.db (absolute), as SQLAlchemy writes them.
            var path = url["sqlite:".Length..];
            path = path.StartsWith("///", StringComparison.Ordinal) ? path[3..] : path.TrimStart('/');
            if (path.Length == 0 || path == ":memory:")
            {
                throw new SettingsException("DATABASE_URL must name a SQLite file, such as sqlite:///./parley.db.");
            }

            return new(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Pooling = true,
            }.ToString());
        }

        if (url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
            url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new(DatabaseProvider.Postgres, FromPostgresUri(url));
        }

        if (url.Contains("Data Source=", StringComparison.OrdinalIgnoreCase))
        {
            return new(DatabaseProvider.Sqlite, url);
        }

        if (url.Contains("Host=", StringComparison.OrdinalIgnoreCase) ||
            url.Contains("Server=", StringComparison.OrdinalIgnoreCase))
        {
            return new(DatabaseProvider.Postgres, url);
        }

        throw new SettingsException(
            "DATABASE_URL must start with sqlite:/// or postgres://, or be an Npgsql connection string (Host=...).");
    }

    private static string FromPostgresUri(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new SettingsException("DATABASE_URL is not a valid postgres:// URL (postgres://user:pass@host:5432/db).");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(parts[0]);
            var value = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "";
            if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) &&
                Enum.TryParse<SslMode>(value.Replace("-", "", StringComparison.Ordinal), true, out var mode))
            {
                builder.SslMode = mode;
            }
        }

        return builder.ToString();
    }
}
