using System.ComponentModel.DataAnnotations;

namespace Parley.Features.Billing;

public sealed class BillingOptions
{
    public const string SectionName = "Billing";

    /// <summary>
    /// <c>STRIPE_SECRET_KEY</c>. Empty: in Development the built-in test mode (no real payments, nothing leaves the
    /// machine); elsewhere payments are not configured unless <see cref="TestMode"/> is set.
    /// </summary>
    public string? SecretKey { get; set; }

    /// <summary><c>STRIPE_PUBLISHABLE_KEY</c>: shown to the UI; Checkout itself needs no client-side key.</summary>
    public string? PublishableKey { get; set; }

    /// <summary><c>STRIPE_WEBHOOK_SECRET</c> (whsec_...). Required with a secret key; test mode signs with a local one.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary><c>STRIPE_PRICE</c>: the Premium price, as an id (price_...) or a lookup key.</summary>
    [MaxLength(200)]
    public string Price { get; set; } = "parley_premium_monthly";

    /// <summary><c>PUBLIC_BASE_URL</c>: where users reach Parley, for Stripe's redirect URLs. Empty: the request's own origin.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Overrides Stripe's API address (the tests point it at a fake Stripe on 127.0.0.1).</summary>
    [Url]
    public string? ApiBase { get; set; }

    /// <summary>How long a past_due subscription stays Premium while the user updates their card.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "60.00:00:00")]
    public TimeSpan PastDueGracePeriod { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// <c>Billing__TestMode</c>: the built-in test mode, where anyone can "pay" without paying. Default: on in
    /// Development when no key is set, off everywhere else; Production needs it explicitly (and warns).
    /// </summary>
    public bool? TestMode { get; set; }

    /// <summary>How long a user-facing Stripe call (all of a checkout's requests together) may take before giving up.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);
}

public enum BillingMode
{
    /// <summary>Real Stripe, with STRIPE_SECRET_KEY.</summary>
    Live,

    /// <summary>The built-in FakeStripe: nothing is charged, anyone can "pay".</summary>
    Test,

    /// <summary>No key and no test mode: the plans are shown, nobody can buy one.</summary>
    NotConfigured,
}

/// <summary>
/// The billing mode this process runs in, and the Stripe account its customers and subscriptions belong to:
/// "builtin" (test mode), "test" (an sk_test_ key) or "live" (an sk_live_ key). Customer ids and subscriptions are
/// stored with their account, so switching keys never sends one account's ids to another.
/// </summary>
public sealed record BillingRuntime(BillingMode Mode, string Account)
{
    public const string BuiltInAccount = "builtin";

    public static BillingRuntime Resolve(BillingOptions options, IHostEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(options.SecretKey))
        {
            var key = options.SecretKey.Trim();
            return new(BillingMode.Live, key.StartsWith("sk_test_", StringComparison.Ordinal) || key.StartsWith("rk_test_", StringComparison.Ordinal) ? "test" : "live");
        }

        return options.TestMode ?? environment.IsDevelopment()
            ? new(BillingMode.Test, BuiltInAccount)
            : new(BillingMode.NotConfigured, "none");
    }
}
