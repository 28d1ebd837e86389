using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Stripe;

namespace Parley.Features.Billing;

/// <summary>
/// A user's Stripe Customer in the Stripe account in use. A customer stored for another account (made in test mode,
/// or with sk_test before live keys) is never sent to Stripe; one Stripe says it does not know is forgotten, and the
/// next checkout makes a new one.
/// </summary>
public sealed class StripeCustomers(AppDbContext db, StripeClient stripe, BillingRuntime runtime, ILogger<StripeCustomers> logger)
{
    /// <summary>The user's customer id in this account, or null.</summary>
    public async Task<string?> CurrentAsync(Guid userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.StripeCustomerId, u.StripeCustomerAccount }).SingleAsync(ct);
        return user.StripeCustomerAccount is null || user.StripeCustomerAccount == runtime.Account ? user.StripeCustomerId : null;
    }

    public async Task<string> EnsureAsync(Guid userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Email, u.StripeCustomerId, u.StripeCustomerAccount }).SingleAsync(ct);
        if (user.StripeCustomerId is { } existing && (user.StripeCustomerAccount is null || user.StripeCustomerAccount == runtime.Account))
        {
            return existing;
        }

        // The idempotency key makes a double click (or two tabs) create one customer, not two. It names the customer
        // being replaced, so a new one is made after a forgotten one (Stripe would replay the old answer otherwise).
        var key = user.StripeCustomerId is { } replaced ? $"parley-customer-{userId}-after-{replaced}" : $"parley-customer-{userId}";
        var customer = await StripeCalls.WithRateLimitRetryAsync(() => stripe.V1.Customers.CreateAsync(new CustomerCreateOptions
        {
            Email = user.Email,
            Metadata = new Dictionary<string, string> { ["user_id"] = userId.ToString() },
        }, new RequestOptions { IdempotencyKey = key }, ct), ct);
        var stored = await db.Users.Where(u => u.Id == userId && u.StripeCustomerId == user.StripeCustomerId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.StripeCustomerId, customer.Id).SetProperty(u => u.StripeCustomerAccount, runtime.Account), ct);
        return stored == 1
            ? customer.Id
            : await db.Users.Where(u => u.Id == userId).Select(u => u.StripeCustomerId!).SingleAsync(ct);
    }

    /// <summary>
    /// Stripe does not know <paramref name="customerId"/>: it stops being used (if it is still the stored one). The id
    /// is kept under the account "gone", so the next customer is created with a new idempotency key.
    /// </summary>
    public async Task ForgetAsync(Guid userId, string customerId, CancellationToken ct)
    {
        logger.LogWarning("Stripe does not know customer {Customer} of user {User}; it is forgotten and a new one will be made at the next checkout",
            customerId, userId);
        await db.Users.Where(u => u.Id == userId && u.StripeCustomerId == customerId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.StripeCustomerAccount, GoneAccount), ct);
    }

    public const string GoneAccount = "gone";
}
