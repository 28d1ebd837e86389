using System.Text.Json.Nodes;

namespace Parley.Features.Billing.TestMode;

/// <summary>
/// What a customer does on Stripe's hosted pages (pay, cancel, resume) and what time does to a subscription (a
/// failed renewal, the end of a period), each followed by the events Stripe would send.
/// </summary>
public sealed partial class FakeStripe
{
    public JsonObject? Find(string id)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(id, out var o) ? (JsonObject)o.DeepClone() : null;
        }
    }

    /// <summary>Deletes an object as the Dashboard would (a customer, a subscription): Stripe no longer knows it.</summary>
    public void Forget(string id)
    {
        lock (_gate)
        {
            _objects.Remove(id);
        }
    }

    /// <summary>The customer pays on the Checkout page: an active subscription, and its events.</summary>
    public async Task<string> CompleteCheckoutAsync(string sessionId)
    {
        JsonObject session, subscription;
        lock (_gate)
        {
            session = _objects[sessionId];
            if (session["status"]!.GetValue<string>() != "open")
            {
                throw new InvalidOperationException("This Checkout Session is no longer open.");
            }

            var customer = session["customer"]?.GetValue<string>() ?? CreateCustomer(new Dictionary<string, string>())["id"]!.GetValue<string>();
            var start = time.GetUtcNow();
            subscription = Store(new JsonObject
            {
                ["id"] = NewId("sub"),
                ["object"] = "subscription",
                ["customer"] = customer,
                ["status"] = "active",
                ["cancel_at_period_end"] = false,
                ["canceled_at"] = null,
                ["created"] = start.ToUnixTimeSeconds(),
                ["metadata"] = session["subscription_metadata"]!.DeepClone(),
                ["items"] = List([new JsonObject
                {
                    ["id"] = NewId("si"),
                    ["object"] = "subscription_item",
                    ["current_period_start"] = start.ToUnixTimeSeconds(),
                    ["current_period_end"] = start.AddMonths(1).ToUnixTimeSeconds(),
                    ["price"] = PriceObject(),
                    ["quantity"] = 1,
                }], "/v1/subscription_items"),
                ["livemode"] = false,
            });
            session["status"] = "complete";
            session["payment_status"] = "paid";
            session["customer"] = customer;
            session["subscription"] = subscription["id"]!.GetValue<string>();
        }

        await EmitAsync("checkout.session.completed", session);
        await EmitAsync("customer.subscription.created", subscription);
        await EmitAsync("invoice.paid", Invoice(subscription, "paid"));
        return session["success_url"]!.GetValue<string>().Replace("{CHECKOUT_SESSION_ID}", sessionId, StringComparison.Ordinal);
    }

    /// <summary>Changes a subscription as Stripe would (portal cancel/resume, failed renewal, end of period) and emits events.</summary>
    public async Task UpdateSubscriptionAsync(string subscriptionId, Action<JsonObject> change, params string[] events)
    {
        JsonObject subscription;
        lock (_gate)
        {
            subscription = _objects[subscriptionId];
            change(subscription);
        }

        foreach (var type in events.DefaultIfEmpty("customer.subscription.updated"))
        {
            await EmitAsync(type, type.StartsWith("invoice.", StringComparison.Ordinal)
                ? Invoice(subscription, type == "invoice.paid" ? "paid" : "open")
                : subscription);
        }
    }

    public static void SetPeriodEnd(JsonObject subscription, DateTimeOffset end) =>
        subscription["items"]!["data"]![0]!["current_period_end"] = end.ToUnixTimeSeconds();

    public IReadOnlyList<JsonObject> SubscriptionsOf(string customer)
    {
        lock (_gate)
        {
            return [.. _objects.Values.Where(o => o["object"]!.GetValue<string>() == "subscription" && o["customer"]!.GetValue<string>() == customer)
                .Select(o => (JsonObject)o.DeepClone())];
        }
    }

    /// <summary>A Stripe event envelope around a snapshot of <paramref name="data"/>.</summary>
    public string EventJson(string type, JsonObject data, string? id = null) => new JsonObject
    {
        ["id"] = id ?? NewId("evt"),
        ["object"] = "event",
        ["api_version"] = ApiVersion,
        ["created"] = Now(),
        ["type"] = type,
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
        ["data"] = new JsonObject { ["object"] = data.DeepClone() },
    }.ToJsonString();

    private async Task EmitAsync(string type, JsonObject data)
    {
        if (DeliverEvent is { } deliver)
        {
            string json;
            lock (_gate)
            {
                json = EventJson(type, data);
            }

            await deliver(json);
        }
    }

    private JsonObject Invoice(JsonObject subscription, string status) => new()
    {
        ["id"] = NewId("in"),
        ["object"] = "invoice",
        ["customer"] = subscription["customer"]!.GetValue<string>(),
        ["status"] = status,
        ["parent"] = new JsonObject
        {
            ["type"] = "subscription_details",
            ["subscription_details"] = new JsonObject { ["subscription"] = subscription["id"]!.GetValue<string>(), ["metadata"] = subscription["metadata"]!.DeepClone() },
        },
        ["livemode"] = false,
    };
}
