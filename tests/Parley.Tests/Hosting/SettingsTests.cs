using Microsoft.Extensions.Configuration;
using Parley.Data;
using Parley.Hosting;

namespace Parley.Tests.Hosting;

public sealed class SettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-settings-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private IConfiguration Build(string? dotEnv, Dictionary<string, string?> environment)
    {
        var path = Path.Combine(_dir, ".env");
        if (dotEnv is not null)
        {
            File.WriteAllText(path, dotEnv);
        }

        return new ConfigurationBuilder().AddSeedSettings(path, environment).Build();
    }

    [Fact]
    public void SeedNamesMapOntoSections()
    {
        var config = Build(null, new()
        {
            ["DATABASE_URL"] = "postgres://u:p@db:5433/parley",
            ["SECRET_KEY"] = "k",
            ["MESSAGE_LIMIT"] = "5",
            ["TIME_FRAME"] = "30m",
            ["JWT_EXPIRATION"] = "60",
            ["OPENAI_API_KEY"] = "sk-1",
            ["CORS_ORIGINS"] = "https://a.example",
            ["UNRELATED"] = "x",
        });

        Assert.Equal("postgres://u:p@db:5433/parley", config["Database:Url"]);
        Assert.Equal("k", config["Auth:SecretKey"]);
        Assert.Equal("5", config["Usage:FreeMessageLimit"]);
        Assert.Equal("00:30:00", config["Usage:Window"]);
        Assert.Equal("01:00:00", config["Auth:AccessTokenLifetime"]);
        Assert.Equal("sk-1", config["Bot:OpenAI:ApiKey"]);
        Assert.Equal("https://a.example", config["Cors:Origins"]);
        Assert.Null(config["UNRELATED"]);
    }

    [Theory]
    [InlineData("30m", 30 * 60)]
    [InlineData("1h", 3600)]
    [InlineData("24h", 86400)]
    [InlineData("7d", 7 * 86400)]
    public void TimeFramesParse(string value, int seconds)
    {
        Assert.True(SeedSettings.TryParseDuration(value, out var span));
        Assert.Equal(seconds, span.TotalSeconds);
    }

    [Fact]
    public void TheDotEnvFileIsReadAndTheEnvironmentWins()
    {
        var config = Build("""
            # comment
            MESSAGE_LIMIT=7
            export TIME_FRAME="2h"
            SECRET_KEY='from-file'
            Bot__OpenAI__Model=llama3 # trailing comment
            """, new() { ["SECRET_KEY"] = "from-env" });

        Assert.Equal("7", config["Usage:FreeMessageLimit"]);
        Assert.Equal("02:00:00", config["Usage:Window"]);
        Assert.Equal("from-env", config["Auth:SecretKey"]);
        Assert.Equal("llama3", config["Bot:OpenAI:Model"]);
    }

    [Theory]
    [InlineData("MESSAGE_LIMIT", "lots")]
    [InlineData("TIME_FRAME", "forever")]
    [InlineData("TIME_FRAME", "0h")]
    [InlineData("JWT_EXPIRATION", "soon")]
    public void ABadValueNamesTheSetting(string name, string value)
    {
        var error = Assert.Throws<SettingsException>(() => Build(null, new() { [name] = value }));

        Assert.StartsWith(name, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite:///./chatbot.db", DatabaseProvider.Sqlite, "Data Source=./chatbot.db")]
    [InlineData("sqlite:////var/lib/parley/p.db", DatabaseProvider.Sqlite, "Data Source=/var/lib/parley/p.db")]
    [InlineData("Data Source=x.db", DatabaseProvider.Sqlite, "Data Source=x.db")]
    [InlineData("postgres://alice:s%40cret@db.local:6543/parley?sslmode=require", DatabaseProvider.Postgres, "Host=db.local;Port=6543;Database=parley;Username=alice;Password=s@cret;SSL Mode=Require")]
    [InlineData("postgresql://db/parley", DatabaseProvider.Postgres, "Host=db;Port=5432;Database=parley")]
    [InlineData("Host=db;Database=parley", DatabaseProvider.Postgres, "Host=db;Database=parley")]
    public void DatabaseUrlsParse(string url, DatabaseProvider provider, string expected)
    {
        var parsed = DatabaseUrl.Parse(url);

        Assert.Equal(provider, parsed.Provider);
        Assert.StartsWith(expected, parsed.ConnectionString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql://db/parley")]
    [InlineData("sqlite:///")]
    public void UnknownDatabaseUrlsNameTheSetting(string url) =>
        Assert.StartsWith("DATABASE_URL", Assert.Throws<SettingsException>(() => DatabaseUrl.Parse(url)).Message, StringComparison.Ordinal);

    [Fact]
    public void TheDotEnvBesideTheRepositoryIsFoundFromTheProjectFolder()
    {
        File.WriteAllText(Path.Combine(_dir, "Parley.slnx"), "<Solution />");
        File.WriteAllText(Path.Combine(_dir, ".env"), "MESSAGE_LIMIT=3");
        var project = Directory.CreateDirectory(Path.Combine(_dir, "src", "Parley")).FullName;

        Assert.Equal(Path.Combine(_dir, ".env"), DotEnv.Locate(project));
    }

    [Fact]
    public void ADotEnvInTheWorkingDirectoryComesFirst()
    {
        File.WriteAllText(Path.Combine(_dir, ".env"), "MESSAGE_LIMIT=3");
        var inner = Directory.CreateDirectory(Path.Combine(_dir, "inner")).FullName;
        File.WriteAllText(Path.Combine(inner, ".env"), "MESSAGE_LIMIT=4");

        Assert.Equal(Path.Combine(inner, ".env"), DotEnv.Locate(inner));
    }
}
