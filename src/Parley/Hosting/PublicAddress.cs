using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Parley.Features.Billing;

namespace Parley.Hosting;

/// <summary>
/// Where users reach Parley, for links that leave it (Stripe's redirects, the links in mails): PUBLIC_BASE_URL, or
/// (outside Production, where it is optional) the address this server listens on. Never the request's Host header:
/// a client chooses that, and a reset link pointing at an attacker's host would hand them the token.
/// </summary>
public sealed class PublicAddress(IOptions<BillingOptions> options, IServer server)
{
    public string BaseUrl()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl))
        {
            return options.Value.PublicBaseUrl.TrimEnd('/');
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
        return address.Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .TrimEnd('/');
    }
}
