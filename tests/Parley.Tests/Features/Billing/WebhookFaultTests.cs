using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Features.Auth;
using Parley.Features.Billing;
using Parley.Features.Billing.TestMode;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Billing;

/// <summary>Webhooks off the happy path: racing deliveries, unknown subscriptions, bodies that are not events, old shapes, pruning.</summary>
public abstract class WebhookFaultTests<TFactory>(TFactory factory) where TFactory : ParleyFactory, IStripeFactory
{
    private FakeStripe Stripe => factory.StripeServer.Stripe;

    private async Task<string> CustomerOfAsync(TestUser user)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return (await db.Users.SingleAsync(u => u.Id == user.Session.User.Id)).StripeCustomerId!;
    }

    [Fact]
    public async Task TwoReorderedConcurrentWebhooksEndInStripesNewestState()
    {
        var user = await factory.RegisterAsync();
        var deliver = Stripe.DeliverEvent;
        Stripe.DeliverEvent = null; // this test delivers the events itself
        var session = await user.StartCheckoutAsync();
        await Stripe.CompleteCheckoutAsync(session);
        var subscription = Stripe.Find(session)!["subscription"]!.GetValue<string>();
        await Stripe.UpdateSubscriptionAsync(subscription, s => s["status"] = "incomplete");
        var created = Stripe.EventJson("customer.subscription.created", Stripe.Find(subscription)!);

        // The first read of the subscription is answered with the state at that moment, but late; any later read at once.
        var firstReadArrived = new TaskCompletionSource();
        var reads = 0;
        factory.StripeServer.Intercept = async (request, answer, ct) =>
        {
            if (request.Method == "GET" && request.Path == $"/v1/subscriptions/{subscription}" && Interlocked.Increment(ref reads) == 1)
            {
                var stale = answer();
                firstReadArrived.SetResult();
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                return stale;
            }

            return answer();
        };
        try
        {
            var first = factory.PostEventAsync(created);
            await firstReadArrived.Task;
            await Stripe.UpdateSubscriptionAsync(subscription, s => s["status"] = "active");
            var second = factory.PostEventAsync(Stripe.EventJson("customer.subscription.updated", Stripe.Find(subscription)!));
            await Task.WhenAll(first, second);

            var billing = await user.BillingAsync();
            Assert.Equal(("active", Plan.Premium), (billing.SubscriptionStatus, billing.Plan));
        }
        finally
        {
            factory.StripeServer.Intercept = null;
            Stripe.DeliverEvent = deliver;
        }
    }

    [Fact]
    public async Task AnEventForASubscriptionStripeDoesNotKnowIsAcknowledged()
    {
        var json = Stripe.EventJson("customer.subscription.updated", new JsonObject
        {
            ["id"] = "sub_gone_0000000000000001",
            ["object"] = "subscription",
            ["customer"] = "cus_gone",
            ["status"] = "active",
            ["metadata"] = new JsonObject(),
        });

        var response = await factory.PostEventAsync(json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(factory.Logs.Entries, e => e.Message.Contains("sub_gone_0000000000000001", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"id\": 42}")]
    [InlineData("[]")]
    public async Task ASignedBodyThatIsNotAStripeEventIs400(string body)
    {
        var response = await factory.PostEventAsync(body, StripeSignature.Sign(body, StripeFactorySetup.WebhookSecret, factory.Time.GetUtcNow()));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task InvoiceEventsOfOlderApiVersionsAreHandled()
    {
        var user = await factory.RegisterAsync();
        var deliver = Stripe.DeliverEvent;
        Stripe.DeliverEvent = null;
        try
        {
            var session = await user.StartCheckoutAsync();
            await Stripe.CompleteCheckoutAsync(session);
            var subscription = Stripe.Find(session)!["subscription"]!.GetValue<string>();
            var invoice = new JsonObject // the shape before 2025-03-31: subscription at the top level
            {
                ["id"] = $"in_old_{Guid.NewGuid():N}"[..24],
                ["object"] = "invoice",
                ["customer"] = await CustomerOfAsync(user),
                ["subscription"] = subscription,
                ["subscription_details"] = new JsonObject { ["metadata"] = new JsonObject { ["user_id"] = user.Session.User.Id.ToString() } },
                ["status"] = "paid",
            };
            var json = JsonNode.Parse(Stripe.EventJson("invoice.paid", invoice))!;
            json["api_version"] = "2024-06-20";

            await factory.PostEventAsync(json.ToJsonString());

            Assert.Equal(Plan.Premium, (await user.BillingAsync()).Plan);
        }
        finally
        {
            Stripe.DeliverEvent = deliver;
        }
    }

    [Fact]
    public async Task ProcessedEventsOlderThanNinetyDaysArePruned()
    {
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.ProcessedStripeEvents.AddRange(
                new ProcessedStripeEvent { Id = "evt_ancient_" + Guid.NewGuid().ToString("N")[..8], Type = "x", ProcessedAt = factory.Time.GetUtcNow().AddDays(-91).UtcDateTime },
                new ProcessedStripeEvent { Id = "evt_recent_" + Guid.NewGuid().ToString("N")[..8], Type = "x", ProcessedAt = factory.Time.GetUtcNow().AddDays(-10).UtcDateTime });
            await db.SaveChangesAsync();
        }

        factory.Time.Advance(TimeSpan.FromHours(2)); // past the once-an-hour pruning
        var user = await factory.RegisterAsync();
        await Stripe.CompleteCheckoutAsync(await user.StartCheckoutAsync()); // delivers events

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var cutoff = factory.Time.GetUtcNow().AddDays(-90).UtcDateTime;
            Assert.False(await db.ProcessedStripeEvents.AnyAsync(e => e.ProcessedAt < cutoff));
            Assert.True(await db.ProcessedStripeEvents.AnyAsync(e => e.Id.StartsWith("evt_recent_")));
        }
    }

}

public sealed class SqliteWebhookFaultTests(BillingFactory factory)
    : WebhookFaultTests<BillingFactory>(factory), IClassFixture<BillingFactory>;

public sealed class PostgresWebhookFaultTests(PostgresBillingFactory factory)
    : WebhookFaultTests<PostgresBillingFactory>(factory), IClassFixture<PostgresBillingFactory>;
