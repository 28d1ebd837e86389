using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Parley.Features.Auth;
using Parley.Features.Billing.TestMode;
using Parley.Hosting;
using Stripe;

namespace Parley.Features.Billing;

public static class StripeSetup
{
    public const string TestModeApiKey = "sk_test_parley_builtin";

    public static IServiceCollection AddParleyBilling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        var billing = configuration.GetSection(BillingOptions.SectionName).Get<BillingOptions>() ?? new();
        if (!billing.TestMode && string.IsNullOrWhiteSpace(billing.WebhookSecret))
        {
            throw new SettingsException(
                "STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY: copy the whsec_... secret of the webhook endpoint from the Stripe Dashboard.");
        }

        services.AddScoped<Entitlements>();
        services.AddScoped<BillingService>();
        services.AddScoped<StripeWebhooks>();

        if (billing.TestMode)
        {
            // Test mode: Stripe.net talks to the built-in FakeStripe in-process; its events are signed with a local
            // secret and go through the same webhook handling as real Stripe's.
            services.AddSingleton(sp => new FakeStripe(
                sp.GetRequiredService<TimeProvider>(),
                id => $"/billing/test-checkout/{id}",
                customer => $"/billing/test-portal/{customer}"));
            services.AddSingleton(sp => new StripeClient(new StripeClientOptions
            {
                ApiKey = TestModeApiKey,
                ApiBase = "http://stripe.test-mode.invalid",
                HttpClient = new SystemNetHttpClient(new HttpClient(new FakeStripeHandler(sp.GetRequiredService<FakeStripe>()))),
            }));
            services.AddHostedService<TestModeEventDelivery>();
        }
        else
        {
            services.AddSingleton(new StripeClient(new StripeClientOptions
            {
                ApiKey = billing.SecretKey,
                ApiBase = string.IsNullOrWhiteSpace(billing.ApiBase) ? null : billing.ApiBase.TrimEnd('/'),
            }));
        }

        return services;
    }

    /// <summary>The secret webhooks are verified with: Stripe's, or in test mode one derived from SECRET_KEY.</summary>
    public static string WebhookSecret(BillingOptions billing, AuthOptions auth) =>
        billing.TestMode
            ? "whsec_test_" + Convert.ToHexStringLower(HMACSHA256.HashData(
                Encoding.UTF8.GetBytes(auth.SecretKey!), "parley-test-mode-webhooks"u8.ToArray()))
            : billing.WebhookSecret!;
}

/// <summary>Wires the test-mode FakeStripe's events into webhook handling, signed like Stripe's.</summary>
internal sealed class TestModeEventDelivery(
    FakeStripe stripe, IServiceScopeFactory scopes, IOptions<BillingOptions> billing, IOptions<AuthOptions> auth,
    TimeProvider time) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var secret = StripeSetup.WebhookSecret(billing.Value, auth.Value);
        stripe.DeliverEvent = async json =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var webhooks = scope.ServiceProvider.GetRequiredService<StripeWebhooks>();
            await webhooks.HandleAsync(json, StripeSignature.Sign(json, secret, time.GetUtcNow()), CancellationToken.None);
        };
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
