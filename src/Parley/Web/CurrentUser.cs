using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Parley.Web;

public static class CurrentUser
{
    /// <summary>The signed-in user's id; endpoints that call this require authorization, so the claim is there.</summary>
    public static Guid UserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id)
            ? id
            : throw new InvalidOperationException("The authenticated principal has no subject claim.");

    /// <summary>The session (refresh-token family) the access token was issued to; null for tokens issued without one.</summary>
    public static Guid? SessionId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sid), out var id) ? id : null;
}
