using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Features.Billing.TestMode;

namespace Parley.Tests.Infrastructure;

/// <summary>
/// Parley's <see cref="FakeStripe"/> served over real HTTP on 127.0.0.1, so Stripe.net (pointed at it through
/// Billing:ApiBase) sends real requests: form-encoded bracket parameters, a bearer key, Idempotency-Key.
/// </summary>
public sealed class FakeStripeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeStripeServer(WebApplication app, FakeStripe stripe, Uri baseUrl)
    {
        _app = app;
        Stripe = stripe;
        BaseUrl = baseUrl;
    }

    public FakeStripe Stripe { get; }
    public Uri BaseUrl { get; }

    public static async Task<FakeStripeServer> StartAsync(TimeProvider time)
    {
        var stripe = new FakeStripe(time, id => $"https://checkout.stripe.test/c/pay/{id}", c => $"https://billing.stripe.test/p/session/{c}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var form = await reader.ReadToEndAsync();
            var response = stripe.Handle(new StripeRequest(
                http.Request.Method,
                http.Request.Path,
                FakeStripeHandler.Parse(http.Request.QueryString.Value ?? "", form),
                http.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null,
                http.Request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } k ? k : null));
            http.Response.StatusCode = response.Status;
            http.Response.ContentType = "application/json";
            http.Response.Headers["Request-Id"] = $"req_{Guid.NewGuid():N}";
            await http.Response.WriteAsync(response.Json);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeStripeServer(app, stripe, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
