using System.Net;
using System.Text;
using Parley.Features.Billing;
using Parley.Features.Billing.TestMode;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Billing;

/// <summary>Parley configured for live Stripe, with Stripe.net pointed at a fake Stripe over HTTP.</summary>
public class BillingFactory : SqliteFactory
{
    public const string WebhookSecret = "whsec_test_0123456789abcdef";

    public FakeStripeServer StripeServer { get; private set; } = null!;
    public FakeStripe Stripe => StripeServer.Stripe;

    public override async Task InitializeAsync()
    {
        StripeServer = await FakeStripeServer.StartAsync(Time);
        Settings["Billing:SecretKey"] = "sk_test_parley_tests";
        Settings["Billing:WebhookSecret"] = WebhookSecret;
        Settings["Billing:ApiBase"] = StripeServer.BaseUrl.ToString();
        Settings["Billing:Price"] = "price_parley_premium";
        Settings["Billing:PublicBaseUrl"] = "https://parley.example.com";
        Settings["Usage:FreeMessageLimit"] = "2";
        Settings["Auth:AccessTokenLifetime"] = "1.00:00:00";
        Stripe.DeliverEvent = json => PostEventAsync(json);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await StripeServer.DisposeAsync();
    }

    /// <summary>Delivers an event as Stripe does: POSTed with a Stripe-Signature header.</summary>
    public async Task<HttpResponseMessage> PostEventAsync(string json, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/webhook")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature ?? StripeSignature.Sign(json, WebhookSecret, Time.GetUtcNow()));
        var response = await CreateClient().SendAsync(request);
        if (signature is null && response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return response;
    }
}
