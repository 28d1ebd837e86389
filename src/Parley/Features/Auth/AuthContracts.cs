using System.ComponentModel.DataAnnotations;

namespace Parley.Features.Auth;

/// <summary>A new account. The password is taken as typed (nothing trimmed): 8 to 1024 characters, not guessable.</summary>
public sealed record RegisterRequest(
    [property: Required(ErrorMessage = "Enter your email address."),
               EmailAddress(ErrorMessage = "Enter a valid email address, like name@example.com."),
               MaxLength(254, ErrorMessage = "Email addresses are at most 254 characters.")] string Email,
    [property: Required(AllowEmptyStrings = true, ErrorMessage = "Choose a password."),
               MinLength(Passwords.MinLength, ErrorMessage = "Use at least 8 characters."),
               MaxLength(Passwords.MaxLength, ErrorMessage = "Use at most 1024 characters.")] string Password);

public sealed record LoginRequest(
    [property: Required(ErrorMessage = "Enter your email address."),
               MaxLength(254, ErrorMessage = "Email addresses are at most 254 characters.")] string Email,
    [property: Required(AllowEmptyStrings = true, ErrorMessage = "Enter your password."),
               MaxLength(Passwords.MaxLength, ErrorMessage = "Passwords are at most 1024 characters.")] string Password);

public enum Plan
{
    Free,
    Premium,
}

/// <summary>
/// The signed-in user, with what every screen needs from the start: the display preferences (theme, time zone,
/// clock), the name and the picture's address (null: the initial is shown).
/// </summary>
public sealed record UserResponse(
    Guid Id, string Email, Plan Plan, DateTimeOffset CreatedAt, Theme Theme = Theme.System, string? TimeZone = null,
    ClockFormat Clock = ClockFormat.Auto, string? DisplayName = null, string? AvatarUrl = null, bool IsAdmin = false);

/// <summary>The access token travels in the body and lives in memory; the refresh token only in its cookie.</summary>
public sealed record SessionResponse(string AccessToken, DateTimeOffset ExpiresAt, UserResponse User);

public static class UserMappings
{
    public static UserResponse ToResponse(this User user, bool isPremium, bool isAdmin = false) =>
        new(user.Id, user.Email, isPremium ? Plan.Premium : Plan.Free, user.CreatedAt, user.Theme, user.TimeZone, user.Clock, user.DisplayName,
            user.AvatarKey is { } key ? Account.AvatarEndpoints.Url(key) : null, isAdmin);

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
