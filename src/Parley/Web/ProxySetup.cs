using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Parley.Hosting;

namespace Parley.Web;

public sealed class ProxyOptions
{
    public const string SectionName = "Proxy";

    /// <summary>
    /// <c>TRUSTED_PROXIES</c>: addresses or CIDR ranges of the reverse proxies in front of Parley, comma-separated
    /// (e.g. <c>127.0.0.1,10.0.0.0/8</c>). Only requests from these have their X-Forwarded-* headers believed.
    /// </summary>
    [MaxLength(2000)]
    public string? TrustedNetworks { get; set; }
}

/// <summary>
/// Behind a TLS-terminating proxy, the scheme, client address and host Parley sees are the proxy's unless it trusts the
/// proxy's X-Forwarded-* headers. It trusts them only from <see cref="ProxyOptions.TrustedNetworks"/>: then the
/// refresh cookie is Secure, HSTS is sent, and the per-IP sign-in limit counts each client, not the proxy.
/// </summary>
public static class ProxySetup
{
    public static IServiceCollection AddParleyProxies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var networks = Parse(configuration[$"{ProxyOptions.SectionName}:{nameof(ProxyOptions.TrustedNetworks)}"]);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Nothing is trusted by default (not even loopback): forwarded headers are believed only when configured.
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            o.ForwardLimit = null; // walk back through every trusted hop to the first untrusted address
            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(network);
            }
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return services;
    }

    public static WebApplication UseParleyProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ProxyOptions>>().Value.TrustedNetworks is { Length: > 0 })
        {
            app.UseForwardedHeaders();
        }

        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts(); // sent only on https responses, so a plain-http laptop install is unaffected
        }

        return app;
    }

    private static List<System.Net.IPNetwork> Parse(string? value)
    {
        List<System.Net.IPNetwork> result = [];
        foreach (var part in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (System.Net.IPNetwork.TryParse(part, out var network))
            {
                result.Add(network);
            }
            else if (IPAddress.TryParse(part, out var address))
            {
                result.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new SettingsException($"TRUSTED_PROXIES has '{part}', which is not an IP address or a CIDR range like 10.0.0.0/8.");
            }
        }

        return result;
    }
}
