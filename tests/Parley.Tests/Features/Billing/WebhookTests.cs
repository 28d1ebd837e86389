using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Features.Auth;
using Parley.Features.Billing;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Billing;

public sealed class WebhookTests(WebhookTests.Factory factory) : IClassFixture<WebhookTests.Factory>
{
    /// <summary>Events are delivered by each test, so the fake Stripe does not deliver them itself.</summary>
    public sealed class Factory : BillingFactory
    {
        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Stripe.DeliverEvent = null;
        }
    }

    /// <summary>A paid subscription that no webhook has told Parley about yet.</summary>
    private async Task<(TestUser User, string SessionId, string SubscriptionId)> PaidButNotToldAsync()
    {
        var user = await factory.RegisterAsync();
        var session = await user.StartCheckoutAsync();
        await factory.Stripe.CompleteCheckoutAsync(session);
        return (user, session, factory.SubscriptionOf(session));
    }

    private string CompletedEvent(string sessionId, string? id = null) =>
        factory.Stripe.EventJson("checkout.session.completed", factory.Stripe.Find(sessionId)!, id);

    private async Task<Plan> PlanOf(TestUser user) => (await user.BillingAsync()).Plan;

    [Fact]
    public async Task AValidEventMakesTheUserPremium()
    {
        var (user, session, _) = await PaidButNotToldAsync();
        Assert.Equal(Plan.Free, await PlanOf(user));

        var response = await factory.PostEventAsync(CompletedEvent(session));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Plan.Premium, await PlanOf(user));
    }

    [Fact]
    public async Task AnEventSignedWithAnotherSecretIsRefused()
    {
        var (user, session, _) = await PaidButNotToldAsync();
        var json = CompletedEvent(session);

        var response = await factory.PostEventAsync(json, StripeSignature.Sign(json, "whsec_not_ours", factory.Time.GetUtcNow()));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(Plan.Free, await PlanOf(user));
    }

    [Fact]
    public async Task ATamperedBodyIsRefused()
    {
        var (user, session, _) = await PaidButNotToldAsync();
        var json = CompletedEvent(session);
        var signature = StripeSignature.Sign(json, BillingFactory.WebhookSecret, factory.Time.GetUtcNow());

        var response = await factory.PostEventAsync(json.Replace("\"livemode\":false", "\"livemode\":true", StringComparison.Ordinal), signature);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(Plan.Free, await PlanOf(user));
    }

    [Fact]
    public async Task AStaleSignatureIsRefused()
    {
        var (user, session, _) = await PaidButNotToldAsync();
        var json = CompletedEvent(session);

        var response = await factory.PostEventAsync(json, StripeSignature.Sign(json, BillingFactory.WebhookSecret, factory.Time.GetUtcNow().AddMinutes(-10)));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(Plan.Free, await PlanOf(user));
    }

    [Fact]
    public async Task AMissingSignatureIsRefused()
    {
        var (_, session, _) = await PaidButNotToldAsync();

        var response = await factory.PostEventAsync(CompletedEvent(session), signature: "");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TheSameEventDeliveredTenTimesAtOnceHasOneEffect()
    {
        var (user, session, _) = await PaidButNotToldAsync();
        var json = CompletedEvent(session);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => factory.PostEventAsync(json)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var eventId = JsonNode.Parse(json)!["id"]!.GetValue<string>();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(1, await db.ProcessedStripeEvents.CountAsync(e => e.Id == eventId));
        Assert.Equal(1, await db.Subscriptions.CountAsync(s => s.UserId == user.Session.User.Id));
        Assert.Equal(Plan.Premium, await PlanOf(user));
    }

    [Fact]
    public async Task ADeletionThatOvertakesTheCheckoutEndsFree()
    {
        var (user, session, subscription) = await PaidButNotToldAsync();
        await factory.Stripe.UpdateSubscriptionAsync(subscription, s => s["status"] = "canceled");
        var deleted = factory.Stripe.EventJson("customer.subscription.deleted", factory.Stripe.Find(subscription)!);

        await factory.PostEventAsync(deleted);
        await factory.PostEventAsync(CompletedEvent(session)); // late, and stale: Stripe's current state wins

        Assert.Equal(Plan.Free, await PlanOf(user));
        Assert.Equal("canceled", (await user.BillingAsync()).SubscriptionStatus);
    }

    [Fact]
    public async Task AnOldUpdateArrivingLastDoesNotUndoACancellation()
    {
        var (user, session, subscription) = await PaidButNotToldAsync();
        var oldUpdate = factory.Stripe.EventJson("customer.subscription.updated", factory.Stripe.Find(subscription)!);
        await factory.PostEventAsync(CompletedEvent(session));
        await factory.Stripe.UpdateSubscriptionAsync(subscription, s => s["cancel_at_period_end"] = true);
        await factory.PostEventAsync(factory.Stripe.EventJson("customer.subscription.updated", factory.Stripe.Find(subscription)!));

        await factory.PostEventAsync(oldUpdate);

        Assert.True((await user.BillingAsync()).CancelAtPeriodEnd);
    }

    [Fact]
    public async Task UnknownEventTypesAreAcknowledgedAndIgnored()
    {
        var (user, session, _) = await PaidButNotToldAsync();

        var response = await factory.PostEventAsync(factory.Stripe.EventJson("payment_intent.created", factory.Stripe.Find(session)!));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Plan.Free, await PlanOf(user));
    }

    [Fact]
    public async Task AnInvoiceEventAlsoSyncsTheSubscription()
    {
        var (user, _, subscription) = await PaidButNotToldAsync();
        var invoice = new JsonObject
        {
            ["id"] = "in_123",
            ["object"] = "invoice",
            ["customer"] = factory.Stripe.Find(subscription)!["customer"]!.GetValue<string>(),
            ["parent"] = new JsonObject
            {
                ["type"] = "subscription_details",
                ["subscription_details"] = new JsonObject { ["subscription"] = subscription },
            },
        };

        await factory.PostEventAsync(factory.Stripe.EventJson("invoice.paid", invoice));

        Assert.Equal(Plan.Premium, await PlanOf(user));
    }
}
