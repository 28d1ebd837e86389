namespace Parley.Web;

public sealed class CorsOptions
{
    public const string SectionName = "Cors";

    /// <summary><c>CORS_ORIGINS</c>: comma-separated origins of a separately hosted UI. Empty: same origin only.</summary>
    public string? Origins { get; set; }

    public string[] List() =>
        (Origins ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public static class CorsSetup
{
    public const string PolicyName = "ui";

    public static IServiceCollection AddParleyCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = (configuration.GetSection(CorsOptions.SectionName).Get<CorsOptions>() ?? new()).List();
        if (origins.Contains("*"))
        {
            // Credentials (the refresh cookie) with a wildcard would let any site act as the user.
            throw new Hosting.SettingsException("CORS_ORIGINS cannot be *: list the UI's origins, e.g. https://chat.example.com.");
        }

        foreach (var origin in origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/" || (uri.Scheme != "http" && uri.Scheme != "https"))
            {
                throw new Hosting.SettingsException($"CORS_ORIGINS has '{origin}', which is not an origin like https://chat.example.com.");
            }
        }

        services.AddCors(o => o.AddPolicy(PolicyName, p =>
        {
            if (origins.Length > 0)
            {
                p.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod().AllowCredentials()
                    .WithExposedHeaders("Retry-After");
            }
        }));
        return services;
    }
}
