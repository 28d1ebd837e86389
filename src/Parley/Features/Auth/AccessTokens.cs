using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Parley.Features.Auth;

public sealed record AccessToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>Issues the short-lived HS256 access tokens the API accepts as bearer tokens.</summary>
public sealed class AccessTokens(IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>A token for <paramref name="user"/> in session <paramref name="sessionId"/> (its refresh-token family): ending the session ends the token.</summary>
    public AccessToken Issue(User user, Guid sessionId)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var expires = now + o.AccessTokenLifetime;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = o.Issuer,
            Audience = o.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity([
                new Claim(JwtRegisteredClaimNames.Sub, user.Id.ToString()),
                new Claim(JwtRegisteredClaimNames.Email, user.Email),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
                new Claim(JwtRegisteredClaimNames.Sid, sessionId.ToString()),
            ]),
            SigningCredentials = new SigningCredentials(SigningKey(o.SecretKey!), SecurityAlgorithms.HmacSha256),
        });
        return new(token, expires);
    }

    public static SymmetricSecurityKey SigningKey(string secret) => new(Encoding.UTF8.GetBytes(secret));
}
