using System.Net;
using System.Text;
using Parley.Features.Billing;
using Parley.Features.Billing.TestMode;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Billing;

/// <summary>A Parley factory configured for live Stripe, with Stripe.net pointed at a fake Stripe over HTTP.</summary>
public interface IStripeFactory
{
    FakeStripeServer StripeServer { get; }
    FakeStripe Stripe => StripeServer.Stripe;

    /// <summary>Delivers an event as Stripe does: POSTed with a Stripe-Signature header.</summary>
    Task<HttpResponseMessage> PostEventAsync(string json, string? signature = null);
}

internal static class StripeFactorySetup
{
    public const string WebhookSecret = "whsec_test_0123456789abcdef";

    public static async Task<FakeStripeServer> StartAsync(ParleyFactory factory, Func<string, Task> deliver)
    {
        var server = await FakeStripeServer.StartAsync(factory.Time);
        factory.Settings["Billing:SecretKey"] = "sk_test_parley_tests";
        factory.Settings["Billing:WebhookSecret"] = WebhookSecret;
        factory.Settings["Billing:ApiBase"] = server.BaseUrl.ToString();
        factory.Settings["Billing:Price"] = "price_parley_premium";
        factory.Settings["Billing:PublicBaseUrl"] = "https://parley.example.com";
        factory.Settings["Usage:FreeMessageLimit"] = "2";
        factory.Settings["Auth:AccessTokenLifetime"] = "1.00:00:00";
        server.Stripe.DeliverEvent = deliver;
        return server;
    }

    public static async Task<HttpResponseMessage> PostEventAsync(ParleyFactory factory, string json, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/webhook")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature ?? StripeSignature.Sign(json, WebhookSecret, factory.Time.GetUtcNow()));
        var response = await factory.CreateClient().SendAsync(request);
        if (signature is null && response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return response;
    }
}

public class BillingFactory : SqliteFactory, IStripeFactory
{
    public const string WebhookSecret = StripeFactorySetup.WebhookSecret;

    public FakeStripeServer StripeServer { get; private set; } = null!;
    public FakeStripe Stripe => StripeServer.Stripe;

    public override async Task InitializeAsync() => StripeServer = await StripeFactorySetup.StartAsync(this, json => PostEventAsync(json));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await StripeServer.DisposeAsync();
    }

    public Task<HttpResponseMessage> PostEventAsync(string json, string? signature = null) =>
        StripeFactorySetup.PostEventAsync(this, json, signature);
}

public class PostgresBillingFactory : PostgresFactory, IStripeFactory
{
    public FakeStripeServer StripeServer { get; private set; } = null!;
    public FakeStripe Stripe => StripeServer.Stripe;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        StripeServer = await StripeFactorySetup.StartAsync(this, json => PostEventAsync(json));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await StripeServer.DisposeAsync();
    }

    public Task<HttpResponseMessage> PostEventAsync(string json, string? signature = null) =>
        StripeFactorySetup.PostEventAsync(this, json, signature);
}
