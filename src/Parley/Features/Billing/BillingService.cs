using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Features.Usage;
using Stripe;

namespace Parley.Features.Billing;

public abstract record BillingOutcome
{
    public sealed record Redirect(string Url) : BillingOutcome;
    public sealed record AlreadyPremium : BillingOutcome;
    public sealed record NoCustomer : BillingOutcome;
    public sealed record StripeUnavailable(string Message) : BillingOutcome;
}

/// <summary>Starts Checkout and portal sessions, reports billing status, and re-reads subscriptions from Stripe.</summary>
public sealed class BillingService(
    AppDbContext db, StripeClient stripe, Entitlements entitlements, SubscriptionStore store,
    IOptions<BillingOptions> options, IOptions<UsageOptions> usage, ILogger<BillingService> logger)
{
    public async Task<BillingStatusResponse> StatusAsync(Guid userId, CancellationToken ct)
    {
        var entitlement = await entitlements.ForAsync(userId, ct);
        var hasCustomer = await db.Users.Where(u => u.Id == userId).Select(u => u.StripeCustomerId != null).SingleAsync(ct);
        var s = entitlement.Subscription;
        return new BillingStatusResponse(
            entitlement.IsPremium ? Auth.Plan.Premium : Auth.Plan.Free,
            s?.Status,
            s?.CurrentPeriodEnd is { } end ? new DateTimeOffset(end, TimeSpan.Zero) : null,
            s?.CancelAtPeriodEnd ?? false,
            entitlement.GraceEndsAt,
            hasCustomer,
            options.Value.TestMode,
            usage.Value.PremiumPriceLabel);
    }

    public async Task<BillingOutcome> StartCheckoutAsync(Guid userId, string? returnPath, string origin, CancellationToken ct)
    {
        if ((await entitlements.ForAsync(userId, ct)).IsPremium)
        {
            return new BillingOutcome.AlreadyPremium();
        }

        try
        {
            var customer = await EnsureCustomerAsync(userId, ct);
            var path = SafePath(returnPath);
            var baseUrl = BaseUrl(origin);
            var session = await stripe.V1.Checkout.Sessions.CreateAsync(new Stripe.Checkout.SessionCreateOptions
            {
                Mode = "subscription",
                Customer = customer,
                ClientReferenceId = userId.ToString(),
                LineItems = [new Stripe.Checkout.SessionLineItemOptions { Price = await PriceIdAsync(ct), Quantity = 1 }],
                SubscriptionData = new Stripe.Checkout.SessionSubscriptionDataOptions
                {
                    Metadata = new Dictionary<string, string> { ["user_id"] = userId.ToString() },
                },
                Metadata = new Dictionary<string, string> { ["user_id"] = userId.ToString() },
                // {CHECKOUT_SESSION_ID} is filled in by Stripe. The success page waits for the webhook, not this redirect.
                SuccessUrl = $"{baseUrl}/billing/success?session_id={{CHECKOUT_SESSION_ID}}&return={Uri.EscapeDataString(path)}",
                CancelUrl = $"{baseUrl}{path}",
            }, cancellationToken: ct);
            return new BillingOutcome.Redirect(session.Url);
        }
        catch (StripeException ex)
        {
            logger.LogError(ex, "Stripe refused to start Checkout for {User}", userId);
            return new BillingOutcome.StripeUnavailable(ex.Message);
        }
    }

    public async Task<BillingOutcome> PortalAsync(Guid userId, string origin, CancellationToken ct)
    {
        var customer = await db.Users.Where(u => u.Id == userId).Select(u => u.StripeCustomerId).SingleAsync(ct);
        if (customer is null)
        {
            return new BillingOutcome.NoCustomer();
        }

        try
        {
            var session = await stripe.V1.BillingPortal.Sessions.CreateAsync(new Stripe.BillingPortal.SessionCreateOptions
            {
                Customer = customer,
                ReturnUrl = $"{BaseUrl(origin)}/account",
            }, cancellationToken: ct);
            return new BillingOutcome.Redirect(session.Url);
        }
        catch (StripeException ex)
        {
            logger.LogError(ex, "Stripe refused a portal session for {User}", userId);
            return new BillingOutcome.StripeUnavailable(ex.Message);
        }
    }

    /// <summary>Re-reads every subscription of every user with a Stripe customer and fixes ours (missed webhooks).</summary>
    public async Task<int> RepairAsync(CancellationToken ct)
    {
        var customers = await db.Users.Where(u => u.StripeCustomerId != null)
            .Select(u => new { u.Id, Customer = u.StripeCustomerId! }).ToListAsync(ct);
        var fixedCount = 0;
        foreach (var c in customers)
        {
            await foreach (var subscription in stripe.V1.Subscriptions.ListAutoPagingAsync(
                               new SubscriptionListOptions { Customer = c.Customer, Status = "all" }, cancellationToken: ct))
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await store.ApplyAsync(c.Id, subscription, ct);
                await tx.CommitAsync(ct);
                fixedCount++;
            }
        }

        return fixedCount;
    }

    private async Task<string> EnsureCustomerAsync(Guid userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Email, u.StripeCustomerId }).SingleAsync(ct);
        if (user.StripeCustomerId is { } existing)
        {
            return existing;
        }

        // The idempotency key makes a double click (or two tabs) create one customer, not two.
        var customer = await stripe.V1.Customers.CreateAsync(new CustomerCreateOptions
        {
            Email = user.Email,
            Metadata = new Dictionary<string, string> { ["user_id"] = userId.ToString() },
        }, new RequestOptions { IdempotencyKey = $"parley-customer-{userId}" }, ct);
        await db.Users.Where(u => u.Id == userId && u.StripeCustomerId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.StripeCustomerId, customer.Id), ct);
        return customer.Id;
    }

    private async Task<string> PriceIdAsync(CancellationToken ct)
    {
        var price = options.Value.Price;
        if (price.StartsWith("price_", StringComparison.Ordinal))
        {
            return price;
        }

        var found = await stripe.V1.Prices.ListAsync(new PriceListOptions { LookupKeys = [price], Active = true }, cancellationToken: ct);
        return found.Data.FirstOrDefault()?.Id
               ?? throw new StripeException($"No active Stripe price has the lookup key '{price}' (STRIPE_PRICE).");
    }

    private string BaseUrl(string origin) =>
        (string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) ? origin : options.Value.PublicBaseUrl).TrimEnd('/');

    /// <summary>Only a local path may be returned to: "/c/42" yes, "//evil.example" or "https://..." no.</summary>
    public static string SafePath(string? path) =>
        path is { Length: > 0 } p && p[0] == '/' && !p.StartsWith("//", StringComparison.Ordinal) && !p.Contains('\\', StringComparison.Ordinal)
            && Uri.TryCreate(p, UriKind.Relative, out _)
            ? p
            : "/";
}
