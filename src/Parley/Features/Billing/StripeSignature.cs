using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Parley.Features.Billing;

/// <summary>Signs a webhook payload the way Stripe does: <c>t=TIMESTAMP,v1=HEX(HMAC-SHA256(secret, "TIMESTAMP.payload"))</c>.</summary>
public static class StripeSignature
{
    public static string Sign(string payload, string secret, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }
}
