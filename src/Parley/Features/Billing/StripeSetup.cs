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

    public static IServiceCollection AddParleyBilling(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        var billing = configuration.GetSection(BillingOptions.SectionName).Get<BillingOptions>() ?? new();
        var runtime = BillingRuntime.Resolve(billing, environment);
        if (runtime.Mode == BillingMode.Live && billing.TestMode == true)
        {
            throw new SettingsException(
                "Billing__TestMode=true and STRIPE_SECRET_KEY are both set: remove one (a secret key means real payments).");
        }

        if (runtime.Mode == BillingMode.Live && string.IsNullOrWhiteSpace(billing.WebhookSecret))
        {
            throw new SettingsException(
                "STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY: copy the whsec_... secret of the webhook endpoint from the Stripe Dashboard.");
        }

        // Stripe's redirect URLs must never come from a request's Host header, which a client chooses.
        if (runtime.Mode != BillingMode.NotConfigured && environment.IsProduction() && string.IsNullOrWhiteSpace(billing.PublicBaseUrl))
        {
            throw new SettingsException(
                "PUBLIC_BASE_URL is required for payments in Production: set it to the address users reach Parley at, e.g. https://chat.example.com.");
        }

        services.AddSingleton(runtime);
        services.AddScoped<Entitlements>();
        services.AddScoped<BillingService>();
        services.AddSingleton<Hosting.PublicAddress>();
        services.AddScoped<StripeCustomers>();
        services.AddScoped<BillingRepair>();
        services.AddSingleton<ProcessedEventPruning>();
        services.AddScoped<StripeWebhooks>();
        services.AddHostedService<BillingStartupReport>();

        if (runtime.Mode == BillingMode.Test)
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
            // Not configured: a client that is never called (BillingService answers payments-not-configured first).
            services.AddSingleton(new StripeClient(new StripeClientOptions
            {
                ApiKey = runtime.Mode == BillingMode.Live ? billing.SecretKey : "sk_not_configured",
                ApiBase = string.IsNullOrWhiteSpace(billing.ApiBase) ? null : billing.ApiBase.TrimEnd('/'),
                // Stripe.net retries network errors, 409 and 5xx twice with back-off; every user-facing call is also
                // bounded by Billing__RequestTimeout in total (BillingService), so a hanging Stripe costs 15 s, not 4 minutes.
                HttpClient = new SystemNetHttpClient(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, maxNetworkRetries: 2),
            }));
        }

        return services;
    }

    /// <summary>The secret webhooks are verified with: Stripe's, or in test mode one derived from SECRET_KEY.</summary>
    public static string WebhookSecret(BillingRuntime runtime, BillingOptions billing, AuthOptions auth) =>
        runtime.Mode == BillingMode.Test
            ? "whsec_test_" + Convert.ToHexStringLower(HMACSHA256.HashData(
                Encoding.UTF8.GetBytes(auth.SecretKey!), "parley-test-mode-webhooks"u8.ToArray()))
            : billing.WebhookSecret!;
}

/// <summary>Wires the test-mode FakeStripe's events into webhook handling, signed like Stripe's.</summary>
internal sealed class TestModeEventDelivery(
    FakeStripe stripe, IServiceScopeFactory scopes, BillingRuntime runtime, IOptions<BillingOptions> billing,
    IOptions<AuthOptions> auth, TimeProvider time) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var secret = StripeSetup.WebhookSecret(runtime, billing.Value, auth.Value);
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

/// <summary>Says once, at start-up, how payments are set up when that is not plain live Stripe.</summary>
internal sealed class BillingStartupReport(BillingRuntime runtime, IHostEnvironment environment, ILogger<BillingStartupReport> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        switch (runtime.Mode)
        {
            case BillingMode.Test when !environment.IsDevelopment():
                logger.LogWarning(
                    "Billing runs in TEST MODE (Billing__TestMode=true): anyone can get Premium without paying, and every user sees a test-mode banner. Set STRIPE_SECRET_KEY to take real payments.");
                break;
            case BillingMode.NotConfigured:
                logger.LogWarning(
                    "Payments are not configured (no STRIPE_SECRET_KEY): users see the plans but cannot upgrade. Set STRIPE_SECRET_KEY, or Billing__TestMode=true to try payments without charging.");
                break;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
