using System.Net;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Hosting;

/// <summary>With <c>Telemetry__Prometheus=true</c>, <c>/metrics</c> shows Parley's own metrics next to ASP.NET Core's.</summary>
public sealed class TelemetryTests(TelemetryTests.Factory factory) : IClassFixture<TelemetryTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory()
        {
            Settings["Telemetry:Prometheus"] = "true";
            Settings["Usage:FreeMessageLimit"] = "1";
        }
    }

    [Fact]
    public async Task SendsRefusalsAndActiveRepliesAreScraped()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        Assert.Equal(HttpStatusCode.OK, (await user.SendAsync(chat.Id, "hello")).StatusCode);
        Assert.Equal(HttpStatusCode.PaymentRequired, (await user.SendAsync(chat.Id, "one more")).StatusCode);

        var metrics = await factory.CreateClient().GetStringAsync("/metrics");

        // At least ours: a meter listener sees every app in the process, and other tests' apps run alongside.
        Assert.Matches(@"parley_messages_sent_total\{[^}]*plan=""Free""[^}]*\} [1-9]", metrics);
        Assert.Matches(@"parley_quota_refusals_total\{[^}]*plan=""Free""[^}]*\} [1-9]", metrics);
        Assert.Contains("parley_replies_active", metrics, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", metrics, StringComparison.Ordinal);
    }
}

/// <summary>Off by default: nothing is exported and there is no scrape endpoint (the address is the UI's).</summary>
public sealed class TelemetryOffTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task ThereIsNoMetricsEndpointUnlessAskedFor()
    {
        var response = await factory.CreateClient().GetAsync("/metrics");

        Assert.DoesNotContain("parley_messages_sent", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
