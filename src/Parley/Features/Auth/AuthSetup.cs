using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Parley.Data;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Parley.Hosting;
using Parley.Web;

namespace Parley.Features.Auth;

public static class AuthSetup
{
    public const string RateLimitPolicy = "auth";

    public static WebApplicationBuilder AddParleyAuth(this WebApplicationBuilder builder)
    {
        EnsureSecretKey(builder);
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Passwords>();
        services.AddSingleton<PasswordStrength>();
        services.AddSingleton<AccessTokens>();
        services.AddScoped<RefreshTokens>();
        services.AddScoped<LoginGuard>();
        services.AddScoped<AccountTokens>();

        var auth = builder.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, TimeProvider>((o, options, time) =>
            {
                var a = options.Value;
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = a.Issuer,
                    ValidAudience = a.Audience,
                    IssuerSigningKey = AccessTokens.SigningKey(a.SecretKey!),
                    // An explicit list: "alg": "none" and algorithm-confusion tokens fail before the signature is read.
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    // Expiry is judged by the app's clock (the same one that issued the token), with 30 s of skew.
                    LifetimeValidator = (notBefore, expires, _, _) =>
                    {
                        var now = time.GetUtcNow().UtcDateTime;
                        var skew = TimeSpan.FromSeconds(30);
                        return expires is { } exp && now < exp + skew && (notBefore is not { } nbf || now > nbf - skew);
                    },
                };
                o.Events = new JwtBearerEvents { OnTokenValidated = EnsureUserExistsAsync };
            });
        services.AddAuthorization();

        services.AddRateLimiter(o =>
        {
            o.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = auth.AttemptsPerMinutePerIp,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            o.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
                    ? (int)Math.Ceiling(after.TotalSeconds) : 60;
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await http.WriteProblemAsync(StatusCodes.Status429TooManyRequests, ProblemTypes.RateLimited,
                    "Too many attempts", $"Too many attempts from your network. Try again in {retryAfter} seconds.");
            };
        });
        return builder;
    }

    /// <summary>
    /// A well-signed token is not enough: its subject must be a user id, and that user must still exist (an account
    /// deleted after the token was issued), and its session not ended (signed out, or by a password change, from
    /// another device): those end at once, not when the token expires. Otherwise the request is anonymous and protected
    /// endpoints answer 401. One query per authenticated request, on the user's primary key and the family's index.
    /// </summary>
    private static async Task EnsureUserExistsAsync(TokenValidatedContext context)
    {
        var subject = context.Principal?.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
        if (!Guid.TryParse(subject, out var id))
        {
            context.Fail("The token's subject is not a user id.");
            return;
        }

        var db = context.HttpContext.RequestServices.GetRequiredService<AppDbContext>();
        var session = Guid.TryParse(context.Principal?.FindFirst(JwtRegisteredClaimNames.Sid)?.Value, out var sid) ? sid : (Guid?)null;
        var valid = await db.Users.AsNoTracking()
            .Where(u => u.Id == id && u.DisabledAt == null)
            .AnyAsync(u => session == null || !db.RefreshTokens.Any(t => t.FamilyId == session && t.RevokedAt != null), context.HttpContext.RequestAborted);
        if (!valid)
        {
            context.Fail("The token's user no longer exists, or its session has ended.");
        }
    }

    /// <summary>
    /// Outside Development a missing or short SECRET_KEY stops start-up. In Development a random key is made once and
    /// kept in .parley/secret-key, so sessions survive restarts without the operator setting anything.
    /// </summary>
    private static void EnsureSecretKey(WebApplicationBuilder builder)
    {
        const string key = $"{AuthOptions.SectionName}:{nameof(AuthOptions.SecretKey)}";
        var secret = builder.Configuration[key];
        if (string.IsNullOrEmpty(secret) && builder.Environment.IsDevelopment())
        {
            var file = Path.Combine(Directory.GetCurrentDirectory(), ".parley", "secret-key");
            if (File.Exists(file))
            {
                secret = File.ReadAllText(file).Trim();
            }
            else
            {
                secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, secret);
            }

            builder.Configuration[key] = secret;
        }

        if (string.IsNullOrEmpty(secret))
        {
            throw new SettingsException(
                "SECRET_KEY is not set. Set it to a random string of at least 32 characters, e.g. `openssl rand -base64 48`.");
        }

        if (secret.Length < AuthOptions.MinimumSecretKeyLength)
        {
            throw new SettingsException(
                $"SECRET_KEY is too short ({secret.Length} characters); use at least {AuthOptions.MinimumSecretKeyLength}.");
        }
    }
}
