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
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.Subscriptions.SingleOrDefaultAsync(s => s.Id == current.Id, ct);
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
        row.UpdatedAt = now;
        await db.SaveChangesAsync(ct);

        if (current.CustomerId is { } customer && userId is not null)
        {
            var account = runtime.Account;
            await db.Users.Where(u => u.Id == userId &&
                                      (u.StripeCustomerId == null || (u.StripeCustomerAccount != null && u.StripeCustomerAccount != account)))
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.StripeCustomerId, customer).SetProperty(u => u.StripeCustomerAccount, account), ct);
        }
    }
}
