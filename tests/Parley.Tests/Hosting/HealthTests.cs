using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Hosting;

public abstract class HealthTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    protected TFactory App => factory;

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/healthz/live")]
    [InlineData("/healthz/ready")]
    public async Task AHealthyInstanceIsLiveAndReady(string path)
    {
        var response = await factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class SqliteHealthTests(SqliteFactory factory) : HealthTests<SqliteFactory>(factory), IClassFixture<SqliteFactory>;

public sealed class PostgresHealthTests(PostgresHealthTests.Factory factory) : HealthTests<PostgresHealthTests.Factory>(factory), IClassFixture<PostgresHealthTests.Factory>
{
    /// <summary>The app reaches PostgreSQL through a link the test can cut.</summary>
    public sealed class Factory : PostgresFactory
    {
        public TcpProxy DatabaseLink { get; } = TcpProxy.ToPostgres();

        protected override string DatabaseUrl => DatabaseLink.Route(base.DatabaseUrl);

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await DatabaseLink.DisposeAsync();
        }
    }

    [Fact]
    public async Task WithoutItsDatabaseAnInstanceIsLiveButNotReadyAndRecoversByItself()
    {
        var client = App.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);

        App.DatabaseLink.Cut();
        HttpResponseMessage ready, live;
        try
        {
            ready = await client.GetAsync("/healthz/ready");
            live = await client.GetAsync("/healthz/live");
        }
        finally
        {
            App.DatabaseLink.Restore();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Unhealthy", report.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode); // restarting it would not help

        // Back without anyone's help (a connection broken by the outage may fail one more check).
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5 && statuses.LastOrDefault() != HttpStatusCode.OK; i++)
        {
            statuses.Add((await client.GetAsync("/healthz/ready")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, statuses[^1]);
    }
}

/// <summary>Its own app: it is shut down.</summary>
public sealed class DrainingHealthTests
{
    [Fact]
    public async Task AnInstanceShuttingDownIsNoLongerReady()
    {
        await using var factory = new SqliteFactory();
        var checks = factory.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await checks.CheckHealthAsync(c => c.Tags.Contains("ready"))).Status);

        var lifetime = factory.Services.GetRequiredService<IHostApplicationLifetime>();
        Task<HealthReport>? whileStopping = null;
        // Asked the moment shutdown begins (afterwards the test host is gone), as a balancer's next probe would be.
        lifetime.ApplicationStopping.Register(() => whileStopping = checks.CheckHealthAsync(c => c.Name == "accepting"));

        lifetime.StopApplication();

        var report = await whileStopping!;
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["accepting"].Status);
    }
}
