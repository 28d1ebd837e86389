using System.ComponentModel.DataAnnotations;

namespace Parley.Features.Billing;

public sealed class BillingOptions
{
    public const string SectionName = "Billing";

    /// <summary><c>STRIPE_SECRET_KEY</c>. Empty: the built-in test mode (no real payments, nothing leaves the machine).</summary>
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

    public bool TestMode => string.IsNullOrWhiteSpace(SecretKey);
}
