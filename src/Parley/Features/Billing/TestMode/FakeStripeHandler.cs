using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Parley.Features.Billing.TestMode;

/// <summary>Test mode's transport: Stripe.net's HTTP requests go to the in-process <see cref="FakeStripe"/>.</summary>
public sealed class FakeStripeHandler(FakeStripe stripe) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var parameters = Parse(request.RequestUri!.Query, body);
        var response = stripe.Handle(new StripeRequest(
            request.Method.Method,
            request.RequestUri.AbsolutePath,
            parameters,
            request.Headers.Authorization?.ToString(),
            request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.FirstOrDefault() : null));
        var message = new HttpResponseMessage((System.Net.HttpStatusCode)response.Status)
        {
            Content = new StringContent(response.Json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        message.Headers.Add("Request-Id", $"req_{Guid.NewGuid():N}");
        return message;
    }

    /// <summary>Query string and form body, bracket keys kept as sent: <c>line_items[0][price]</c>.</summary>
    public static Dictionary<string, string> Parse(string query, string form)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in new[] { query, form })
        {
            foreach (var (key, value) in QueryHelpers.ParseQuery(source))
            {
                result[key] = value.ToString();
            }
        }

        return result;
    }
}
