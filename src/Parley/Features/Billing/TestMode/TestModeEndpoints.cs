using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Features.Usage;
using Microsoft.Extensions.Options;
using Parley.Web;

namespace Parley.Features.Billing.TestMode;

/// <summary>
/// What Stripe's hosted pages do, for test mode: pay on the Checkout page, cancel or resume in the portal. Each
/// action changes the built-in FakeStripe, whose signed events then go through the normal webhook handling.
/// Mapped only in test mode.
/// </summary>
public static class TestModeEndpoints
{
    public static void MapBillingTestMode(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<BillingRuntime>().Mode != BillingMode.Test)
        {
            return;
        }

        var group = app.MapGroup("/api/billing/test-mode").WithTags("Billing test mode").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/checkout/{sessionId}", GetCheckout).WithName("GetTestCheckout");
        group.MapPost("/checkout/{sessionId}/pay", Pay).WithName("PayTestCheckout").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/portal/{customerId}", GetPortal).WithName("GetTestPortal");
        group.MapPost("/portal/{customerId}/cancel", (string customerId, FakeStripe stripe, AppDbContext db, HttpContext http, CancellationToken ct) =>
            SetCancel(customerId, true, stripe, db, http, ct)).WithName("CancelTestSubscription");
        group.MapPost("/portal/{customerId}/resume", (string customerId, FakeStripe stripe, AppDbContext db, HttpContext http, CancellationToken ct) =>
            SetCancel(customerId, false, stripe, db, http, ct)).WithName("ResumeTestSubscription");
    }

    private static async Task<Results<Ok<TestCheckoutResponse>, ProblemHttpResult>> GetCheckout(
        string sessionId, FakeStripe stripe, AppDbContext db, IOptions<UsageOptions> usage, HttpContext http, CancellationToken ct)
    {
        var session = stripe.Find(sessionId);
        if (session is null || session["client_reference_id"]?.GetValue<string>() != http.User.UserId().ToString())
        {
            return NotFound();
        }

        var id = http.User.UserId();
        var email = await db.Users.Where(u => u.Id == id).Select(u => u.Email).SingleAsync(ct);
        return TypedResults.Ok(new TestCheckoutResponse(sessionId, session["status"]!.GetValue<string>(), usage.Value.PremiumPriceLabel, email,
            session["cancel_url"]?.GetValue<string>()));
    }

    private static async Task<Results<Ok<RedirectResponse>, ProblemHttpResult>> Pay(string sessionId, FakeStripe stripe, HttpContext http)
    {
        var session = stripe.Find(sessionId);
        if (session is null || session["client_reference_id"]?.GetValue<string>() != http.User.UserId().ToString())
        {
            return NotFound();
        }

        if (session["status"]!.GetValue<string>() != "open")
        {
            return TypedResults.Problem("This checkout is no longer open (it was paid, or replaced by a newer one). Start again from Upgrade.",
                statusCode: StatusCodes.Status409Conflict,
                title: "Checkout closed", type: ProblemTypes.Conflict);
        }

        return TypedResults.Ok(new RedirectResponse(await stripe.CompleteCheckoutAsync(sessionId)));
    }

    private static async Task<Results<Ok<TestPortalResponse>, ProblemHttpResult>> GetPortal(
        string customerId, FakeStripe stripe, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        if (!await OwnsAsync(customerId, db, http, ct))
        {
            return NotFound();
        }

        var subscription = stripe.SubscriptionsOf(customerId) is [.., var last] ? last : null;
        return TypedResults.Ok(new TestPortalResponse(
            customerId,
            subscription?["id"]!.GetValue<string>(),
            subscription?["status"]!.GetValue<string>(),
            subscription?["cancel_at_period_end"]!.GetValue<bool>() ?? false,
            subscription is null ? null : DateTimeOffset.FromUnixTimeSeconds(subscription["items"]!["data"]![0]!["current_period_end"]!.GetValue<long>())));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetCancel(
        string customerId, bool cancel, FakeStripe stripe, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var subscription = await OwnsAsync(customerId, db, http, ct) && stripe.SubscriptionsOf(customerId) is [.., var last] ? last : null;
        if (subscription is null)
        {
            return NotFound();
        }

        await stripe.UpdateSubscriptionAsync(subscription["id"]!.GetValue<string>(), s => s["cancel_at_period_end"] = cancel);
        return TypedResults.NoContent();
    }

    private static async Task<bool> OwnsAsync(string customerId, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var id = http.User.UserId();
        return await db.Users.AnyAsync(u => u.Id == id && u.StripeCustomerId == customerId, ct);
    }

    private static ProblemHttpResult NotFound() => TypedResults.Problem("This test-mode checkout or portal does not exist.",
        statusCode: StatusCodes.Status404NotFound, title: "Not found", type: ProblemTypes.NotFound);
}
