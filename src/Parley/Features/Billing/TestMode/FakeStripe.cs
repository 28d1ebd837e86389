using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Parley.Features.Billing.TestMode;

public sealed record StripeRequest(
    string Method, string Path, IReadOnlyDictionary<string, string> Parameters, string? Authorization, string? IdempotencyKey);

public sealed record StripeResponse(int Status, string Json);

/// <summary>
/// A small Stripe: the parts of its API Parley uses (customers, prices, Checkout, subscriptions, the billing portal),
/// with Stripe's wire format: form-encoded bracket parameters, a bearer key, Idempotency-Key, JSON objects shaped like
/// Stripe's (API 2026-10-28), and signed webhook events. It backs the built-in test mode, and the test suite serves it
/// over HTTP, so in both the production Stripe.net code runs unchanged. State lives in memory.
/// This file is the API Stripe.net calls (FakeStripe.Subscriptions.cs, the subscription changes among it);
/// FakeStripe.Simulation.cs is what customers and time do to that state.
/// </summary>
public sealed partial class FakeStripe(TimeProvider time, Func<string, string> checkoutUrl, Func<string, string> portalUrl)
{
    public const string ApiVersion = "2026-10-28.endive";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _objects = [];
    private readonly Dictionary<string, StripeResponse> _idempotent = [];
    private readonly List<string> _outbox = [];
    private int _sequence;

    public ConcurrentQueue<StripeRequest> Requests { get; } = new();

    /// <summary>Delivers an event's JSON to the app's webhook handling (signing is the deliverer's job).</summary>
    public Func<string, Task>? DeliverEvent { get; set; }

    /// <summary>The Premium price: its id, and the lookup key it answers to.</summary>
    public (string Id, string LookupKey, long UnitAmount) Price { get; set; } = ("price_parley_premium", "parley_premium_monthly", 1000);

    public StripeResponse Handle(StripeRequest request)
    {
        Requests.Enqueue(request);
        if (request.Authorization is not { } auth || !auth.StartsWith("Bearer sk_", StringComparison.Ordinal))
        {
            return Error(401, "invalid_request_error", "You did not provide an API key.");
        }

        StripeResponse response;
        List<string> events;
        lock (_gate)
        {
            response = Answer(request);
            events = [.. _outbox];
            _outbox.Clear();
        }

        // Like Stripe, the events a request caused are delivered after it was answered.
        foreach (var json in events)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await (DeliverEvent?.Invoke(json) ?? Task.CompletedTask);
                }
                catch (Exception)
                {
                    // Delivery is the deliverer's business: a failure there does not change what Stripe answered.
                }
            });
        }

        return response;
    }

    private StripeResponse Answer(StripeRequest request)
    {
        if (request.Method == "POST" && request.IdempotencyKey is { } key)
        {
            if (_idempotent.TryGetValue(key, out var earlier))
            {
                return earlier;
            }

            var response = Route(request);
            if (response.Status < 500)
            {
                _idempotent[key] = response;
            }

            return response;
        }

        return Route(request);
    }

    /// <summary>An event a request caused, delivered once the request is answered (under the gate).</summary>
    private void Enqueue(string type, JsonObject data) => _outbox.Add(EventJson(type, data));

    private StripeResponse Route(StripeRequest r)
    {
        var segments = r.Path.Trim('/').Split('/');
        return (r.Method, segments) switch
        {
            ("POST", ["v1", "customers"]) => Ok(CreateCustomer(r.Parameters)),
            ("GET", ["v1", "prices"]) => Ok(ListPrices(r.Parameters)),
            ("POST", ["v1", "checkout", "sessions"]) => CreateCheckoutSession(r.Parameters),
            ("GET", ["v1", "checkout", "sessions"]) => Ok(List(_objects.Values.Where(o =>
                o["object"]!.GetValue<string>() == "checkout.session" &&
                (!r.Parameters.TryGetValue("customer", out var c) || o["customer"]?.GetValue<string>() == c) &&
                (!r.Parameters.TryGetValue("status", out var st) || o["status"]!.GetValue<string>() == st)), "/v1/checkout/sessions")),
            ("GET", ["v1", "checkout", "sessions", var id]) => Get(id),
            ("POST", ["v1", "checkout", "sessions", var id, "expire"]) => ExpireCheckoutSession(id),
            ("GET", ["v1", "customers", var id]) => Get(id),
            ("DELETE", ["v1", "customers", var id]) => DeleteCustomer(id),
            ("GET", ["v1", "subscriptions", var id]) => Get(id),
            ("POST", ["v1", "subscriptions", var id]) => UpdateSubscription(id, r.Parameters),
            ("DELETE", ["v1", "subscriptions", var id]) => CancelSubscription(id),
            ("GET", ["v1", "subscriptions"]) when r.Parameters.TryGetValue("customer", out var c) && !_objects.ContainsKey(c) =>
                Error(400, "invalid_request_error", $"No such customer: '{c}'", "customer", "resource_missing"),
            // Like Stripe's, the list leaves out cancelled subscriptions unless asked for status=all or canceled.
            ("GET", ["v1", "subscriptions"]) => Ok(List(_objects.Values.Where(o =>
                o["object"]!.GetValue<string>() == "subscription" &&
                (!r.Parameters.TryGetValue("customer", out var c) || o["customer"]!.GetValue<string>() == c) &&
                (r.Parameters.GetValueOrDefault("status") is "all" || o["status"]!.GetValue<string>() == r.Parameters.GetValueOrDefault("status", "") ||
                 (!r.Parameters.ContainsKey("status") && o["status"]!.GetValue<string>() != "canceled"))), "/v1/subscriptions")),
            ("POST", ["v1", "billing_portal", "sessions"]) => CreatePortalSession(r.Parameters),
            _ => Error(404, "invalid_request_error", $"Unrecognized request URL ({r.Method}: {r.Path})."),
        };
    }

    private JsonObject CreateCustomer(IReadOnlyDictionary<string, string> p)
    {
        var customer = new JsonObject
        {
            ["id"] = NewId("cus"),
            ["object"] = "customer",
            ["created"] = Now(),
            ["email"] = p.GetValueOrDefault("email"),
            ["livemode"] = false,
            ["metadata"] = Metadata(p, "metadata"),
        };
        return Store(customer);
    }

    private JsonObject ListPrices(IReadOnlyDictionary<string, string> p)
    {
        var keys = p.Where(kv => kv.Key.StartsWith("lookup_keys[", StringComparison.Ordinal)).Select(kv => kv.Value).ToList();
        return List(keys.Count == 0 || keys.Contains(Price.LookupKey) ? [PriceObject()] : [], "/v1/prices");
    }

    private StripeResponse CreateCheckoutSession(IReadOnlyDictionary<string, string> p)
    {
        foreach (var required in new[] { "mode", "success_url", "line_items[0][price]" })
        {
            if (!p.ContainsKey(required))
            {
                return Error(400, "invalid_request_error", $"Missing required param: {required}.", required);
            }
        }

        if (p["line_items[0][price]"] != Price.Id)
        {
            return Error(400, "invalid_request_error", $"No such price: '{p["line_items[0][price]"]}'", "line_items[0][price]");
        }

        if (p.TryGetValue("customer", out var customer) && !_objects.ContainsKey(customer))
        {
            return Error(400, "invalid_request_error", $"No such customer: '{customer}'", "customer", "resource_missing");
        }

        var id = NewId("cs_test");
        var session = new JsonObject
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["mode"] = p["mode"],
            ["status"] = "open",
            ["payment_status"] = "unpaid",
            ["customer"] = customer,
            ["client_reference_id"] = p.GetValueOrDefault("client_reference_id"),
            ["success_url"] = p["success_url"],
            ["cancel_url"] = p.GetValueOrDefault("cancel_url"),
            ["subscription"] = null,
            ["metadata"] = Metadata(p, "metadata"),
            ["subscription_metadata"] = Metadata(p, "subscription_data[metadata]"), // kept for completion; not a Stripe field
            ["url"] = checkoutUrl(id),
            ["created"] = Now(),
            ["livemode"] = false,
        };
        return Ok(Store(session));
    }

    private StripeResponse CreatePortalSession(IReadOnlyDictionary<string, string> p)
    {
        if (!p.TryGetValue("customer", out var customer) || !_objects.ContainsKey(customer))
        {
            return Error(400, "invalid_request_error", $"No such customer: '{customer}'", "customer", "resource_missing");
        }

        return Ok(new JsonObject
        {
            ["id"] = NewId("bps"),
            ["object"] = "billing_portal.session",
            ["customer"] = customer,
            ["return_url"] = p.GetValueOrDefault("return_url"),
            ["url"] = portalUrl(customer),
            ["created"] = Now(),
            ["livemode"] = false,
        });
    }

    private StripeResponse ExpireCheckoutSession(string id)
    {
        if (!_objects.TryGetValue(id, out var session) || session["object"]!.GetValue<string>() != "checkout.session")
        {
            return Error(404, "invalid_request_error", $"No such checkout.session: '{id}'", "session", "resource_missing");
        }

        if (session["status"]!.GetValue<string>() != "open")
        {
            return Error(400, "invalid_request_error", "Only Checkout Sessions with a status of `open` can be expired.");
        }

        session["status"] = "expired";
        return Ok(session);
    }

    private StripeResponse DeleteCustomer(string id)
    {
        if (!_objects.Remove(id))
        {
            return Error(404, "invalid_request_error", $"No such customer: '{id}'", "id", "resource_missing");
        }

        return Ok(new JsonObject { ["id"] = id, ["object"] = "customer", ["deleted"] = true });
    }

    private JsonObject PriceObject() => new()
    {
        ["id"] = Price.Id,
        ["object"] = "price",
        ["lookup_key"] = Price.LookupKey,
        ["currency"] = "usd",
        ["unit_amount"] = Price.UnitAmount,
        ["type"] = "recurring",
        ["recurring"] = new JsonObject { ["interval"] = "month", ["interval_count"] = 1 },
        ["active"] = true,
        ["livemode"] = false,
    };

    private StripeResponse Get(string id) =>
        _objects.TryGetValue(id, out var o) ? Ok(o) : Error(404, "invalid_request_error", $"No such object: '{id}'", "id", "resource_missing");

    private JsonObject Store(JsonObject o)
    {
        _objects[o["id"]!.GetValue<string>()] = o;
        return o;
    }

    private static JsonObject List(IEnumerable<JsonObject> items, string url) => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray([.. items.Select(i => (JsonNode)i.DeepClone())]),
        ["has_more"] = false,
        ["url"] = url,
    };

    private static JsonObject Metadata(IReadOnlyDictionary<string, string> p, string prefix)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in p.Where(kv => kv.Key.StartsWith(prefix + "[", StringComparison.Ordinal)))
        {
            metadata[key[(prefix.Length + 1)..^1]] = value;
        }

        return metadata;
    }

    private string NewId(string prefix) =>
        $"{prefix}_{Interlocked.Increment(ref _sequence).ToString("D6", CultureInfo.InvariantCulture)}{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 30)];

    private long Now() => time.GetUtcNow().ToUnixTimeSeconds();

    private static StripeResponse Ok(JsonObject o) => new(200, o.ToJsonString());

    private static StripeResponse Error(int status, string type, string message, string? param = null, string? code = null) =>
        new(status, new JsonObject
        {
            ["error"] = new JsonObject { ["type"] = type, ["message"] = message, ["param"] = param, ["code"] = code },
        }.ToJsonString());
}
