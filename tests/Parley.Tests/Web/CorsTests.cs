using System.Net;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

public sealed class CorsTests(CorsTests.Factory factory) : IClassFixture<CorsTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory() => Settings["Cors:Origins"] = "https://ui.example.com";
    }

    private async Task<HttpResponseMessage> PreflightAsync(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/chats");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return await factory.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task AListedOriginMayCallWithCredentials()
    {
        var response = await PreflightAsync("https://ui.example.com");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://ui.example.com", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", response.Headers.GetValues("Access-Control-Allow-Credentials").Single());
    }

    [Fact]
    public async Task AnyOtherOriginIsNotAllowed()
    {
        var response = await PreflightAsync("https://evil.example.com");

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}

public sealed class NoCorsByDefaultTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task WithoutCorsOriginsNoOriginIsAllowed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/chats");
        request.Headers.Add("Origin", "https://ui.example.com");
        request.Headers.Add("Access-Control-Request-Method", "GET");

        var response = await factory.CreateClient().SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task PagesCarryAStrictContentSecurityPolicy()
    {
        var response = await factory.CreateClient().GetAsync("/api/plans");

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }
}
