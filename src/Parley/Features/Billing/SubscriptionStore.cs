using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Features.Billing;

/// <summary>Writes Stripe's view of a subscription into ours.</summary>
public sealed class SubscriptionStore(AppDbContext db, BillingRuntime runtime, TimeProvider time)
{
    /// <summary>The Parley user a subscription belongs to: its metadata, then the checkout's reference, then the customer.</summary>
    public async Task<Guid?> FindUserAsync(Stripe.Subscription subscription, string? hint, string? customerId, CancellationToken ct)
    {
        foreach (var candidate in new[] { subscription.Metadata?.GetValueOrDefault("user_id"), hint })
        {
            if (Guid.TryParse(candidate, out var id) && await db.Users.AnyAsync(u => u.Id == id, ct))
            {
                return id;
            }
        }

        var customer = subscription.CustomerId ?? customerId;
        return customer is null
            ? null
            : await db.Users.Where(u => u.StripeCustomerId == customer).Select(u => (Guid?)u.Id).SingleOrDefaultAsync(ct);
    }

    /// <summary>
    /// Creates or updates our row from <paramref name="current"/>; the caller saves (inside its transaction). Without a
    /// user only an existing row is updated (its user deleted their account).
    /// </summary>
    public async Task ApplyAsync(Guid? userId, Stripe.Subscription current, CancellationToken ct)
    {
        var now = time.UtcNowAsStored();
        // The owner's row is locked first, as every usage write and an account deletion lock it: a deletion either
        // committed before (the owner is gone; the row is kept without one) or waits for this transaction, so nothing
        // written here can name a user that no longer exists.
        var owner = userId ?? await db.Subscriptions.Where(s => s.Id == current.Id).Select(s => s.UserId).SingleOrDefaultAsync(ct);
        if (owner is { } ownerId &&
            await db.Users.Where(u => u.Id == ownerId).ExecuteUpdateAsync(s => s.SetProperty(u => u.UsageRevision, u => u.UsageRevision + 1), ct) == 0)
        {
            (owner, userId) = (null, null);
        }

        var row = await db.Subscriptions.SingleOrDefaultAsync(s => s.Id == current.Id, ct);
        var was = row?.Status;
        if (row is null)
        {
            if (userId is null)
            {
                return;
            }

            row = new Subscription { Id = current.Id, UserId = userId, Status = current.Status };
            db.Subscriptions.Add(row);
        }

        row.Account = runtime.Account;
        row.PastDueSince = current.Status == "past_due" ? row.PastDueSince ?? now : null;
        row.Status = current.Status;
        row.CancelAtPeriodEnd = current.CancelAtPeriodEnd;
        var items = current.Items?.Data ?? [];
        row.CurrentPeriodEnd = items.Count == 0 ? null : DateTime.SpecifyKind(items.Max(i => i.CurrentPeriodEnd), DateTimeKind.Utc);
        row.PriceId = items.FirstOrDefault()?.Price?.Id;
        row.MonthlyAmount = items.Count == 0 ? null : items.Sum(i => Monthly(i.Price, i.Quantity));
        row.Currency = items.FirstOrDefault()?.Price?.Currency ?? row.Currency;
        row.UpdatedAt = now;
        if (Change(was, current.Status) is { } kind)
        {
            db.AnalyticsEvents.Add(new Analytics.AnalyticsEvent { Kind = kind, UserId = owner, OccurredAt = now, Premium = true });
            await Analytics.AnalyticsFunnels.StepAsync(db, kind, owner, now, ct);
        }
        await db.SaveChangesAsync(ct);

        if (current.CustomerId is { } customer && userId is not null)
        {
            var account = runtime.Account;
            await db.Users.Where(u => u.Id == userId &&
                                      (u.StripeCustomerId == null || (u.StripeCustomerAccount != null && u.StripeCustomerAccount != account)))
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.StripeCustomerId, customer).SetProperty(u => u.StripeCustomerAccount, account), ct);
        }
    }

    /// <summary>The funnel's and the dashboard's event for a change of status, each once: a recovery from past due is not a new subscription.</summary>
    private static Analytics.AnalyticsKind? Change(string? was, string now) => now switch
    {
        _ when now == was => null,
        "active" or "trialing" when was is not ("active" or "trialing" or "past_due") => Analytics.AnalyticsKind.SubscriptionActive,
        "canceled" => Analytics.AnalyticsKind.SubscriptionCancelled,
        "past_due" => Analytics.AnalyticsKind.SubscriptionPastDue,
        _ => null,
    };

    /// <summary>A price's amount for a month (a yearly price brings a twelfth of it each month).</summary>
    private static long Monthly(Stripe.Price? price, long quantity)
    {
        var amount = (price?.UnitAmount ?? 0) * Math.Max(1, quantity);
        var count = Math.Max(1, price?.Recurring?.IntervalCount ?? 1);
        return (long)Math.Round(price?.Recurring?.Interval switch
        {
            "year" => amount / (12m * count),
            "week" => amount * 52m / (12m * count),
            "day" => amount * 365m / (12m * count),
            _ => amount / (decimal)count,
        });
    }
}
