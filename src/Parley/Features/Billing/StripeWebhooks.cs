using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Features.Auth;
using Stripe;

namespace Parley.Features.Billing;

public enum WebhookOutcome
{
    Applied,
    Duplicate,
    Ignored,
    InvalidSignature,
    Malformed,
}

/// <summary>
/// Verifies and applies Stripe webhook events. The event only says which subscription changed: its current state is
/// always fetched from Stripe, under a lock per subscription (across instances), so whatever order events arrive and
/// interleave in, the last one applied read Stripe's newest state. Each event id is recorded in the same transaction
/// as its effect, so a redelivery is a no-op.
/// </summary>
public sealed class StripeWebhooks(
    AppDbContext db, StripeClient stripe, SubscriptionStore store, IKeyedLock locks, BillingRuntime runtime,
    IOptions<BillingOptions> billing, IOptions<AuthOptions> auth, ProcessedEventPruning pruning, TimeProvider time,
    ILogger<StripeWebhooks> logger)
{
    public static readonly IReadOnlySet<string> HandledTypes = new HashSet<string>
    {
        "checkout.session.completed",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "invoice.paid",
        "invoice.payment_failed",
    };

    /// <summary>Processed-event rows are kept this long (Stripe retries for 3 days), then pruned.</summary>
    public static readonly TimeSpan KeepProcessedEvents = TimeSpan.FromDays(90);

    public async Task<(WebhookOutcome Outcome, string Message)> HandleAsync(string json, string? signature, CancellationToken ct)
    {
        try
        {
            // Verified on the raw body, with a 5-minute tolerance on the signed timestamp (replays are refused).
            EventUtility.ValidateSignature(json, signature ?? "", StripeSetup.WebhookSecret(runtime, billing.Value, auth.Value),
                tolerance: 300, utcNow: time.GetUtcNow().ToUnixTimeSeconds());
        }
        catch (StripeException ex)
        {
            return (WebhookOutcome.InvalidSignature, ex.Message);
        }

        Event stripeEvent;
        EventRefs refs;
        try
        {
            stripeEvent = EventUtility.ParseEvent(json, throwOnApiVersionMismatch: false);
            refs = EventRefs.Read(json);
        }
        catch (Exception ex) when (ex is JsonException or Newtonsoft.Json.JsonException or StripeException or InvalidOperationException
                                       or ArgumentException or FormatException)
        {
            return (WebhookOutcome.Malformed, "The body is signed but is not a Stripe event.");
        }

        if (!HandledTypes.Contains(stripeEvent.Type))
        {
            return (WebhookOutcome.Ignored, $"{stripeEvent.Type} is not used by Parley.");
        }

        if (refs.SubscriptionId is not { } subscriptionId)
        {
            return (WebhookOutcome.Ignored, "The event names no subscription.");
        }

        await using (await locks.AcquireAsync($"stripe-subscription:{subscriptionId}", ct))
        {
            if (await db.ProcessedStripeEvents.AnyAsync(e => e.Id == stripeEvent.Id, ct))
            {
                return (WebhookOutcome.Duplicate, "Already processed.");
            }

            Stripe.Subscription current;
            try
            {
                current = await StripeCalls.RunAsync(TimeSpan.FromSeconds(20), ct, timeout =>
                    StripeCalls.WithRateLimitRetryAsync(() => stripe.V1.Subscriptions.GetAsync(subscriptionId, cancellationToken: timeout), timeout));
            }
            catch (StripeException ex) when (StripeCalls.IsMissing(ex))
            {
                // Deleted, or of another Stripe account: there is nothing to apply, and Stripe must stop retrying.
                logger.LogWarning("Stripe event {EventId} ({Type}) names subscription {Subscription}, which Stripe does not know; ignored",
                    stripeEvent.Id, stripeEvent.Type, subscriptionId);
                return (WebhookOutcome.Ignored, "Stripe does not know this subscription.");
            }

            var userId = await store.FindUserAsync(current, refs.UserHint, refs.CustomerId, ct);
            if (userId is null && !await db.Subscriptions.AnyAsync(s => s.Id == current.Id, ct))
            {
                logger.LogWarning("Stripe event {EventId} ({Type}) is for subscription {Subscription}, which no Parley user owns",
                    stripeEvent.Id, stripeEvent.Type, subscriptionId);
                return (WebhookOutcome.Ignored, "No Parley user owns this subscription.");
            }

            await db.RetryingAsync(async token =>
            {
                await using var tx = await db.BeginWriteAsync(token);
                db.ProcessedStripeEvents.Add(new ProcessedStripeEvent
                {
                    Id = stripeEvent.Id,
                    Type = stripeEvent.Type,
                    ProcessedAt = time.GetUtcNow().UtcDateTime,
                });
                await store.ApplyAsync(userId, current, token); // no user: a deleted account's, kept for accounting
                await tx.CommitAsync(token);
            }, ct);
            logger.LogInformation("Applied {Type} {EventId}: subscription {Subscription} is {Status}",
                stripeEvent.Type, stripeEvent.Id, current.Id, current.Status);
        }

        await PruneAsync(ct);
        return (WebhookOutcome.Applied, "Applied.");
    }

    /// <summary>At most once an hour per instance, processed-event rows past <see cref="KeepProcessedEvents"/> go.</summary>
    private async Task PruneAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!pruning.IsDue(now))
        {
            return;
        }

        var cutoff = (now - KeepProcessedEvents).UtcDateTime;
        await db.ProcessedStripeEvents.Where(e => e.ProcessedAt < cutoff).ExecuteDeleteAsync(ct);
    }
}

/// <summary>When this instance last pruned processed-event rows (a singleton: at most one prune an hour).</summary>
public sealed class ProcessedEventPruning
{
    private long _last = long.MinValue / 2;

    public bool IsDue(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _last);
        return now.ToUnixTimeSeconds() - last >= 3600 && Interlocked.CompareExchange(ref _last, now.ToUnixTimeSeconds(), last) == last;
    }
}

/// <summary>
/// What an event points at, read from its raw JSON so every API version's shape works: invoices name their
/// subscription under <c>parent.subscription_details</c> since 2025-03-31, and at the top level before.
/// </summary>
internal sealed record EventRefs(string? SubscriptionId, string? UserHint, string? CustomerId)
{
    public static EventRefs Read(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var o = doc.RootElement.GetProperty("data").GetProperty("object");
        return Str(o, "object") switch
        {
            "checkout.session" => new(Id(o, "subscription"), Str(o, "client_reference_id"), Id(o, "customer")),
            "subscription" => new(Str(o, "id"), Str(Obj(o, "metadata"), "user_id"), Id(o, "customer")),
            "invoice" => new(
                Id(Obj(Obj(o, "parent"), "subscription_details"), "subscription") ?? Id(o, "subscription"),
                Str(Obj(Obj(Obj(o, "parent"), "subscription_details"), "metadata"), "user_id")
                    ?? Str(Obj(Obj(o, "subscription_details"), "metadata"), "user_id"),
                Id(o, "customer")),
            _ => new(null, null, null),
        };
    }

    private static JsonElement Obj(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : default;

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    // An id, or an expanded object carrying one.
    private static string? Id(JsonElement e, string name) => Str(e, name) ?? Str(Obj(e, name), "id");
}
