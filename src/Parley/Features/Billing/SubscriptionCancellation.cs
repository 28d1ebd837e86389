using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Stripe;

namespace Parley.Features.Billing;

/// <summary>When a subscription ends for an account being deleted.</summary>
public enum SubscriptionEnding
{
    /// <summary>Cancelled today: no more charges, Premium ends now.</summary>
    Now,

    /// <summary>Not renewed: it runs to the end of the period paid for (a past-due one, unpaid, ends now).</summary>
    AtPeriodEnd,
}

/// <summary>
/// Ends what Stripe would still bill a user for, before their account is deleted: each subscription Stripe bills is
/// cancelled (now, or at the end of its period), and open Checkout pages are expired, so nothing can be paid for an
/// account that is gone. Stripe, not our copy, says what is live, so a subscription whose webhook has not arrived yet
/// is ended too. Every call is idempotent: after a failure, trying again finishes the job.
/// </summary>
public sealed class SubscriptionCancellation(
    AppDbContext db, StripeClient stripe, StripeCustomers customers, BillingRuntime runtime, IOptions<BillingOptions> options,
    ILogger<SubscriptionCancellation> logger)
{
    private static readonly string[] LiveStatuses = ["active", "trialing", "past_due", "unpaid"];

    /// <summary>Whether our copy shows a subscription Stripe still bills (the user is asked what should happen to it).</summary>
    public Task<bool> HasLiveAsync(Guid userId, CancellationToken ct)
    {
        var account = runtime.Account;
        return runtime.Mode == BillingMode.NotConfigured
            ? Task.FromResult(false)
            : db.Subscriptions.AnyAsync(s => s.UserId == userId && (s.Account == null || s.Account == account) && LiveStatuses.Contains(s.Status), ct);
    }

    /// <summary>Ends the user's subscriptions as chosen; throws <see cref="StripeUnavailableException"/> when Stripe cannot be reached.</summary>
    public async Task EndAllAsync(Guid userId, SubscriptionEnding ending, CancellationToken ct)
    {
        if (runtime.Mode == BillingMode.NotConfigured || await customers.CurrentAsync(userId, ct) is not { } customer)
        {
            return;
        }

        try
        {
            await StripeCalls.RunAsync(options.Value.RequestTimeout, ct, async timeout =>
            {
                var open = await StripeCalls.WithRateLimitRetryAsync(() => stripe.V1.Checkout.Sessions.ListAsync(
                    new Stripe.Checkout.SessionListOptions { Customer = customer, Status = "open", Limit = 100 }, cancellationToken: timeout), timeout);
                foreach (var session in open.Data)
                {
                    await StripeCalls.WithRateLimitRetryAsync(() => stripe.V1.Checkout.Sessions.ExpireAsync(session.Id, cancellationToken: timeout), timeout);
                }

                var subscriptions = await StripeCalls.WithRateLimitRetryAsync(() => stripe.V1.Subscriptions.ListAsync(
                    new SubscriptionListOptions { Customer = customer, Limit = 100 }, cancellationToken: timeout), timeout);
                foreach (var subscription in subscriptions.Data.Where(s => LiveStatuses.Contains(s.Status) || s.Status == "incomplete"))
                {
                    await EndAsync(subscription, ending, timeout);
                }

                return true;
            });
        }
        catch (StripeException ex) when (StripeCalls.IsMissing(ex, "customer"))
        {
            // Deleted in the Dashboard: Stripe bills nothing to it any more.
            logger.LogWarning("Stripe does not know customer {Customer} of user {User}, who is deleting their account", customer, userId);
        }
    }

    private async Task EndAsync(Stripe.Subscription subscription, SubscriptionEnding ending, CancellationToken ct)
    {
        if (ending == SubscriptionEnding.AtPeriodEnd && subscription.Status is "active" or "trialing")
        {
            if (!subscription.CancelAtPeriodEnd)
            {
                await StripeCalls.WithRateLimitRetryAsync(() => stripe.V1.Subscriptions.UpdateAsync(subscription.Id,
                    new SubscriptionUpdateOptions { CancelAtPeriodEnd = true }, cancellationToken: ct), ct);
            }

            logger.LogInformation("Subscription {Subscription} ends at the end of its period: its user deleted their account", subscription.Id);
            return;
        }

        try
        {
            await StripeCalls.WithRateLimitRetryAsync(() => stripe.V1.Subscriptions.CancelAsync(subscription.Id, cancellationToken: ct), ct);
            logger.LogInformation("Subscription {Subscription} cancelled: its user deleted their account", subscription.Id);
        }
        catch (StripeException ex) when (StripeCalls.IsMissing(ex))
        {
            // Cancelled a moment ago (a retry, another tab): nothing left to do.
        }
    }
}
