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
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/portal", Portal).RequireAuthorization().WithName("OpenBillingPortal")
            .WithSummary("A Stripe customer portal session to manage the card, cancel or resume.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/webhook", Webhook).AllowAnonymous().WithName("StripeWebhook")
            .WithSummary("Stripe's webhook endpoint (signed events).")
            .WithMetadata(new RequestSizeLimitAttribute(MaxWebhookBytes))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    private static async Task<Ok<BillingStatusResponse>> Status(BillingService billing, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await billing.StatusAsync(http.User.UserId(), ct));

    private static async Task<Results<Ok<RedirectResponse>, ProblemHttpResult>> Checkout(
        CheckoutRequest request, BillingService billing, HttpContext http, CancellationToken ct) =>
        Map(await billing.StartCheckoutAsync(http.User.UserId(), request.ReturnPath, ct), http);

    private static async Task<Results<Ok<RedirectResponse>, ProblemHttpResult>> Portal(
        BillingService billing, HttpContext http, CancellationToken ct) =>
        Map(await billing.PortalAsync(http.User.UserId(), ct), http);

    private static async Task<Results<Ok, ProblemHttpResult>> Webhook(StripeWebhooks webhooks, HttpContext http, CancellationToken ct)
    {
        // The signature covers the exact bytes Stripe sent, so the body is read raw, never model-bound.
        using var reader = new StreamReader(http.Request.Body);
        var json = await reader.ReadToEndAsync(ct);
        try
        {
            var (outcome, message) = await webhooks.HandleAsync(json, http.Request.Headers["Stripe-Signature"], ct);
            http.RequestServices.GetRequiredService<Hosting.ParleyMetrics>().Webhook(outcome.ToString());
            return outcome switch
            {
                WebhookOutcome.InvalidSignature => TypedResults.Problem($"The Stripe-Signature header does not verify this payload: {message}",
                    statusCode: StatusCodes.Status400BadRequest, title: "Invalid webhook signature", type: ProblemTypes.BadRequest),
                WebhookOutcome.Malformed => TypedResults.Problem(message,
                    statusCode: StatusCodes.Status400BadRequest, title: "Not a Stripe event", type: ProblemTypes.BadRequest),
                _ => TypedResults.Ok(),
            };
        }
        catch (StripeUnavailableException ex)
        {
            http.RequestServices.GetRequiredService<Hosting.ParleyMetrics>().Webhook("StripeUnavailable");
            // Stripe redelivers on any non-2xx; the state is re-read then.
            RetryAfter(http, ex.RetryAfter);
            return TypedResults.Problem("Stripe could not be reached to read the subscription; deliver the event again later.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Payments unavailable", type: ProblemTypes.PaymentsUnavailable);
        }
    }

    private static Results<Ok<RedirectResponse>, ProblemHttpResult> Map(BillingOutcome outcome, HttpContext http)
    {
        switch (outcome)
        {
            case BillingOutcome.Redirect r:
                return TypedResults.Ok(new RedirectResponse(r.Url));
            case BillingOutcome.AlreadyPremium:
                return TypedResults.Problem("You already have Premium. Manage it from your account page.",
                    statusCode: StatusCodes.Status409Conflict, title: "Already Premium", type: ProblemTypes.AlreadyPremium);
            case BillingOutcome.AlreadySubscribed:
                return TypedResults.Problem("You already have a subscription. Change or resume it from Manage subscription on your account page.",
                    statusCode: StatusCodes.Status409Conflict, title: "Already subscribed", type: ProblemTypes.AlreadySubscribed,
                    extensions: new Dictionary<string, object?> { ["manageUrl"] = "/account" });
            case BillingOutcome.NoCustomer:
                return TypedResults.Problem("There is no subscription to manage. Upgrade to Premium first.",
                    statusCode: StatusCodes.Status409Conflict, title: "No subscription", type: ProblemTypes.NoSubscription);
            case BillingOutcome.NotConfigured:
                return TypedResults.Problem("Payments are not set up on this Parley server yet, so Premium cannot be bought here. Ask its operator.",
                    statusCode: StatusCodes.Status503ServiceUnavailable, title: "Payments not configured", type: ProblemTypes.PaymentsNotConfigured);
            case BillingOutcome.StripeUnavailable u:
                RetryAfter(http, u.RetryAfter);
                return TypedResults.Problem(
                    $"Payments are unavailable right now. Nothing was charged; please try again in {Math.Max(1, (int)Math.Ceiling(u.RetryAfter.TotalSeconds))} seconds.",
                    statusCode: StatusCodes.Status502BadGateway, title: "Payments unavailable", type: ProblemTypes.PaymentsUnavailable);
            default:
                throw new InvalidOperationException($"Unknown outcome {outcome}");
        }
    }

    private static void RetryAfter(HttpContext http, TimeSpan after) =>
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
