using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Parley.Features.Auth;
using Parley.Features.Billing;
using Parley.Features.Billing.TestMode;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Billing;

/// <summary>
/// Money off the happy path on PostgreSQL: the database unreachable while Stripe talks to us or a user upgrades, and
/// an instance killed while it holds a lock. Stripe must be told to come back, nothing may happen at Stripe that
/// Parley cannot record, and no lock may outlive its holder.
/// </summary>
public sealed class BillingOutageTests(BillingOutageTests.Factory factory) : IClassFixture<BillingOutageTests.Factory>
{
    /// <summary>The app reaches PostgreSQL through a link the tests can cut.</summary>
    public sealed class Factory : PostgresBillingFactory
    {
        public TcpProxy DatabaseLink { get; } = TcpProxy.ToPostgres();

        protected override string DatabaseUrl => DatabaseLink.Route(base.DatabaseUrl);

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await DatabaseLink.DisposeAsync();
        }
    }

    private FakeStripe Stripe => factory.Stripe;

    /// <summary>Delivers a signed event as Stripe does, whatever the answer.</summary>
    private Task<HttpResponseMessage> DeliverAsync(string json) =>
        factory.PostEventAsync(json, StripeSignature.Sign(json, BillingFactory.WebhookSecret, factory.Time.GetUtcNow()));

    private async Task<T> DuringOutageAsync<T>(Func<Task<T>> action)
    {
        factory.DatabaseLink.Cut();
        try
        {
            return await action();
        }
        finally
        {
            factory.DatabaseLink.Restore();
        }
    }

    /// <summary>What Stripe (or a user) does with a 503: try again, a few times.</summary>
    private static async Task<HttpResponseMessage> UntilAcceptedAsync(Func<Task<HttpResponseMessage>> send)
    {
        var response = await send();
        for (var i = 0; i < 5 && response.StatusCode == HttpStatusCode.ServiceUnavailable; i++)
        {
            response = await send();
        }

        return response;
    }

    [Fact]
    public async Task AWebhookDuringADatabaseOutageIsRefusedAndAppliedWhenStripeRedelivers()
    {
        var user = await factory.RegisterAsync();
        var deliver = Stripe.DeliverEvent;
        Stripe.DeliverEvent = null; // this test is Stripe's delivery
        try
        {
            var session = await user.StartCheckoutAsync();
            await Stripe.CompleteCheckoutAsync(session);
            var subscription = Stripe.Find(session)!["subscription"]!.GetValue<string>();
            var created = Stripe.EventJson("customer.subscription.created", Stripe.Find(subscription)!);

            var during = await DuringOutageAsync(() => DeliverAsync(created));

            var problem = await during.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal(ProblemTypes.DatabaseUnavailable, problem.Type);
            Assert.True(during.Headers.RetryAfter is not null, "no Retry-After");
            Assert.Equal(Plan.Free, (await user.BillingAsync()).Plan); // nothing applied, nothing half-applied

            var redelivered = await UntilAcceptedAsync(() => DeliverAsync(created));

            Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
            var billing = await user.BillingAsync();
            Assert.Equal(("active", Plan.Premium), (billing.SubscriptionStatus, billing.Plan));
        }
        finally
        {
            Stripe.DeliverEvent = deliver;
        }
    }

    [Fact]
    public async Task ACheckoutDuringADatabaseOutageStartsNothingAtStripe()
    {
        var user = await factory.RegisterAsync();
        var stripeCalls = Stripe.Requests.Count;

        var during = await DuringOutageAsync(() => user.Client.PostAsJsonAsync("/api/billing/checkout", new { returnPath = "/c/1" }));

        Assert.Equal(ProblemTypes.DatabaseUnavailable, (await during.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable)).Type);
        Assert.Equal(stripeCalls, Stripe.Requests.Count); // no customer, no Checkout Session Parley could not record

        var after = await UntilAcceptedAsync(() => user.Client.PostAsJsonAsync("/api/billing/checkout", new { returnPath = "/c/1" }));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task ALockHeldByAKilledInstanceIsFreedAndCheckoutGoesOn()
    {
        var user = await factory.RegisterAsync();
        var key = $"checkout:{user.Session.User.Id}";
        // Another "instance": a psql session that takes the user's checkout lock and then sits idle holding it (as
        // Parley's lock connection does while it talks to Stripe), until it is killed.
        using var holder = StartPsql($"SELECT pg_advisory_lock(hashtextextended('{key}', 0));");
        try
        {
            await WaitForAsync("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid " +
                               "WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = 'psql'");

            var checkout = user.Client.PostAsJsonAsync("/api/billing/checkout", new { returnPath = "/c/1" });
            await WaitForAsync("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
            Assert.False(checkout.IsCompleted); // it waits for the lock, as a second checkout must

            holder.Kill(); // kill -9: no unlock is ever sent; the server frees the lock when the connection dies
            var response = await checkout;

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill();
            }
        }
    }

    private Process StartPsql(string sql)
    {
        var psql = Directory.GetFiles("/usr/lib/postgresql", "psql", SearchOption.AllDirectories).FirstOrDefault()
                   ?? throw new InvalidOperationException("psql is missing: test.sh installs postgresql");
        var connection = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString(factory.Database));
        var start = new ProcessStartInfo(psql, ["-X", "-q"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["PGHOST"] = connection.Host,
                ["PGPORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PGUSER"] = connection.Username,
                ["PGPASSWORD"] = connection.Password ?? "",
                ["PGDATABASE"] = connection.Database,
                ["PGAPPNAME"] = "psql",
            },
        };
        var process = Process.Start(start)!;
        process.StandardInput.WriteLine(sql); // and stdin stays open: psql waits for more, its session idle
        process.StandardInput.Flush();
        return process;
    }

    /// <summary>Polls the database until the query counts at least one row (a state, not a timer).</summary>
    private async Task WaitForAsync(string countQuery)
    {
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString(factory.Database));
        await connection.OpenAsync();
        for (var i = 0; i < 300; i++)
        {
            await using var command = new NpgsqlCommand(countQuery, connection);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Never true: {countQuery}");
    }
}
