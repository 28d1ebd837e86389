using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Features.Mail;
using Parley.Hosting;
using Parley.Web;

namespace Parley.Features.Auth;

public sealed record PasswordResetRequest(
    [property: Required(ErrorMessage = "Enter your email address."),
               MaxLength(254, ErrorMessage = "Email addresses are at most 254 characters.")] string Email);

/// <summary>The token from the mailed link, and the new password (8 to 1024 characters, not guessable).</summary>
public sealed record ConfirmPasswordResetRequest(
    [property: Required(ErrorMessage = "This link is incomplete. Open the link from the mail again."),
               MaxLength(100, ErrorMessage = "This link is not valid. Ask for a new one.")] string Token,
    [property: Required(AllowEmptyStrings = true, ErrorMessage = "Choose a new password."),
               MinLength(Passwords.MinLength, ErrorMessage = "Use at least 8 characters."),
               MaxLength(Passwords.MaxLength, ErrorMessage = "Use at most 1024 characters.")] string NewPassword);

/// <summary>What the sign-in page can offer on this server.</summary>
public sealed record AuthFeaturesResponse(bool PasswordReset);

/// <summary>
/// "Forgot password": a mail with a single-use link valid for 30 minutes. Asking answers the same, equally fast, for
/// every address (the lookup and the mail happen off the request); setting the new password signs out every session
/// and clears the address's failed sign-ins.
/// </summary>
public static class PasswordReset
{
    public static RouteGroupBuilder MapPasswordReset(this RouteGroupBuilder group)
    {
        group.MapGet("/features", (Mailer mailer) => TypedResults.Ok(new AuthFeaturesResponse(mailer.Enabled)))
            .WithName("GetAuthFeatures").WithSummary("What this server offers on the sign-in page (a password reset needs mail).");
        group.MapPost("/password-reset", Request).RequireRateLimiting(AuthSetup.RateLimitPolicy)
            .WithName("RequestPasswordReset")
            .WithSummary("Mail a link to set a new password, if the address has an account; the answer is the same either way.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/password-reset/confirm", Confirm).RequireRateLimiting(AuthSetup.RateLimitPolicy)
            .WithName("ConfirmPasswordReset")
            .WithSummary("Set a new password with the mailed link's token (once, within 30 minutes); every session is signed out.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status429TooManyRequests);
        return group;
    }

    private static Results<Accepted, ProblemHttpResult> Request(PasswordResetRequest request, Mailer mailer)
    {
        if (!mailer.Enabled)
        {
            return TypedResults.Problem("This Parley server cannot send mail, so passwords can't be reset by email here. Ask its operator.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Password reset unavailable", type: ProblemTypes.MailUnavailable);
        }

        var normalized = UserMappings.NormalizeEmail(request.Email);
        mailer.Send((services, ct) => ComposeAsync(services, normalized, ct));
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<OutgoingMail?> ComposeAsync(IServiceProvider services, string normalizedEmail, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var user = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalizedEmail)
            .Select(u => new { u.Id, u.Email }).SingleOrDefaultAsync(ct);
        if (user is null)
        {
            return null; // nothing is sent to an address without an account, and the asker was told the same
        }

        var token = await services.GetRequiredService<AccountTokens>()
            .IssueAsync(user.Id, AccountTokenPurpose.PasswordReset, AccountTokens.ResetLifetime, null, ct);
        if (token is null)
        {
            return null; // one was mailed less than a minute ago
        }

        var link = $"{services.GetRequiredService<PublicAddress>().BaseUrl()}/reset-password#token={token}";
        return new OutgoingMail(user.Email, "Reset your Parley password",
            $"""
            Someone, hopefully you, asked to reset the password of your Parley account ({user.Email}).

            Choose a new password here. The link works once, for the next 30 minutes:
            {link}

            If you didn't ask for this, ignore this mail: your password stays as it is.
            """);
    }

    private static async Task<Results<NoContent, ValidationProblem>> Confirm(
        ConfirmPasswordResetRequest request, AppDbContext db, AccountTokens tokens, Passwords passwords, PasswordStrength strength,
        RefreshTokens refresh, CancellationToken ct)
    {
        // The password is checked and hashed before the token is used, so a weak one leaves the link working.
        var hash = passwords.Hash(request.NewPassword);
        var result = await db.RetryingAsync(async token =>
        {
            await using var tx = await db.BeginWriteAsync(token);
            if (await tokens.RedeemAsync(request.Token, AccountTokenPurpose.PasswordReset, token) is not { } redeemed)
            {
                return FieldProblem.For("token", "This link has expired or was already used. Ask for a new one from the sign-in page.", "Link no longer valid");
            }

            var email = await db.Users.Where(u => u.Id == redeemed.UserId).Select(u => u.Email).SingleAsync(token);
            if (strength.Problem(request.NewPassword, email) is { } weak)
            {
                return FieldProblem.For("newPassword", weak, "Choose a stronger password"); // rolled back: the link still works
            }

            await db.Users.Where(u => u.Id == redeemed.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, hash), token);
            await refresh.RevokeAllAsync(redeemed.UserId, null, token);
            var normalized = UserMappings.NormalizeEmail(email);
            await db.LoginThrottles.Where(t => t.NormalizedEmail == normalized).ExecuteDeleteAsync(token);
            await tx.CommitAsync(token);
            return null;
        }, ct);
        return result is null ? TypedResults.NoContent() : result;
    }
}
