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
    public sealed record AlreadySubscribed : BillingOutcome;
    public sealed record NoCustomer : BillingOutcome;
    public sealed record NotConfigured : BillingOutcome;
    public sealed record StripeUnavailable(TimeSpan RetryAfter) : BillingOutcome;
}

/// <summary>Starts Checkout and portal sessions and reports billing status. See docs/decisions/0008-payments-off-the-happy-path.md.</summary>
public sealed class BillingService(
    AppDbContext db, StripeClient stripe, Entitlements entitlements, StripeCustomers customers, IKeyedLock locks,
    BillingRuntime runtime, IOptions<BillingOptions> options, IOptions<UsageOptions> usage, Hosting.PublicAddress address,
    Analytics.AnalyticsRecorder analytics, ILogger<BillingService> logger)
{
    private static readonly string[] LiveStatuses = ["active", "trialing", "past_due", "unpaid"];

    public async Task<BillingStatusResponse> StatusAsync(Guid userId, CancellationToken ct)
    {
        var entitlement = await entitlements.ForAsync(userId, ct);
        var s = entitlement.Subscription;
        // Something to manage in the portal: a customer of this Stripe account that has had a subscription.
        var canManage = runtime.Mode != BillingMode.NotConfigured && s is not null && await customers.CurrentAsync(userId, ct) is not null;
        return new BillingStatusResponse(
            entitlement.IsPremium ? Auth.Plan.Premium : Auth.Plan.Free,
            s?.Status,
            s?.CurrentPeriodEnd is { } end ? new DateTimeOffset(end, TimeSpan.Zero) : null,
            s?.CancelAtPeriodEnd ?? false,
            entitlement.GraceEndsAt,
            canManage,
            runtime.Mode == BillingMode.Test,
            runtime.Mode != BillingMode.NotConfigured,
            usage.Value.PremiumPriceLabel);
    }

    public async Task<BillingOutcome> StartCheckoutAsync(Guid userId, string? returnPath, CancellationToken ct)
    {
        if (runtime.Mode == BillingMode.NotConfigured)
        {
            return new BillingOutcome.NotConfigured();
        }

        // One subscription per user: one Stripe still bills (even past due, or cancelled at period end) is changed in
        // the portal, never doubled by a second Checkout.
        var account = runtime.Account;
        if (await db.Subscriptions.AnyAsync(s => s.UserId == userId && (s.Account == null || s.Account == account) &&
                                                 LiveStatuses.Contains(s.Status), ct))
        {
            return new BillingOutcome.AlreadySubscribed();
        }

        if ((await entitlements.ForAsync(userId, ct)).IsPremium)
        {
            return new BillingOutcome.AlreadyPremium();
        }

        try
        {
            var started = await StripeCalls.RunAsync(options.Value.RequestTimeout, ct, async timeout =>
            {
                // One checkout at a time per user (across instances): with at most one open Checkout Session, two tabs
                // cannot both be paid.
                await using var held = await locks.AcquireAsync($"checkout:{userId}", timeout);
                var customer = await customers.EnsureAsync(userId, timeout);
                try
                {
                    return new BillingOutcome.Redirect(await CreateSessionAsync(userId, customer, returnPath, timeout));
                }
                catch (StripeException ex) when (StripeCalls.IsMissing(ex, "customer"))
                {
                    // Deleted in the Dashboard, or made with other keys: forget it and start over with a new one.
                    await customers.ForgetAsync(userId, customer, timeout);
                    customer = await customers.EnsureAsync(userId, timeout);
                    return new BillingOutcome.Redirect(await CreateSessionAsync(userId, customer, returnPath, timeout));
                }
            });
            await analytics.RecordAsync(Analytics.AnalyticsKind.CheckoutStarted, userId);
            return started;
        }
        catch (Exception ex) when (ex is StripeUnavailableException or StripeException)
        {
            logger.LogError(ex, "Checkout could not be started for {User}", userId);
            return new BillingOutcome.StripeUnavailable((ex as StripeUnavailableException)?.RetryAfter ?? TimeSpan.FromSeconds(60));
        }
    }

    public async Task<BillingOutcome> PortalAsync(Guid userId, CancellationToken ct)
    {
        if (runtime.Mode == BillingMode.NotConfigured)
        {
            return new BillingOutcome.NotConfigured();
        }

        if (await customers.CurrentAsync(userId, ct) is not { } customer)
        {
            return new BillingOutcome.NoCustomer();
        }

        try
        {
            return await StripeCalls.RunAsync(options.Value.RequestTimeout, ct, async timeout =>
            {
                try
                {
                    var session = await StripeCalls.WithRateLimitRetryAsync(() => stripe.V1.BillingPortal.Sessions.CreateAsync(
                        new Stripe.BillingPortal.SessionCreateOptions { Customer = customer, ReturnUrl = $"{BaseUrl()}/account" },
                        cancellationToken: timeout), timeout);
                    return (BillingOutcome)new BillingOutcome.Redirect(session.Url);
                }
                catch (StripeException ex) when (StripeCalls.IsMissing(ex))
                {
                    await customers.ForgetAsync(userId, customer, timeout);
                    return new BillingOutcome.NoCustomer();
                }
            });
        }
        catch (Exception ex) when (ex is StripeUnavailableException or StripeException)
        {
            logger.LogError(ex, "Stripe refused a portal session for {User}", userId);
            return new BillingOutcome.StripeUnavailable((ex as StripeUnavailableException)?.RetryAfter ?? TimeSpan.FromSeconds(60));
        }
    }

    private async Task<string> CreateSessionAsync(Guid userId, string customer, string? returnPath, CancellationToken ct)
    {
        // Sessions opened earlier (another tab, a click before) are expired, so only the newest can be paid.
        var open = await StripeCalls.WithRateLimitRetryAsync(() => stripe.V1.Checkout.Sessions.ListAsync(
            new Stripe.Checkout.SessionListOptions { Customer = customer, Status = "open", Limit = 10 }, cancellationToken: ct), ct);
        foreach (var earlier in open.Data)
        {
            await StripeCalls.WithRateLimitRetryAsync(() => stripe.V1.Checkout.Sessions.ExpireAsync(earlier.Id, cancellationToken: ct), ct);
        }

        var path = SafePath(returnPath);
        var baseUrl = BaseUrl();
        var price = await PriceIdAsync(ct);
        var session = await StripeCalls.WithRateLimitRetryAsync(() => stripe.V1.Checkout.Sessions.CreateAsync(new Stripe.Checkout.SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customer,
            ClientReferenceId = userId.ToString(),
            LineItems = [new Stripe.Checkout.SessionLineItemOptions { Price = price, Quantity = 1 }],
            SubscriptionData = new Stripe.Checkout.SessionSubscriptionDataOptions
            {
                Metadata = new Dictionary<string, string> { ["user_id"] = userId.ToString() },
            },
            Metadata = new Dictionary<string, string> { ["user_id"] = userId.ToString() },
            // {CHECKOUT_SESSION_ID} is filled in by Stripe. The success page waits for the webhook, not this redirect.
            SuccessUrl = $"{baseUrl}/billing/success?session_id={{CHECKOUT_SESSION_ID}}&return={Uri.EscapeDataString(path)}",
            CancelUrl = $"{baseUrl}{path}",
        }, cancellationToken: ct), ct);
        return session.Url;
    }

    private async Task<string> PriceIdAsync(CancellationToken ct)
    {
        var price = options.Value.Price;
        if (price.StartsWith("price_", StringComparison.Ordinal))
        {
            return price;
        }

        var found = await StripeCalls.WithRateLimitRetryAsync(() => stripe.V1.Prices.ListAsync(
            new PriceListOptions { LookupKeys = [price], Active = true }, cancellationToken: ct), ct);
        return found.Data.FirstOrDefault()?.Id
               ?? throw new StripeException($"No active Stripe price has the lookup key '{price}' (STRIPE_PRICE).");
    }

    private string BaseUrl() => address.BaseUrl();

    /// <summary>Only a local path may be returned to: "/c/42" yes, "//evil.example" or "https://..." no.</summary>
    public static string SafePath(string? path) =>
        path is { Length: > 0 } p && p[0] == '/' && !p.StartsWith("//", StringComparison.Ordinal) && !p.Contains('\\', StringComparison.Ordinal)
            && Uri.TryCreate(p, UriKind.Relative, out _)
            ? p
            : "/";
}
