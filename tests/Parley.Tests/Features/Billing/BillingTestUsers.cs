using System.Net.Http.Json;
using System.Web;
using Parley.Features.Billing;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Features.Billing;

public static class BillingTestUsers
{
    public static async Task<BillingStatusResponse> BillingAsync(this TestUser user) =>
        (await user.Client.GetFromJsonAsync<BillingStatusResponse>("/api/billing", ApiJson.Options))!;

    /// <summary>Starts Checkout and returns the Checkout Session id from the fake Stripe's URL.</summary>
    public static async Task<string> StartCheckoutAsync(this TestUser user, string returnPath = "/c/1")
    {
        var response = await user.Client.PostAsJsonAsync("/api/billing/checkout", new { returnPath });
        response.EnsureSuccessStatusCode();
        var url = (await response.ReadAsync<RedirectResponse>()).Url;
        return url[(url.LastIndexOf('/') + 1)..];
    }

    public static string SubscriptionOf(this BillingFactory factory, string sessionId) =>
        factory.Stripe.Find(sessionId)!["subscription"]!.GetValue<string>();

    public static string QueryValue(string url, string name) => HttpUtility.ParseQueryString(new Uri(url).Query)[name]!;
}
