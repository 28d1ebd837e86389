using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Parley.Web;

namespace Parley.Features.Billing;

public static class BillingEndpoints
{
    public const int MaxWebhookBytes = 1024 * 1024;

    public static RouteGroupBuilder MapBilling(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/billing").WithTags("Billing");
        group.MapGet("/", Status).RequireAuthorization().WithName("GetBilling")
            .WithSummary("Plan, subscription status, renewal or end date, grace period.");
        group.MapPost("/checkout", Checkout).RequireAuthorization().WithName("StartCheckout")
            .WithSummary("Start a Stripe Checkout for Premium; redirect the browser to the returned URL.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway);
        group.MapPost("/portal", Portal).RequireAuthorization().WithName("OpenBillingPortal")
            .WithSummary("A Stripe customer portal session to manage the card, cancel or resume.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway);
        group.MapPost("/webhook", Webhook).AllowAnonymous().WithName("StripeWebhook")
            .WithSummary("Stripe's webhook endpoint (signed events).")
            .WithMetadata(new RequestSizeLimitAttribute(MaxWebhookBytes))
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return group;
    }

    private static async Task<Ok<BillingStatusResponse>> Status(BillingService billing, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await billing.StatusAsync(http.User.UserId(), ct));

    private static async Task<Results<Ok<RedirectResponse>, ProblemHttpResult>> Checkout(
        CheckoutRequest request, BillingService billing, HttpContext http, CancellationToken ct) =>
        Map(await billing.StartCheckoutAsync(http.User.UserId(), request.ReturnPath, Origin(http), ct));

    private static async Task<Results<Ok<RedirectResponse>, ProblemHttpResult>> Portal(
        BillingService billing, HttpContext http, CancellationToken ct) =>
        Map(await billing.PortalAsync(http.User.UserId(), Origin(http), ct));

    private static async Task<Results<Ok, ProblemHttpResult>> Webhook(StripeWebhooks webhooks, HttpContext http, CancellationToken ct)
    {
        // The signature covers the exact bytes Stripe sent, so the body is read raw, never model-bound.
        using var reader = new StreamReader(http.Request.Body);
        var json = await reader.ReadToEndAsync(ct);
        var (outcome, message) = await webhooks.HandleAsync(json, http.Request.Headers["Stripe-Signature"], ct);
        return outcome == WebhookOutcome.InvalidSignature
            ? TypedResults.Problem($"The Stripe-Signature header does not verify this payload: {message}",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid webhook signature", type: ProblemTypes.BadRequest)
            : TypedResults.Ok();
    }

    private static Results<Ok<RedirectResponse>, ProblemHttpResult> Map(BillingOutcome outcome) => outcome switch
    {
        BillingOutcome.Redirect r => TypedResults.Ok(new RedirectResponse(r.Url)),
        BillingOutcome.AlreadyPremium => TypedResults.Problem("You already have Premium. Manage it from your account page.",
            statusCode: StatusCodes.Status409Conflict, title: "Already Premium", type: ProblemTypes.AlreadyPremium),
        BillingOutcome.NoCustomer => TypedResults.Problem("There is no subscription to manage yet. Upgrade to Premium first.",
            statusCode: StatusCodes.Status409Conflict, title: "No subscription", type: ProblemTypes.NoSubscription),
        BillingOutcome.StripeUnavailable => TypedResults.Problem(
            "Payments are unavailable right now. Nothing was charged; please try again in a moment.",
            statusCode: StatusCodes.Status502BadGateway, title: "Payments unavailable", type: ProblemTypes.PaymentsUnavailable),
        _ => throw new InvalidOperationException($"Unknown outcome {outcome}"),
    };

    private static string Origin(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}";
}
