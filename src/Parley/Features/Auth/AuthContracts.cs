using System.ComponentModel.DataAnnotations;

namespace Parley.Features.Auth;

public sealed record RegisterRequest(
    [property: Required, EmailAddress, MaxLength(254)] string Email,
    [property: Required, MinLength(Passwords.MinLength), MaxLength(Passwords.MaxLength)] string Password);

public sealed record LoginRequest(
    [property: Required, MaxLength(254)] string Email,
    [property: Required, MaxLength(Passwords.MaxLength)] string Password);

public enum Plan
{
    Free,
    Premium,
}

public sealed record UserResponse(Guid Id, string Email, Plan Plan, DateTimeOffset CreatedAt);

/// <summary>The access token travels in the body and lives in memory; the refresh token only in its cookie.</summary>
public sealed record SessionResponse(string AccessToken, DateTimeOffset ExpiresAt, UserResponse User);

public static class UserMappings
{
    public static UserResponse ToResponse(this User user, bool isPremium) =>
        new(user.Id, user.Email, isPremium ? Plan.Premium : Plan.Free, user.CreatedAt);

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
