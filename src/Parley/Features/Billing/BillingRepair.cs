using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Stripe;

namespace Parley.Features.Billing;

public sealed record RepairReport(int Subscriptions, IReadOnlyList<string> Forgotten, IReadOnlyList<string> Failures);

/// <summary>
/// <c>repair-billing</c>: re-reads every customer's subscriptions from Stripe, the fix for webhooks that never
/// arrived. One customer failing never stops the others; each failure is reported.
/// </summary>
public sealed class BillingRepair(
    AppDbContext db, StripeClient stripe, SubscriptionStore store, StripeCustomers customers, IKeyedLock locks,
    BillingRuntime runtime, ILogger<BillingRepair> logger)
{
    public async Task<RepairReport> RunAsync(Action<string> progress, CancellationToken ct)
    {
        var account = runtime.Account;
        var users = await db.Users.AsNoTracking()
            .Where(u => u.StripeCustomerId != null && (u.StripeCustomerAccount == null || u.StripeCustomerAccount == account))
            .Select(u => new { u.Id, Customer = u.StripeCustomerId! }).ToListAsync(ct);
        var count = 0;
        List<string> forgotten = [], failures = [];
        foreach (var user in users)
        {
            try
            {
                var subscriptions = await StripeCalls.RunAsync(TimeSpan.FromSeconds(60), ct, async timeout =>
                {
                    List<Stripe.Subscription> all = [];
                    await foreach (var s in stripe.V1.Subscriptions.ListAutoPagingAsync(
                                       new SubscriptionListOptions { Customer = user.Customer, Status = "all" }, cancellationToken: timeout))
                    {
                        all.Add(s);
                    }

                    return all;
                });
                foreach (var subscription in subscriptions)
                {
                    // The same lock as webhooks, so a repair never overwrites a newer state a webhook is applying.
                    await using (await locks.AcquireAsync($"stripe-subscription:{subscription.Id}", ct))
                    {
                        await db.RetryingAsync(async token =>
                        {
                            await using var tx = await db.BeginWriteAsync(token);
                            await store.ApplyAsync(user.Id, subscription, token);
                            await tx.CommitAsync(token);
                        }, ct);
                        db.ChangeTracker.Clear();
                    }

                    count++;
                }
            }
            catch (StripeException ex) when (StripeCalls.IsMissing(ex))
            {
                await customers.ForgetAsync(user.Id, user.Customer, ct);
                forgotten.Add(user.Customer);
                progress($"customer {user.Customer} (user {user.Id}): Stripe does not know it; forgotten, a new one is made at the next checkout");
            }
            catch (Exception ex) when (ex is StripeException or StripeUnavailableException or DbUpdateException)
            {
                logger.LogError(ex, "repair-billing: customer {Customer} of user {User} failed", user.Customer, user.Id);
                failures.Add(user.Customer);
                progress($"customer {user.Customer} (user {user.Id}): FAILED: {ex.Message}");
            }
        }

        return new RepairReport(count, forgotten, failures);
    }
}
