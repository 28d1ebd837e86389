using Microsoft.Extensions.DependencyInjection;
using Parley.Features.Auth;
using Parley.Features.Billing;
using Parley.Features.Billing.TestMode;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Billing;

/// <summary>What each subscription state means for the user's plan, as events arrive and time passes.</summary>
public sealed class EntitlementTests(BillingFactory factory) : IClassFixture<BillingFactory>
{
    private async Task<(TestUser User, string Subscription)> SubscribedAsync()
    {
        var user = await factory.RegisterAsync();
        var session = await user.StartCheckoutAsync();
        await factory.Stripe.CompleteCheckoutAsync(session);
        return (user, factory.SubscriptionOf(session));
    }

    [Fact]
    public async Task CancelledAtPeriodEndStaysPremiumUntilThen()
    {
        var (user, subscription) = await SubscribedAsync();

        await factory.Stripe.UpdateSubscriptionAsync(subscription, s => s["cancel_at_period_end"] = true);
        var billing = await user.BillingAsync();

        Assert.Equal((Plan.Premium, true), (billing.Plan, billing.CancelAtPeriodEnd));
        var end = billing.CurrentPeriodEnd!.Value;

        factory.Time.Advance(end - factory.Time.GetUtcNow() + TimeSpan.FromMinutes(1));
        await user.SignInAgainAsync(factory);
        Assert.Equal(Plan.Free, (await user.BillingAsync()).Plan); // even before Stripe's deletion event arrives

        await factory.Stripe.UpdateSubscriptionAsync(subscription, s => s["status"] = "canceled", "customer.subscription.deleted");
        Assert.Equal(("canceled", Plan.Free), ((await user.BillingAsync()).SubscriptionStatus, (await user.BillingAsync()).Plan));
    }

    [Fact]
    public async Task PastDueKeepsPremiumForTheGracePeriodOnly()
    {
        var (user, subscription) = await SubscribedAsync();

        await factory.Stripe.UpdateSubscriptionAsync(subscription, s => s["status"] = "past_due", "invoice.payment_failed");
        var during = await user.BillingAsync();
        factory.Time.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        await user.SignInAgainAsync(factory);
        var after = await user.BillingAsync();

        Assert.Equal((Plan.Premium, "past_due"), (during.Plan, during.SubscriptionStatus));
        Assert.Equal(factory.Time.GetUtcNow().AddMinutes(-1), during.GraceEndsAt!.Value, TimeSpan.FromMinutes(1));
        Assert.Equal(Plan.Free, after.Plan);
    }

    [Fact]
    public async Task PayingTheFailedInvoiceRestoresPremium()
    {
        var (user, subscription) = await SubscribedAsync();
        await factory.Stripe.UpdateSubscriptionAsync(subscription, s => s["status"] = "past_due", "invoice.payment_failed");
        factory.Time.Advance(TimeSpan.FromDays(4));
        await user.SignInAgainAsync(factory);
        Assert.Equal(Plan.Free, (await user.BillingAsync()).Plan);

        await factory.Stripe.UpdateSubscriptionAsync(subscription, s => s["status"] = "active", "invoice.paid");

        var billing = await user.BillingAsync();
        Assert.Equal((Plan.Premium, (DateTimeOffset?)null), (billing.Plan, billing.GraceEndsAt));
    }

    [Theory]
    [InlineData("unpaid")]
    [InlineData("canceled")]
    [InlineData("incomplete_expired")]
    public async Task TheseStatesAreFree(string status)
    {
        var (user, subscription) = await SubscribedAsync();

        await factory.Stripe.UpdateSubscriptionAsync(subscription, s => s["status"] = status);

        Assert.Equal(Plan.Free, (await user.BillingAsync()).Plan);
    }

    [Fact]
    public async Task RepairFixesStateFromMissedWebhooks()
    {
        var (user, subscription) = await SubscribedAsync();
        var deliver = factory.Stripe.DeliverEvent;
        factory.Stripe.DeliverEvent = null; // the webhook endpoint is down
        try
        {
            await factory.Stripe.UpdateSubscriptionAsync(subscription, s => s["status"] = "canceled");
            Assert.Equal(Plan.Premium, (await user.BillingAsync()).Plan);

            await using var scope = factory.Services.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<BillingRepair>().RunAsync(_ => { }, CancellationToken.None);

            Assert.True(report.Subscriptions >= 1);
            Assert.Empty(report.Failures);
            Assert.Equal(Plan.Free, (await user.BillingAsync()).Plan);
        }
        finally
        {
            factory.Stripe.DeliverEvent = deliver;
        }
    }
}
