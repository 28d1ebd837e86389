using System.ComponentModel.DataAnnotations;

namespace Parley.Features.Auth;

public sealed class AuthOptions
{
    public const string SectionName = "Auth";
    public const int MinimumSecretKeyLength = 32;

    /// <summary>HMAC key for access tokens (<c>SECRET_KEY</c>). Required outside Development.</summary>
    public string? SecretKey { get; set; }

    [Required] public string Issuer { get; set; } = "parley";
    [Required] public string Audience { get; set; } = "parley";

    /// <summary><c>JWT_EXPIRATION</c>: minutes, or a duration like 15m.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>bcrypt cost. 12 by default; the tests lower it to keep the suite fast.</summary>
    [Range(4, 31)]
    public int BcryptWorkFactor { get; set; } = 12;

    /// <summary>Failed logins for one email before it is locked for <see cref="LockoutDuration"/>.</summary>
    [Range(1, 1000)]
    public int MaxFailedLogins { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Login and register attempts one IP address may make per minute.</summary>
    [Range(1, 100_000)]
    public int AttemptsPerMinutePerIp { get; set; } = 20;
}
