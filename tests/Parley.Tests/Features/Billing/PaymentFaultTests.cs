using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Features.Auth;
using Parley.Features.Billing;
using Parley.Features.Billing.TestMode;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Billing;

/// <summary>Payments off the happy path: customers Stripe forgot, a slow or failing Stripe, two tabs, repair-billing.</summary>
public abstract class PaymentFaultTests<TFactory>(TFactory factory) where TFactory : ParleyFactory, IStripeFactory
{
    private FakeStripe Stripe => factory.StripeServer.Stripe;

    private async Task<HttpResponseMessage> CheckoutAsync(TestUser user) =>
        await user.Client.PostAsJsonAsync("/api/billing/checkout", new { returnPath = "/c/1" });

    private async Task<string> CustomerOfAsync(TestUser user)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return (await db.Users.SingleAsync(u => u.Id == user.Session.User.Id)).StripeCustomerId!;
    }

    [Fact]
    public async Task ACustomerStripeNoLongerKnowsIsReplacedOnTheNextCheckout()
    {
        var user = await factory.RegisterAsync();
        await user.StartCheckoutAsync();
        var dead = await CustomerOfAsync(user);
        Stripe.Forget(dead); // deleted in the Dashboard, or made with other keys

        var response = await CheckoutAsync(user);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replacement = await CustomerOfAsync(user);
        Assert.NotEqual(dead, replacement);
        Assert.NotNull(Stripe.Find(replacement));
        var creates = Stripe.Requests.Where(r => r.Path == "/v1/customers" && r.Parameters.GetValueOrDefault("metadata[user_id]") == user.Session.User.Id.ToString())
            .Select(r => r.IdempotencyKey).ToList();
        Assert.Equal(2, creates.Distinct().Count()); // a new idempotency key, or Stripe would replay the dead customer

        // ...and paying with it works.
        var url = (await response.ReadAsync<RedirectResponse>()).Url;
        await Stripe.CompleteCheckoutAsync(url[(url.LastIndexOf('/') + 1)..]);
        Assert.Equal((Plan.Premium, true), ((await user.BillingAsync()).Plan, (await user.BillingAsync()).CanManage));
    }

    [Fact]
    public async Task ThePortalOfAForgottenCustomerSaysThereIsNothingToManage()
    {
        var user = await factory.RegisterAsync();
        await Stripe.CompleteCheckoutAsync(await user.StartCheckoutAsync());
        Assert.True((await user.BillingAsync()).CanManage);
        Stripe.Forget(await CustomerOfAsync(user));

        var response = await user.Client.PostAsync("/api/billing/portal", null);

        Assert.Equal(ProblemTypes.NoSubscription, (await response.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Type);
        Assert.False((await user.BillingAsync()).CanManage);
    }

    [Fact]
    public async Task AHangingStripeAnswers502WithRetryAfterWithinFifteenSeconds()
    {
        var user = await factory.RegisterAsync();
        factory.StripeServer.Intercept = async (request, answer, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return answer();
        };
        try
        {
            var watch = Stopwatch.StartNew();
            var response = await CheckoutAsync(user);
            watch.Stop();

            Assert.Equal(ProblemTypes.PaymentsUnavailable, (await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway)).Type);
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(14), TimeSpan.FromSeconds(20)); // Billing:RequestTimeout, 15 s
        }
        finally
        {
            factory.StripeServer.Intercept = null;
        }
    }

    [Theory]
    [InlineData("drop")]
    [InlineData("500")]
    [InlineData("503")]
    [InlineData("429")]
    public async Task StripeFailingIsA502NeverA500(string fault)
    {
        var user = await factory.RegisterAsync();
        factory.StripeServer.Intercept = (request, answer, ct) => Task.FromResult(fault switch
        {
            "drop" => null,
            _ => new StripeResponse(int.Parse(fault), """{"error":{"type":"api_error","message":"Stripe is having a moment."}}"""),
        });
        try
        {
            var checkout = await CheckoutAsync(user);
            var portal = await user.Client.PostAsync("/api/billing/portal", null);

            await checkout.ShouldBeProblemAsync(HttpStatusCode.BadGateway);
            Assert.NotNull(checkout.Headers.RetryAfter);
            Assert.NotEqual(HttpStatusCode.InternalServerError, portal.StatusCode);
        }
        finally
        {
            factory.StripeServer.Intercept = null;
        }
    }

    [Fact]
    public async Task OneRateLimitedAnswerIsRetriedOnce()
    {
        var user = await factory.RegisterAsync();
        var limited = 0;
        factory.StripeServer.Intercept = (request, answer, ct) => Task.FromResult<StripeResponse?>(
            request.Path == "/v1/checkout/sessions" && request.Method == "POST" && Interlocked.Increment(ref limited) == 1
                ? new StripeResponse(429, """{"error":{"type":"rate_limit_error","message":"Too many requests."}}""")
                : answer());
        try
        {
            var response = await CheckoutAsync(user);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(limited >= 2);
        }
        finally
        {
            factory.StripeServer.Intercept = null;
        }
    }

    [Fact]
    public async Task OnlyTheNewestCheckoutSessionCanBePaid()
    {
        var user = await factory.RegisterAsync();
        var firstTab = await user.StartCheckoutAsync();
        var secondTab = await user.StartCheckoutAsync();

        Assert.Equal("expired", Stripe.Find(firstTab)!["status"]!.GetValue<string>());
        await Assert.ThrowsAsync<InvalidOperationException>(() => Stripe.CompleteCheckoutAsync(firstTab));
        await Stripe.CompleteCheckoutAsync(secondTab);
        Assert.Single(Stripe.SubscriptionsOf(await CustomerOfAsync(user)));
    }

    [Fact]
    public async Task ConcurrentCheckoutsLeaveOneOpenSession()
    {
        var user = await factory.RegisterAsync();

        var sessions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => user.StartCheckoutAsync()));

        Assert.Single(sessions, s => Stripe.Find(s)!["status"]!.GetValue<string>() == "open");
    }

    [Fact]
    public async Task RepairBillingSkipsCustomersStripeDoesNotKnowAndProcessesTheRest()
    {
        var gone = await factory.RegisterAsync();
        var fine = await factory.RegisterAsync();
        await Stripe.CompleteCheckoutAsync(await gone.StartCheckoutAsync());
        await Stripe.CompleteCheckoutAsync(await fine.StartCheckoutAsync());
        var goneCustomer = await CustomerOfAsync(gone);
        Stripe.Forget(goneCustomer);

        await using var scope = factory.Services.CreateAsyncScope();
        var lines = new List<string>();
        var report = await scope.ServiceProvider.GetRequiredService<BillingRepair>().RunAsync(lines.Add, CancellationToken.None);

        Assert.Contains(goneCustomer, report.Forgotten);
        Assert.Contains(lines, l => l.Contains(goneCustomer, StringComparison.Ordinal));
        Assert.True(report.Subscriptions >= 1);
        Assert.False((await gone.BillingAsync()).CanManage);
    }
}

public sealed class SqlitePaymentFaultTests(BillingFactory factory)
    : PaymentFaultTests<BillingFactory>(factory), IClassFixture<BillingFactory>;

public sealed class PostgresPaymentFaultTests(PostgresBillingFactory factory)
    : PaymentFaultTests<PostgresBillingFactory>(factory), IClassFixture<PostgresBillingFactory>;
