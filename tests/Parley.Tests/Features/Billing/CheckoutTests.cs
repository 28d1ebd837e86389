using System.Net;
using System.Net.Http.Json;
using Parley.Features.Auth;
using Parley.Features.Billing;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Billing;

public sealed class CheckoutTests(BillingFactory factory) : IClassFixture<BillingFactory>
{
    [Fact]
    public async Task CheckoutSendsStripeASubscriptionSessionForTheUser()
    {
        var user = await factory.RegisterAsync();
        var userId = user.Session.User.Id.ToString();

        var response = await user.Client.PostAsJsonAsync("/api/billing/checkout", new { returnPath = "/c/42" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("https://checkout.stripe.test/", (await response.ReadAsync<RedirectResponse>()).Url);
        var customer = factory.Stripe.Requests.Single(r => r.Path == "/v1/customers" && r.Parameters.GetValueOrDefault("metadata[user_id]") == userId);
        Assert.Equal(("POST", $"parley-customer-{userId}", user.Email), (customer.Method, customer.IdempotencyKey, customer.Parameters["email"]));
        Assert.Equal("Bearer sk_test_parley_tests", customer.Authorization);
        var session = factory.Stripe.Requests.Single(r => r.Path == "/v1/checkout/sessions" && r.Method == "POST" && r.Parameters.GetValueOrDefault("client_reference_id") == userId).Parameters;
        Assert.Equal("subscription", session["mode"]);
        Assert.Equal("price_parley_premium", session["line_items[0][price]"]);
        Assert.Equal("1", session["line_items[0][quantity]"]);
        Assert.Equal(userId, session["subscription_data[metadata][user_id]"]);
        Assert.StartsWith("cus_", session["customer"]);
        Assert.Equal("https://parley.example.com/billing/success?session_id={CHECKOUT_SESSION_ID}&return=%2Fc%2F42", session["success_url"]);
        Assert.Equal("https://parley.example.com/c/42", session["cancel_url"]);
    }

    [Fact]
    public async Task ASecondCheckoutReusesTheCustomer()
    {
        var user = await factory.RegisterAsync();
        var userId = user.Session.User.Id.ToString();

        await user.StartCheckoutAsync();
        await user.StartCheckoutAsync();

        Assert.Single(factory.Stripe.Requests, r => r.Path == "/v1/customers" && r.Parameters.GetValueOrDefault("metadata[user_id]") == userId);
        var customers = factory.Stripe.Requests.Where(r => r.Path == "/v1/checkout/sessions" && r.Method == "POST" && r.Parameters["client_reference_id"] == userId)
            .Select(r => r.Parameters["customer"]).Distinct();
        Assert.Single(customers);
    }

    [Fact]
    public async Task ConcurrentCheckoutsCreateOneCustomer()
    {
        var user = await factory.RegisterAsync();
        var userId = user.Session.User.Id.ToString();

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => user.StartCheckoutAsync()));

        var customers = factory.Stripe.Requests.Where(r => r.Path == "/v1/checkout/sessions" && r.Method == "POST" && r.Parameters["client_reference_id"] == userId)
            .Select(r => r.Parameters["customer"]).Distinct();
        Assert.Single(customers); // the idempotency key made Stripe answer every create with the same customer
    }

    [Theory]
    [InlineData("//evil.example.com/x")]
    [InlineData("https://evil.example.com")]
    [InlineData("\\\\evil")]
    public async Task OnlyLocalPathsAreReturnedTo(string returnPath)
    {
        var user = await factory.RegisterAsync();
        var userId = user.Session.User.Id.ToString();

        await user.StartCheckoutAsync(returnPath);

        var session = factory.Stripe.Requests.Last(r => r.Path == "/v1/checkout/sessions" && r.Method == "POST" && r.Parameters["client_reference_id"] == userId).Parameters;
        Assert.Equal("https://parley.example.com/", session["cancel_url"]);
    }

    [Fact]
    public async Task PayingMakesTheUserPremiumThroughTheWebhook()
    {
        var user = await factory.RegisterAsync();
        var session = await user.StartCheckoutAsync();

        var successUrl = await factory.Stripe.CompleteCheckoutAsync(session);
        var billing = await user.BillingAsync();

        Assert.Equal(session, BillingTestUsers.QueryValue(successUrl, "session_id"));
        Assert.Equal((Plan.Premium, "active", false, true), (billing.Plan, billing.SubscriptionStatus, billing.CancelAtPeriodEnd, billing.CanManage));
        Assert.Equal(factory.Time.GetUtcNow().AddMonths(1), billing.CurrentPeriodEnd!.Value, TimeSpan.FromMinutes(1));
        var me = await user.Client.GetFromJsonAsync<UserResponse>("/api/auth/me", ApiJson.Options);
        Assert.Equal(Plan.Premium, me!.Plan);
    }

    [Fact]
    public async Task ASubscriberCannotCheckOutAgainAndIsSentToThePortal()
    {
        var user = await factory.RegisterAsync();
        await factory.Stripe.CompleteCheckoutAsync(await user.StartCheckoutAsync());

        var response = await user.Client.PostAsJsonAsync("/api/billing/checkout", new { returnPath = "/" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(ProblemTypes.AlreadySubscribed, problem.Type);
        Assert.Equal("/account", problem.Raw.GetProperty("manageUrl").GetString());
    }

    [Fact]
    public async Task AfterUpgradingTheLimitIsGone()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        await user.SendAsync(chat.Id, "one");
        await user.SendAsync(chat.Id, "two");
        Assert.Equal(HttpStatusCode.PaymentRequired, (await user.SendAsync(chat.Id, "the draft")).StatusCode);

        await factory.Stripe.CompleteCheckoutAsync(await user.StartCheckoutAsync($"/c/{chat.Id}"));

        Assert.Equal(HttpStatusCode.OK, (await user.SendAsync(chat.Id, "the draft")).StatusCode);
    }

    [Fact]
    public async Task ThePortalReturnsToTheAccountPage()
    {
        var user = await factory.RegisterAsync();
        await factory.Stripe.CompleteCheckoutAsync(await user.StartCheckoutAsync());

        var response = await user.Client.PostAsync("/api/billing/portal", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("https://billing.stripe.test/", (await response.ReadAsync<RedirectResponse>()).Url);
        var request = factory.Stripe.Requests.Last(r => r.Path == "/v1/billing_portal/sessions");
        Assert.Equal("https://parley.example.com/account", request.Parameters["return_url"]);
    }

    [Fact]
    public async Task WithoutACustomerThereIsNoPortal()
    {
        var user = await factory.RegisterAsync();

        var response = await user.Client.PostAsync("/api/billing/portal", null);

        Assert.Equal(ProblemTypes.NoSubscription, (await response.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Type);
    }

    [Fact]
    public async Task BillingNeedsSignIn()
    {
        var client = factory.CreateClient();

        await (await client.GetAsync("/api/billing")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.PostAsJsonAsync("/api/billing/checkout", new { })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.PostAsync("/api/billing/portal", null)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}

public sealed class LookupKeyPriceTests(LookupKeyPriceTests.Factory factory) : IClassFixture<LookupKeyPriceTests.Factory>
{
    public sealed class Factory : BillingFactory
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Settings["Billing:Price"] = "parley_premium_monthly";
        }
    }

    [Fact]
    public async Task APriceLookupKeyIsResolvedToThePriceId()
    {
        var user = await factory.RegisterAsync();

        await user.StartCheckoutAsync();

        var lookup = factory.Stripe.Requests.Last(r => r.Path == "/v1/prices");
        Assert.Equal(("GET", "parley_premium_monthly"), (lookup.Method, lookup.Parameters["lookup_keys[0]"]));
        var session = factory.Stripe.Requests.Last(r => r.Path == "/v1/checkout/sessions" && r.Method == "POST").Parameters;
        Assert.Equal("price_parley_premium", session["line_items[0][price]"]);
    }

    [Fact]
    public async Task AnUnknownLookupKeyIsAClearError()
    {
        factory.Stripe.Price = ("price_other", "some_other_key", 500);
        try
        {
            var user = await factory.RegisterAsync();

            var response = await user.Client.PostAsJsonAsync("/api/billing/checkout", new { returnPath = "/" });

            Assert.Equal(Parley.Web.ProblemTypes.PaymentsUnavailable, (await response.ShouldBeProblemAsync(HttpStatusCode.BadGateway)).Type);
        }
        finally
        {
            factory.Stripe.Price = ("price_parley_premium", "parley_premium_monthly", 1000);
        }
    }
}
