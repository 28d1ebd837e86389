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

    /// <summary>
    /// Stands between a request and its answer, to make Stripe slow, failing or out of order: given the request and a
    /// function that answers it now, return the response to send, or null to drop the connection. Null: answer at once.
    /// </summary>
    public Func<StripeRequest, Func<StripeResponse>, CancellationToken, Task<StripeResponse?>>? Intercept { get; set; }

    public static async Task<FakeStripeServer> StartAsync(TimeProvider time)
    {
        var stripe = new FakeStripe(time, id => $"https://checkout.stripe.test/c/pay/{id}", c => $"https://billing.stripe.test/p/session/{c}");
        FakeStripeServer? server = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var form = await reader.ReadToEndAsync();
            var request = new StripeRequest(
                http.Request.Method,
                http.Request.Path,
                FakeStripeHandler.Parse(http.Request.QueryString.Value ?? "", form),
                http.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null,
                http.Request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } k ? k : null);
            StripeResponse? response;
            try
            {
                response = server!.Intercept is { } intercept
                    ? await intercept(request, () => stripe.Handle(request), http.RequestAborted)
                    : stripe.Handle(request);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up
            }

            if (response is null)
            {
                http.Abort();
                return;
            }

            http.Response.StatusCode = response.Status;
            http.Response.ContentType = "application/json";
            http.Response.Headers["Request-Id"] = $"req_{Guid.NewGuid():N}";
            await http.Response.WriteAsync(response.Json);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeStripeServer(app, stripe, new Uri(address));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
