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
}

/// <summary>
/// Verifies and applies Stripe webhook events. The event only says which subscription changed: its current state is
/// always fetched from Stripe, so events may arrive late, twice or out of order. Each event id is recorded in the
/// same transaction as its effect, so a redelivery is a no-op.
/// </summary>
public sealed class StripeWebhooks(
    AppDbContext db, StripeClient stripe, SubscriptionStore store, IOptions<BillingOptions> billing,
    IOptions<AuthOptions> auth, TimeProvider time, ILogger<StripeWebhooks> logger)
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

    public async Task<(WebhookOutcome Outcome, string Message)> HandleAsync(string json, string? signature, CancellationToken ct)
    {
        Event stripeEvent;
        try
        {
            // Verified on the raw body, with a 5-minute tolerance on the signed timestamp (replays are refused).
            stripeEvent = EventUtility.ConstructEvent(json, signature ?? "", StripeSetup.WebhookSecret(billing.Value, auth.Value),
                tolerance: 300, utcNow: time.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeException ex)
        {
            return (WebhookOutcome.InvalidSignature, ex.Message);
        }

        if (!HandledTypes.Contains(stripeEvent.Type))
        {
            return (WebhookOutcome.Ignored, $"{stripeEvent.Type} is not used by Parley.");
        }

        var (subscriptionId, userHint, customerId) = stripeEvent.Data.Object switch
        {
            Stripe.Checkout.Session s => (s.SubscriptionId, s.ClientReferenceId, s.CustomerId),
            Stripe.Subscription s => (s.Id, s.Metadata?.GetValueOrDefault("user_id"), s.CustomerId),
            Invoice i => (i.Parent?.SubscriptionDetails?.SubscriptionId, i.Parent?.SubscriptionDetails?.Metadata?.GetValueOrDefault("user_id"), i.CustomerId),
            _ => (null, null, null),
        };
        if (subscriptionId is null)
        {
            return (WebhookOutcome.Ignored, "The event names no subscription.");
        }

        if (await db.ProcessedStripeEvents.AnyAsync(e => e.Id == stripeEvent.Id, ct))
        {
            return (WebhookOutcome.Duplicate, "Already processed.");
        }

        var current = await stripe.V1.Subscriptions.GetAsync(subscriptionId, cancellationToken: ct);
        var userId = await store.FindUserAsync(current, userHint, customerId, ct);
        if (userId is null)
        {
            logger.LogWarning("Stripe event {EventId} ({Type}) is for subscription {Subscription}, which no Parley user owns",
                stripeEvent.Id, stripeEvent.Type, subscriptionId);
            return (WebhookOutcome.Ignored, "No Parley user owns this subscription.");
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                db.ProcessedStripeEvents.Add(new ProcessedStripeEvent
                {
                    Id = stripeEvent.Id,
                    Type = stripeEvent.Type,
                    ProcessedAt = time.GetUtcNow().UtcDateTime,
                });
                await store.ApplyAsync(userId.Value, current, ct);
                await tx.CommitAsync(ct);
                logger.LogInformation("Applied {Type} {EventId}: subscription {Subscription} is {Status}",
                    stripeEvent.Type, stripeEvent.Id, current.Id, current.Status);
                return (WebhookOutcome.Applied, $"Subscription is {current.Status}.");
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // A concurrent delivery of this event won (a duplicate), or of another event for the same new
                // subscription (its row now exists): look again.
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                if (await db.ProcessedStripeEvents.AnyAsync(e => e.Id == stripeEvent.Id, ct))
                {
                    return (WebhookOutcome.Duplicate, "Already processed.");
                }
            }
        }
    }
}
