using System.ComponentModel.DataAnnotations;
using Parley.Features.Auth;

namespace Parley.Features.Billing;

/// <summary><c>ReturnPath</c>: the app path (e.g. /c/42) to come back to after paying or cancelling.</summary>
public sealed record CheckoutRequest([property: MaxLength(200)] string? ReturnPath = null);

public sealed record RedirectResponse(string Url);

public sealed record BillingStatusResponse(
    Plan Plan,
    string? SubscriptionStatus,
    DateTimeOffset? CurrentPeriodEnd,
    bool CancelAtPeriodEnd,
    DateTimeOffset? GraceEndsAt,
    bool CanManage,
    bool TestMode,
    bool PaymentsAvailable,
    string PriceLabel);

public sealed record TestCheckoutResponse(string SessionId, string Status, string PriceLabel, string? Email, string? CancelUrl);

public sealed record TestPortalResponse(string CustomerId, string? SubscriptionId, string? Status, bool CancelAtPeriodEnd, DateTimeOffset? CurrentPeriodEnd);
