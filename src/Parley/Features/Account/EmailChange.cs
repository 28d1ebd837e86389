using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Features.Auth;
using Parley.Features.Mail;
using Parley.Hosting;
using Parley.Web;

namespace Parley.Features.Account;

public sealed record ChangeEmailRequest(
    [property: Required(ErrorMessage = "Enter the new email address."),
               EmailAddress(ErrorMessage = "Enter a valid email address, like name@example.com."),
               MaxLength(254, ErrorMessage = "Email addresses are at most 254 characters.")] string NewEmail,
    [property: Required(AllowEmptyStrings = true, ErrorMessage = "Enter your password."),
               MaxLength(Passwords.MaxLength, ErrorMessage = "Passwords are at most 1024 characters.")] string Password);

public sealed record ConfirmEmailRequest(
    [property: Required(ErrorMessage = "This link is incomplete. Open the link from the mail again."),
               MaxLength(100, ErrorMessage = "This link is not valid.")] string Token);

/// <summary>
/// The account's email now, and the one waiting for its confirmation link to be opened (null when none is, or when
/// the change took effect at once because this server sends no mail).
/// </summary>
public sealed record EmailResponse(string Email, string? PendingEmail = null);

/// <summary>
/// Changing the sign-in email: the password is required. Where mail can be sent, the new address must be confirmed
/// by a link mailed to it (24 hours, single use), and the old address is told; without mail it changes at once.
/// </summary>
public static class EmailChange
{
    public static RouteGroupBuilder MapEmailChange(this RouteGroupBuilder group, IEndpointRouteBuilder app)
    {
        group.MapPost("/email", Change).WithName("ChangeEmail")
            .WithSummary("Change the sign-in email (the password is required); with mail, it changes once the link mailed to the new address is opened.")
            .RequireRateLimiting(AuthSetup.RateLimitPolicy)
            .Produces<EmailResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        // The link may be opened on another device, signed out: the token is the proof.
        app.MapPost("/api/account/email/confirm", Confirm).WithTags("Account").WithName("ConfirmEmail").AllowAnonymous()
            .WithSummary("Confirm a new email with the token of the mailed link.")
            .RequireRateLimiting(AuthSetup.RateLimitPolicy)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return group;
    }

    private static async Task<Results<Ok<EmailResponse>, Accepted<EmailResponse>, ValidationProblem, ProblemHttpResult>> Change(
        ChangeEmailRequest request, AppDbContext db, Passwords passwords, Mailer mailer, AccountTokens tokens, PublicAddress address,
        HttpContext http, CancellationToken ct)
    {
        var id = http.User.UserId();
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.Email, u.NormalizedEmail, u.PasswordHash }).SingleAsync(ct);
        if (!passwords.Verify(request.Password, user.PasswordHash))
        {
            return FieldProblem.For("password", "That is not your password. Your email was not changed.", "Wrong password");
        }

        var email = request.NewEmail.Trim();
        var normalized = UserMappings.NormalizeEmail(email);
        if (normalized == user.NormalizedEmail)
        {
            return FieldProblem.For("newEmail", "That is already your email.", "Same email");
        }

        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, ct))
        {
            return EmailTaken();
        }

        if (!mailer.Enabled)
        {
            return await ApplyAsync(db, id, email, ct) ? TypedResults.Ok(new EmailResponse(email)) : EmailTaken();
        }

        if (await tokens.IssueAsync(id, AccountTokenPurpose.EmailChange, AccountTokens.EmailChangeLifetime, email, ct) is { } token)
        {
            var link = $"{address.BaseUrl()}/confirm-email#token={token}";
            mailer.Send(new OutgoingMail(email, "Confirm your new Parley email",
                $"""
                You asked to sign in to Parley with this address instead of {user.Email}.

                Confirm it here. The link works once, for the next 24 hours:
                {link}

                If you didn't ask for this, ignore this mail: nothing changes.
                """));
            mailer.Send(new OutgoingMail(user.Email, "Your Parley email is being changed",
                $"""
                Someone signed in to your Parley account asked to change its email to {email}. It changes once they open the
                link we mailed to that address.

                If this wasn't you, sign in and change your password: that signs every other device out.
                """));
        }

        return TypedResults.Accepted((string?)null, new EmailResponse(user.Email, email));
    }

    private static async Task<Results<Ok<EmailResponse>, ValidationProblem, ProblemHttpResult>> Confirm(
        ConfirmEmailRequest request, AppDbContext db, AccountTokens tokens, CancellationToken ct)
    {
        var outcome = await db.RetryingAsync<(EmailResponse? Result, bool Taken)>(async token =>
        {
            await using var tx = await db.BeginWriteAsync(token);
            if (await tokens.RedeemAsync(request.Token, AccountTokenPurpose.EmailChange, token) is not { NewEmail: { } email } redeemed)
            {
                return (null, false);
            }

            if (!await ApplyAsync(db, redeemed.UserId, email, token))
            {
                return (null, true); // rolled back: the link is not spent on an address someone took meanwhile
            }

            await tx.CommitAsync(token);
            return (new EmailResponse(email), false);
        }, ct);
        return outcome switch
        {
            { Result: { } done } => TypedResults.Ok(done),
            { Taken: true } => EmailTaken(),
            _ => FieldProblem.For("token", "This link has expired or was already used. Change your email again from the settings page.", "Link no longer valid"),
        };
    }

    /// <summary>Sets the email unless another account has it (the unique index decides a race); false when taken.</summary>
    private static async Task<bool> ApplyAsync(AppDbContext db, Guid id, string email, CancellationToken ct)
    {
        var normalized = UserMappings.NormalizeEmail(email);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized && u.Id != id, ct))
        {
            return false;
        }

        try
        {
            return await db.Users.Where(u => u.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Email, email).SetProperty(u => u.NormalizedEmail, normalized), ct) == 1;
        }
        catch (Exception ex) when (IsUniqueViolation(ex))
        {
            return false;
        }
    }

    // ExecuteUpdate throws the provider's own exception, not a DbUpdateException.
    private static bool IsUniqueViolation(Exception ex) => ex switch
    {
        Npgsql.PostgresException pg => pg.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode == 19, // SQLITE_CONSTRAINT
        _ => ex.InnerException is { } inner && IsUniqueViolation(inner),
    };

    private static ProblemHttpResult EmailTaken() => TypedResults.Problem(
        "Another account already uses this email. Choose another one.",
        statusCode: StatusCodes.Status409Conflict, title: "Email already registered", type: ProblemTypes.EmailTaken);
}
