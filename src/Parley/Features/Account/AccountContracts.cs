using System.ComponentModel.DataAnnotations;
using Parley.Features.Auth;

namespace Parley.Features.Account;

/// <summary>
/// A signed-in browser or app. <c>Device</c> is read from its User-Agent ("Firefox on Windows"); <c>LastActiveAt</c>
/// is when it last signed in or renewed its session (every few minutes while it is open); <c>Current</c> is the one
/// asking.
/// </summary>
public sealed record DeviceSessionResponse(Guid Id, string Device, string? IpAddress, DateTimeOffset SignedInAt, DateTimeOffset LastActiveAt, bool Current);

public sealed record SessionsResponse(IReadOnlyList<DeviceSessionResponse> Sessions);

/// <summary>The new password is taken as typed, as at registration: 8 to 1024 characters, not guessable.</summary>
public sealed record ChangePasswordRequest(
    [property: Required(AllowEmptyStrings = true, ErrorMessage = "Enter your current password."),
               MaxLength(Passwords.MaxLength, ErrorMessage = "Passwords are at most 1024 characters.")] string CurrentPassword,
    [property: Required(AllowEmptyStrings = true, ErrorMessage = "Choose a new password."),
               MinLength(Passwords.MinLength, ErrorMessage = "Use at least 8 characters."),
               MaxLength(Passwords.MaxLength, ErrorMessage = "Use at most 1024 characters.")] string NewPassword);

/// <summary>How many other sessions were signed out.</summary>
public sealed record SignedOutResponse(int SignedOut);

/// <summary>
/// The user's profile and custom instructions. <c>AboutYou</c> ("What should Parley know about you?") and
/// <c>ReplyStyle</c> ("How should Parley reply?") are added to the system prompt of every new reply.
/// </summary>
public sealed record ProfileResponse(
    string Email, string? DisplayName = null, string? AboutYou = null, string? ReplyStyle = null,
    Theme Theme = Theme.System, string? TimeZone = null, ClockFormat Clock = ClockFormat.Auto, string? DefaultModel = null);

/// <summary>
/// A field left out (or null) stays as it is; an empty or blank text is cleared. <c>TimeZone</c> is an IANA name
/// ("Europe/Paris"); empty goes back to the device's own.
/// </summary>
public sealed record UpdateProfileRequest(
    [property: MaxLength(User.MaxDisplayNameLength, ErrorMessage = "Names are at most 80 characters.")] string? DisplayName = null,
    [property: MaxLength(User.MaxInstructionsLength, ErrorMessage = "Write at most 1,500 characters here.")] string? AboutYou = null,
    [property: MaxLength(User.MaxInstructionsLength, ErrorMessage = "Write at most 1,500 characters here.")] string? ReplyStyle = null,
    Theme? Theme = null,
    [property: MaxLength(64, ErrorMessage = "Choose a time zone from the list.")] string? TimeZone = null,
    ClockFormat? Clock = null,
    [property: MaxLength(100)] string? DefaultModel = null);

/// <summary>
/// The password confirms it is the owner. <c>Subscription</c>: what happens to a paid subscription, required when there
/// is one (ended now when Stripe knows of one our copy does not show yet).
/// </summary>
public sealed record DeleteAccountRequest(
    [property: Required(AllowEmptyStrings = true, ErrorMessage = "Enter your password to delete your account."),
               MaxLength(Passwords.MaxLength, ErrorMessage = "Passwords are at most 1024 characters.")] string Password,
    Billing.SubscriptionEnding? Subscription = null);
