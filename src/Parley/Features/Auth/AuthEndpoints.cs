using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Features.Billing;
using Parley.Web;

namespace Parley.Features.Auth;

public static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/register", Register).RequireRateLimiting(AuthSetup.RateLimitPolicy)
            .WithName("Register").WithSummary("Create an account and start a session.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/login", Login).RequireRateLimiting(AuthSetup.RateLimitPolicy)
            .WithName("Login").WithSummary("Start a session with email and password.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/refresh", Refresh)
            .WithName("Refresh").WithSummary("Trade the refresh cookie for a new access token (rotates the cookie); 204 when there is no cookie.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/logout", Logout)
            .WithName("Logout").WithSummary("End the session and clear the refresh cookie.");
        group.MapGet("/me", Me).RequireAuthorization()
            .WithName("GetCurrentUser").WithSummary("The signed-in user.");
        group.MapPasswordReset();
        return group;
    }

    private static async Task<Results<Created<SessionResponse>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterRequest request, AppDbContext db, Passwords passwords, PasswordStrength strength, LoginGuard guard,
        AccessTokens tokens, RefreshTokens refresh, Entitlements entitlements, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (strength.Problem(request.Password, request.Email) is { } weak)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = [weak] },
                detail: weak, title: "Choose a stronger password", type: ProblemTypes.Validation);
        }

        var normalized = UserMappings.NormalizeEmail(request.Email);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, ct))
        {
            return EmailTaken();
        }

        var user = new User
        {
            Email = request.Email.Trim(),
            NormalizedEmail = normalized,
            PasswordHash = passwords.Hash(request.Password),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Users.Add(user);
        db.AnalyticsEvents.Add(new Analytics.AnalyticsEvent { Kind = Analytics.AnalyticsKind.SignedUp, UserId = user.Id, OccurredAt = user.CreatedAt });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return EmailTaken(); // Lost a race with a concurrent registration of the same email.
        }

        AuthCookies.SetDevice(http, await guard.TrustAsync(user.Id, ct), time.GetUtcNow());

        return TypedResults.Created("/api/auth/me", await StartSessionAsync(user, tokens, refresh, entitlements, http, ct));
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Login(
        LoginRequest request, AppDbContext db, Passwords passwords, LoginGuard guard, AccessTokens tokens,
        RefreshTokens refresh, Entitlements entitlements, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var normalized = UserMappings.NormalizeEmail(request.Email);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, ct);
        // A browser this account signed in from before is exempt from the lockout strangers can cause.
        var device = await guard.TrustedDeviceAsync(http.Request.Cookies[AuthCookies.Device], user?.Id, ct);
        if (device is null && await guard.LockedForAsync(normalized, ct) is { } lockedFor)
        {
            var seconds = (int)Math.Ceiling(lockedFor.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                $"Too many failed sign-in attempts. Try again in {Math.Max(1, (seconds + 59) / 60)} minute(s), " +
                "or sign in from a browser you have used with Parley before.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Sign-in temporarily locked",
                type: ProblemTypes.LoginThrottled);
        }

        // Unknown email and wrong password cost one bcrypt each and get the same answer.
        if (!passwords.Verify(request.Password, user?.PasswordHash) || user is null)
        {
            await guard.RecordFailureAsync(normalized, device, ct);
            return TypedResults.Problem("The email or password is incorrect.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", type: ProblemTypes.InvalidCredentials);
        }

        if (user.DisabledAt is not null)
        {
            // Said only to whoever knows the password: it is theirs to know, and no one else learns the account exists.
            return TypedResults.Problem("This account has been disabled by the people who run this Parley. Ask them why.",
                statusCode: StatusCodes.Status403Forbidden, title: "Account disabled", type: ProblemTypes.AccountDisabled);
        }

        if (await guard.RecordSuccessAsync(normalized, user.Id, device, ct) is { } deviceToken)
        {
            AuthCookies.SetDevice(http, deviceToken, time.GetUtcNow());
        }

        return TypedResults.Ok(await StartSessionAsync(user, tokens, refresh, entitlements, http, ct));
    }

    private static async Task<Results<Ok<SessionResponse>, NoContent, ProblemHttpResult>> Refresh(
        RefreshTokens refresh, AccessTokens tokens, Entitlements entitlements, IOptions<Admin.AdminOptions> admins, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(http.Request.Cookies[AuthCookies.Refresh]))
        {
            // Nobody has signed in on this browser (or they signed out): nothing ended, so no error. The page asks
            // on every load, and a 401 there would be a red line in the console of every visitor to the login page.
            return TypedResults.NoContent();
        }

        var rotated = await refresh.RotateAsync(http.Request.Cookies[AuthCookies.Refresh], RefreshTokens.Client.From(http), ct);
        if (rotated is not { } r)
        {
            AuthCookies.ClearRefresh(http);
            return TypedResults.Problem("Your session has ended. Please sign in again.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Session expired", type: ProblemTypes.SessionExpired);
        }

        AuthCookies.SetRefresh(http, r.Next);
        var access = tokens.Issue(r.User, r.Next.FamilyId);
        var premium = (await entitlements.ForAsync(r.User.Id, ct)).IsPremium;
        return TypedResults.Ok(new SessionResponse(access.Token, access.ExpiresAt, r.User.ToResponse(premium, admins.Value.Includes(r.User))));
    }

    private static async Task<NoContent> Logout(RefreshTokens refresh, HttpContext http, CancellationToken ct)
    {
        await refresh.RevokeAsync(http.Request.Cookies[AuthCookies.Refresh], ct);
        AuthCookies.ClearRefresh(http);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<UserResponse>, NotFound>> Me(
        AppDbContext db, Entitlements entitlements, IOptions<Admin.AdminOptions> admins, HttpContext http, CancellationToken ct)
    {
        var id = http.User.UserId();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct);
        return user is null ? TypedResults.NotFound()
            : TypedResults.Ok(user.ToResponse((await entitlements.ForAsync(id, ct)).IsPremium, admins.Value.Includes(user)));
    }

    private static async Task<SessionResponse> StartSessionAsync(
        User user, AccessTokens tokens, RefreshTokens refresh, Entitlements entitlements, HttpContext http, CancellationToken ct)
    {
        var session = await refresh.IssueAsync(user.Id, null, RefreshTokens.Client.From(http), ct);
        AuthCookies.SetRefresh(http, session);
        var access = tokens.Issue(user, session.FamilyId);
        var admins = http.RequestServices.GetRequiredService<IOptions<Admin.AdminOptions>>().Value;
        return new(access.Token, access.ExpiresAt, user.ToResponse((await entitlements.ForAsync(user.Id, ct)).IsPremium, admins.Includes(user)));
    }

    private static ProblemHttpResult EmailTaken() => TypedResults.Problem(
        "An account with this email already exists. Sign in instead, or use another email.",
        statusCode: StatusCodes.Status409Conflict, title: "Email already registered", type: ProblemTypes.EmailTaken);
}
