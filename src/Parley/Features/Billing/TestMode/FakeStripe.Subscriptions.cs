using System.Text.Json.Nodes;

namespace Parley.Features.Billing.TestMode;

/// <summary>
/// The subscription calls Parley makes on a user's behalf (cancel at period end, cancel now), each answered and then
/// followed by the event Stripe would send. What customers do on Stripe's pages is FakeStripe.Simulation.cs.
/// </summary>
public sealed partial class FakeStripe
{
    private StripeResponse UpdateSubscription(string id, IReadOnlyDictionary<string, string> p)
    {
        if (!_objects.TryGetValue(id, out var subscription) || subscription["object"]!.GetValue<string>() != "subscription")
        {
            return Error(404, "invalid_request_error", $"No such subscription: '{id}'", "id", "resource_missing");
        }

        if (subscription["status"]!.GetValue<string>() == "canceled")
        {
            return Error(400, "invalid_request_error", "A canceled subscription can only update its cancellation_details and metadata.");
        }

        if (p.TryGetValue("cancel_at_period_end", out var cancel))
        {
            subscription["cancel_at_period_end"] = cancel == "true";
            subscription["canceled_at"] = cancel == "true" ? Now() : null;
        }

        Enqueue("customer.subscription.updated", subscription);
        return Ok(subscription);
    }

    private StripeResponse CancelSubscription(string id)
    {
        if (!_objects.TryGetValue(id, out var subscription) || subscription["object"]!.GetValue<string>() != "subscription")
        {
            return Error(404, "invalid_request_error", $"No such subscription: '{id}'", "id", "resource_missing");
        }

        if (subscription["status"]!.GetValue<string>() == "canceled")
        {
            return Error(400, "invalid_request_error", $"This subscription is already canceled: '{id}'");
        }

        subscription["status"] = "canceled";
        subscription["canceled_at"] = Now();
        subscription["ended_at"] = Now();
        Enqueue("customer.subscription.deleted", subscription);
        return Ok(subscription);
    }
}
