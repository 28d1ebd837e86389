using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Parley.Features.Auth;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Auth;

public sealed class SessionTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task RefreshRotatesTheCookieAndIssuesANewAccessToken()
    {
        var user = await factory.RegisterAsync();
        var first = RefreshCookieOf(user.Session, await LoginAsync(user));

        var (status, second) = await RefreshWithAsync(first);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task ReplayingASpentRefreshTokenRevokesTheWholeFamily()
    {
        var user = await factory.RegisterAsync();
        var first = RefreshCookieOf(user.Session, await LoginAsync(user));
        var (_, second) = await RefreshWithAsync(first);

        var (replayStatus, _) = await RefreshWithAsync(first);
        var (afterReplayStatus, _) = await RefreshWithAsync(second!);

        Assert.Equal(HttpStatusCode.Unauthorized, replayStatus);
        Assert.Equal(HttpStatusCode.Unauthorized, afterReplayStatus); // the thief's fresh token dies with it
    }

    [Fact]
    public async Task ConcurrentRefreshesWithOneTokenLetOnlyOneThrough()
    {
        var user = await factory.RegisterAsync();
        var token = RefreshCookieOf(user.Session, await LoginAsync(user));

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => RefreshWithAsync(token)));

        Assert.True(results.Count(r => r.Status == HttpStatusCode.OK) <= 1);
    }

    [Fact]
    public async Task RefreshWithoutACookieSaysThereIsNoSessionWithoutAnError()
    {
        var response = await factory.CreateClient().PostAsync("/api/auth/refresh", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task RefreshWithAnUnknownCookieIsUnauthorizedAndClearsIt()
    {
        var response = await CookieClient("not-a-real-token").PostAsync("/api/auth/refresh", null);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(ProblemTypes.SessionExpired, problem.Type);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ExpiredRefreshTokensAreRefused()
    {
        var user = await factory.RegisterAsync();
        var token = RefreshCookieOf(user.Session, await LoginAsync(user));

        factory.Time.Advance(TimeSpan.FromDays(31)); // the app's clock; tests after this one just start later
        var (status, _) = await RefreshWithAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task LogoutEndsTheSession()
    {
        var user = await factory.RegisterAsync();
        var token = RefreshCookieOf(user.Session, await LoginAsync(user));

        var logout = CookieClient(token);
        var response = await logout.PostAsync("/api/auth/logout", null);
        var (status, _) = await RefreshWithAsync(token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Theory]
    [InlineData("GET", "/api/chats")]
    [InlineData("POST", "/api/chats")]
    [InlineData("GET", "/api/chats/1")]
    [InlineData("PATCH", "/api/chats/1")]
    [InlineData("DELETE", "/api/chats/1")]
    [InlineData("GET", "/api/chats/1/messages")]
    [InlineData("POST", "/api/chats/1/messages")]
    [InlineData("POST", "/api/chats/1/messages/1/retry")]
    [InlineData("GET", "/api/usage")]
    [InlineData("GET", "/api/auth/me")]
    public async Task ARequestWithoutATokenIsUnauthorized(string method, string path)
    {
        var response = await factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method is "GET" or "DELETE" ? null : JsonContent.Create(new { }),
        });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(ProblemTypes.Unauthorized, problem.Type);
    }

    [Fact]
    public async Task AnExpiredAccessTokenIsUnauthorized()
    {
        var user = await factory.RegisterAsync();
        var token = Sign(user.Session.User.Id, ParleyFactory.SecretKey, factory.Time.GetUtcNow().AddMinutes(-20));

        await (await GetChatsWith(token)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnAccessTokenAtTheEndOfItsLifetimeIsRefused()
    {
        var user = await factory.RegisterAsync();
        factory.Time.Advance(TimeSpan.FromMinutes(16));

        await (await GetChatsWith(user.Session.AccessToken)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnAccessTokenSignedWithAnotherKeyIsUnauthorized()
    {
        var user = await factory.RegisterAsync();
        var token = Sign(user.Session.User.Id, "another-secret-key-that-is-also-long-enough-0123456789", factory.Time.GetUtcNow());

        await (await GetChatsWith(token)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnUnsignedAlgNoneTokenIsUnauthorized()
    {
        var user = await factory.RegisterAsync();
        var now = factory.Time.GetUtcNow().ToUnixTimeSeconds();
        static string B64(string s) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(s));
        var token = B64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
                    B64($"{{\"sub\":\"{user.Session.User.Id}\",\"iss\":\"parley\",\"aud\":\"parley\",\"iat\":{now},\"nbf\":{now},\"exp\":{now + 600}}}") + ".";

        await (await GetChatsWith(token)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ATamperedTokenIsUnauthorized()
    {
        var user = await factory.RegisterAsync();
        var parts = user.Session.AccessToken.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]))
            .Replace(user.Session.User.Id.ToString(), Guid.NewGuid().ToString(), StringComparison.Ordinal);
        var token = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        await (await GetChatsWith(token)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    private async Task<HttpResponseMessage> GetChatsWith(string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync("/api/chats");
    }

    private static string Sign(Guid userId, string key, DateTimeOffset issuedAt) => new JsonWebTokenHandler().CreateToken(
        new SecurityTokenDescriptor
        {
            Issuer = "parley",
            Audience = "parley",
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = issuedAt.AddMinutes(15).UtcDateTime,
            Subject = new ClaimsIdentity([new Claim("sub", userId.ToString())]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });

    private async Task<HttpResponseMessage> LoginAsync(TestUser user) =>
        await factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false })
            .PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password });

    private static string RefreshCookieOf(SessionResponse _, HttpResponseMessage response) =>
        CookieValue(response) ?? throw new InvalidOperationException("No refresh cookie was set.");

    private static string? CookieValue(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Where(c => c.StartsWith(AuthCookies.Refresh + "=", StringComparison.Ordinal))
                .Select(c => c.Split(';')[0][(AuthCookies.Refresh.Length + 1)..])
                .FirstOrDefault(v => v.Length > 0)
            : null;

    private HttpClient CookieClient(string token)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", $"{AuthCookies.Refresh}={token}");
        return client;
    }

    private async Task<(HttpStatusCode Status, string? Next)> RefreshWithAsync(string token)
    {
        var response = await CookieClient(token).PostAsync("/api/auth/refresh", null);
        return (response.StatusCode, CookieValue(response));
    }
}
