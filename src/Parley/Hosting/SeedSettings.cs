using System.Globalization;

namespace Parley.Hosting;

/// <summary>
/// Maps the seed project's flat environment names (DATABASE_URL, SECRET_KEY, MESSAGE_LIMIT, ...) onto Parley's
/// configuration sections, and reads a <c>.env</c> file. Real environment variables win over the file. A value that
/// cannot be understood stops start-up with a message naming the variable the operator actually typed.
/// </summary>
public static class SeedSettings
{
    private static readonly Dictionary<string, (string Key, Func<string, string, string> Convert)> Map =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["DATABASE_URL"] = ("Database:Url", Text),
            ["SECRET_KEY"] = ("Auth:SecretKey", Text),
            ["JWT_EXPIRATION"] = ("Auth:AccessTokenLifetime", Minutes),
            ["BCRYPT_WORK_FACTOR"] = ("Auth:BcryptWorkFactor", WholeNumber),
            ["MESSAGE_LIMIT"] = ("Usage:FreeMessageLimit", WholeNumber),
            ["TIME_FRAME"] = ("Usage:Window", Duration),
            ["PREMIUM_MESSAGE_LIMIT"] = ("Usage:PremiumMessageLimit", WholeNumber),
            ["MAX_MESSAGE_LENGTH"] = ("Chats:MaxMessageLength", WholeNumber),
            ["OPENAI_API_KEY"] = ("Bot:OpenAI:ApiKey", Text),
            ["OPENAI_BASE_URL"] = ("Bot:OpenAI:Endpoint", Text),
            ["OPENAI_MODEL"] = ("Bot:OpenAI:Model", Text),
            ["OPENAI_PREMIUM_MODEL"] = ("Bot:OpenAI:PremiumModel", Text),
            ["CORS_ORIGINS"] = ("Cors:Origins", Text),
            ["TRUSTED_PROXIES"] = ("Proxy:TrustedNetworks", Text),
            ["STRIPE_SECRET_KEY"] = ("Billing:SecretKey", Text),
            ["STRIPE_PUBLISHABLE_KEY"] = ("Billing:PublishableKey", Text),
            ["STRIPE_WEBHOOK_SECRET"] = ("Billing:WebhookSecret", Text),
            ["STRIPE_PRICE"] = ("Billing:Price", Text),
            ["STRIPE_PRICE_ID"] = ("Billing:Price", Text),
            ["PUBLIC_BASE_URL"] = ("Billing:PublicBaseUrl", Text),
            ["PREMIUM_PRICE_LABEL"] = ("Usage:PremiumPriceLabel", Text),
            ["SMTP_URL"] = ("Mail:Url", Text),
            ["MAIL_FROM"] = ("Mail:From", Text),
            ["ADMIN_EMAILS"] = ("Admin:Emails", Text),
            ["ADMIN_TIME_ZONE"] = ("Admin:TimeZone", Text),
            ["MODEL_PRICES"] = ("Admin:ModelPrices", Text),
        };

    /// <summary>Every seed-style name Parley understands (for the README and for tests).</summary>
    public static IReadOnlyCollection<string> Names => Map.Keys;

    public static IConfigurationBuilder AddSeedSettings(
        this IConfigurationBuilder builder, string dotEnvPath, IDictionary<string, string?>? environment = null)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in DotEnv.Read(dotEnvPath))
        {
            Add(values, name, value, fromEnvironment: false);
        }

        var env = environment ?? Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value);
        foreach (var (name, value) in env)
        {
            if (value is not null && Map.ContainsKey(name))
            {
                Add(values, name, value, fromEnvironment: true);
            }
        }

        return builder.AddInMemoryCollection(values);
    }

    private static void Add(Dictionary<string, string?> values, string name, string value, bool fromEnvironment)
    {
        if (Map.TryGetValue(name, out var target))
        {
            values[target.Key] = target.Convert(name, value.Trim());
        }
        else if (!fromEnvironment)
        {
            // Any other .env line is passed through as ASP.NET Core would read it from the environment.
            values[name.Replace("__", ":", StringComparison.Ordinal)] = value;
        }
    }

    private static string Text(string name, string value) => value;

    private static string WholeNumber(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n.ToString(CultureInfo.InvariantCulture)
            : throw new SettingsException($"{name} must be a whole number, such as 20 (got '{value}').");

    private static string Minutes(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            ? TimeSpan.FromMinutes(minutes).ToString("c", CultureInfo.InvariantCulture)
            : Duration(name, value);

    private static string Duration(string name, string value) =>
        TryParseDuration(value, out var span)
            ? span.ToString("c", CultureInfo.InvariantCulture)
            : throw new SettingsException(
                $"{name} must be a duration such as 30m, 1h, 24h or 7d (got '{value}').");

    /// <summary>Parses <c>90s</c>, <c>30m</c>, <c>1h</c>, <c>24h</c>, <c>7d</c>.</summary>
    public static bool TryParseDuration(string value, out TimeSpan span)
    {
        span = default;
        if (value.Length < 2 ||
            !double.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return false;
        }

        span = char.ToLowerInvariant(value[^1]) switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => default,
        };
        return span > TimeSpan.Zero;
    }
}

/// <summary>A setting the operator gave cannot be used; the message names it and says what would work.</summary>
public sealed class SettingsException(string message) : Exception(message);
