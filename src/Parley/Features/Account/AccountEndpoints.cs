using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Features.Auth;
using Parley.Features.Billing;
using Parley.Web;

namespace Parley.Features.Account;

/// <summary>
/// The signed-in user's account: profile and preferences, sessions and password (here), email (EmailChange), picture
/// (AvatarEndpoints), exports (ExportEndpoints) and deletion.
/// </summary>
public static class AccountEndpoints
{
    public static RouteGroupBuilder MapAccount(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/account").WithTags("Account").RequireAuthorization();
        group.MapEmailChange(app);
        group.MapExports();
        group.MapAvatar(app);
        group.MapGet("/sessions", ListSessions).WithName("ListSessions")
            .WithSummary("Where you are signed in: device, address and last activity of each session; this one first.");
        group.MapDelete("/sessions/{sessionId:guid}", EndSession).WithName("EndSession")
            .WithSummary("Sign out one session (another device, or this one); its access token stops working at once.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/sessions/sign-out-others", EndOtherSessions).WithName("SignOutOtherSessions")
            .WithSummary("Sign out every session but this one.");
        group.MapPost("/password", ChangePassword).WithName("ChangePassword")
            .WithSummary("Change the password (the current one is required); every other session is signed out.")
            .RequireRateLimiting(AuthSetup.RateLimitPolicy)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/profile", GetProfile).WithName("GetProfile")
            .WithSummary("Your name and custom instructions.");
        group.MapPatch("/profile", UpdateProfile).WithName("UpdateProfile")
            .WithSummary("Change your name or custom instructions (fields left out stay; empty ones are cleared); they apply to every new reply.")
            .ProducesValidationProblem();
        group.MapPost("/delete", DeleteAccount).WithName("DeleteAccount")
            .WithSummary("Delete the account (the password is required): chats, messages, files and sessions are erased, a paid subscription ends as chosen; usage and billing records are kept without the person.")
            .RequireRateLimiting(AuthSetup.RateLimitPolicy)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    private static async Task<Ok<SessionsResponse>> ListSessions(Sessions sessions, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(new SessionsResponse(await sessions.ListAsync(http.User.UserId(), http.User.SessionId(), ct)));

    private static async Task<Results<NoContent, ProblemHttpResult>> EndSession(
        Guid sessionId, Sessions sessions, HttpContext http, CancellationToken ct) =>
        await sessions.EndAsync(http.User.UserId(), sessionId, ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem("You have no such session; it may have ended already.", statusCode: StatusCodes.Status404NotFound,
                title: "Session not found", type: ProblemTypes.NotFound);

    private static async Task<Ok<SignedOutResponse>> EndOtherSessions(Sessions sessions, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(new SignedOutResponse(await sessions.EndOthersAsync(http.User.UserId(), http.User.SessionId(), ct)));

    private static async Task<Results<NoContent, ValidationProblem>> ChangePassword(
        ChangePasswordRequest request, AppDbContext db, Passwords passwords, PasswordStrength strength, Sessions sessions,
        HttpContext http, CancellationToken ct)
    {
        var id = http.User.UserId();
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.Email, u.PasswordHash }).SingleAsync(ct);
        if (!passwords.Verify(request.CurrentPassword, user.PasswordHash))
        {
            return FieldProblem.For("currentPassword", "Your current password is not right. Nothing was changed.", "Wrong password");
        }

        if (strength.Problem(request.NewPassword, user.Email) is { } weak)
        {
            return FieldProblem.For("newPassword", weak, "Choose a stronger password");
        }

        var hash = passwords.Hash(request.NewPassword);
        // Conditional on the hash read above: two changes racing cannot both pass the check on the old password.
        var changed = await db.Users.Where(u => u.Id == id && u.PasswordHash == user.PasswordHash)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, hash), ct);
        if (changed == 0)
        {
            return FieldProblem.For("currentPassword", "Your password was changed a moment ago, elsewhere. Nothing was changed here.", "Password changed elsewhere");
        }

        await sessions.EndOthersAsync(id, http.User.SessionId(), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAccount(
        DeleteAccountRequest request, AppDbContext db, Passwords passwords, SubscriptionCancellation subscriptions,
        AccountDeletion deletion, HttpContext http, CancellationToken ct)
    {
        var id = http.User.UserId();
        var hash = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.PasswordHash).SingleAsync(ct);
        if (!passwords.Verify(request.Password, hash))
        {
            return FieldProblem.For("password", "That is not your password. Nothing was deleted.", "Wrong password");
        }

        if (request.Subscription is null && await subscriptions.HasLiveAsync(id, ct))
        {
            return FieldProblem.For("subscription", "You have a paid subscription: choose whether it ends now or at the end of the period you paid for.",
                "Choose what happens to your subscription");
        }

        try
        {
            await deletion.DeleteAsync(id, request.Subscription ?? SubscriptionEnding.Now, ct);
        }
        catch (StripeUnavailableException ex)
        {
            http.Response.Headers.RetryAfter = ((int)ex.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                "Your subscription could not be ended because Stripe, the payment service, did not answer. Nothing was deleted; try again in a minute.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Payments unavailable", type: ProblemTypes.PaymentsUnavailable);
        }

        AuthCookies.ClearRefresh(http);
        AuthCookies.ClearDevice(http);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ProfileResponse>> GetProfile(AppDbContext db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await ReadProfileAsync(db, http.User.UserId(), ct));

    private static Task<ProfileResponse> ReadProfileAsync(AppDbContext db, Guid id, CancellationToken ct) =>
        db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new ProfileResponse(u.Email, u.DisplayName, u.AboutYou, u.ReplyStyle, u.Theme, u.TimeZone, u.Clock, u.DefaultModel)).SingleAsync(ct);

    private static async Task<Results<Ok<ProfileResponse>, ValidationProblem>> UpdateProfile(
        UpdateProfileRequest request, AppDbContext db, Bot.ModelCatalog models, HttpContext http, CancellationToken ct)
    {
        var id = http.User.UserId();
        var (name, about, style) = (Clean(request.DisplayName, singleLine: true), Clean(request.AboutYou), Clean(request.ReplyStyle));
        var zone = request.TimeZone?.Trim() is { Length: > 0 } given ? given : null;
        if (zone is not null && !IsTimeZone(zone))
        {
            return FieldProblem.For("timeZone", $"“{zone}” is not a time zone Parley knows. Choose one from the list.", "Unknown time zone");
        }

        var model = request.DefaultModel?.Trim() is { Length: > 0 } m ? m : null;
        if (model is not null && models.Find(model) is null)
        {
            return FieldProblem.For("defaultModel", "This server offers no such model. Choose one from the list.", "Unknown model");
        }

        if (request.Theme is { } t && !Enum.IsDefined(t) || request.Clock is { } c && !Enum.IsDefined(c))
        {
            return FieldProblem.For(request.Theme is { } bad && !Enum.IsDefined(bad) ? "theme" : "clock", "Choose one of the options offered.", "Unknown option");
        }

        await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.DisplayName, u => request.DisplayName == null ? u.DisplayName : name)
            .SetProperty(u => u.AboutYou, u => request.AboutYou == null ? u.AboutYou : about)
            .SetProperty(u => u.ReplyStyle, u => request.ReplyStyle == null ? u.ReplyStyle : style)
            .SetProperty(u => u.Theme, u => request.Theme ?? u.Theme)
            .SetProperty(u => u.TimeZone, u => request.TimeZone == null ? u.TimeZone : zone)
            .SetProperty(u => u.Clock, u => request.Clock ?? u.Clock)
            .SetProperty(u => u.DefaultModel, u => request.DefaultModel == null ? u.DefaultModel : model), ct);
        return TypedResults.Ok(await ReadProfileAsync(db, id, ct));
    }

    /// <summary>An IANA zone the server knows (the browser is given the same name); Windows ids are not accepted.</summary>
    private static bool IsTimeZone(string id) =>
        (id == "UTC" || id.Contains('/', StringComparison.Ordinal)) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId;

    /// <summary>Trimmed; blank is none. A name is one line without control characters (it is shown, and told to the model).</summary>
    private static string? Clean(string? value, bool singleLine = false)
    {
        if (value is null)
        {
            return null;
        }

        var text = new string([.. value.Where(c => !char.IsControl(c) || c is '\n' or '\t')]);
        text = singleLine ? string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) : text.Trim();
        return text.Length == 0 ? null : text;
    }
}
