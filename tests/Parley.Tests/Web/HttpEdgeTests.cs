using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Parley.Features.Auth;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Web;

public sealed class SqliteHttpEdgeTests(SqliteFactory factory) : HttpEdgeTests<SqliteFactory>(factory), IClassFixture<SqliteFactory>;

public sealed class PostgresHttpEdgeTests(PostgresFactory factory) : HttpEdgeTests<PostgresFactory>(factory), IClassFixture<PostgresFactory>;

public abstract class HttpEdgeTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task ABodyThatIsNotJsonIs415AfterAuthentication(string? contentType)
    {
        var user = await factory.RegisterAsync();
        HttpContent Body()
        {
            var content = new StringContent("{\"title\":\"x\"}", Encoding.UTF8);
            content.Headers.ContentType = contentType is null ? null : new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            return content;
        }

        var signedIn = await user.Client.PostAsync("/api/chats", Body());
        var anonymous = await factory.CreateClient().PostAsync("/api/chats", Body());

        var problem = await signedIn.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(ProblemTypes.UnsupportedMediaType, problem.Type);
        Assert.Contains("application/json", problem.Detail, StringComparison.Ordinal);
        await anonymous.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AQueryStringProblemNamesTheParameterAndNotTheBody()
    {
        var user = await factory.RegisterAsync();

        var response = await user.Client.GetAsync("/api/chats?limit=lots");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'limit'", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("body", problem.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("parameter \"", problem.Detail, StringComparison.Ordinal); // no framework wording
    }

    [Fact]
    public async Task AFieldTheDocumentMarksRequiredMustBeSent()
    {
        var user = await factory.RegisterAsync();
        var chat = await (await user.Client.PostAsJsonAsync("/api/chats", new { })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();

        var response = await user.Client.PutAsJsonAsync($"/api/chats/{chat.GetProperty("id").GetInt64()}/branch", new { });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("'messageId' is required in the request body.", problem.Detail);
    }

    [Fact]
    public async Task AClientThatAcceptsOnlyEventStreamsStillGetsFullProblems()
    {
        var user = await factory.RegisterAsync();
        HttpRequestMessage Send(HttpClient client) => new(HttpMethod.Post, "/api/chats/999999/messages/stream")
        {
            Content = JsonContent.Create(new { content = "Hello" }),
            Headers = { Accept = { new("text/event-stream") } },
        };

        var missing = await user.Client.SendAsync(Send(user.Client));
        var anonymous = await factory.CreateClient().SendAsync(Send(factory.CreateClient()));

        var problem = await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(ProblemTypes.NotFound, problem.Type);
        Assert.Equal("/api/chats/999999/messages/stream", problem.Raw.GetProperty("instance").GetString());
        Assert.Equal(ProblemTypes.Unauthorized, (await anonymous.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).Type);
    }

    [Fact]
    public async Task ResponsesWithTokensOrUserDataAreNeverStored()
    {
        var user = await factory.RegisterAsync();

        var login = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password });
        var chats = await user.Client.GetAsync("/api/chats");
        var problem = await factory.CreateClient().GetAsync("/api/chats");

        foreach (var response in new[] { login, chats, problem })
        {
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage!.RequestUri} has no Cache-Control: no-store");
        }
    }
}

public sealed class SqliteTrustedProxyTests(SqliteTrustedProxyTests.Factory factory)
    : TrustedProxyTests<SqliteTrustedProxyTests.Factory>(factory), IClassFixture<SqliteTrustedProxyTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory() => Configure(Settings);

        protected override void ConfigureServices(IServiceCollection services) => FromAddress.Proxy(services);
    }
}

public sealed class PostgresTrustedProxyTests(PostgresTrustedProxyTests.Factory factory)
    : TrustedProxyTests<PostgresTrustedProxyTests.Factory>(factory), IClassFixture<PostgresTrustedProxyTests.Factory>
{
    public sealed class Factory : PostgresFactory
    {
        public Factory() => Configure(Settings);

        protected override void ConfigureServices(IServiceCollection services) => FromAddress.Proxy(services);
    }
}

/// <summary>Requests arrive from a reverse proxy at 10.9.9.9, which forwards the client's scheme and address.</summary>
public abstract class TrustedProxyTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    protected static void Configure(Dictionary<string, string?> settings)
    {
        settings["Proxy:TrustedNetworks"] = "10.9.9.0/24";
        settings["Auth:AttemptsPerMinutePerIp"] = "3";
    }

    [Fact]
    public async Task TheClientsSchemeMakesTheCookieSecureAndTurnsOnHsts()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        client.DefaultRequestHeaders.Add("X-Forwarded-Host", "chat.example.com");

        var response = await client.PostAsJsonAsync("/api/auth/register", new { email = $"p-{Guid.NewGuid():N}@example.com", password = TestUsers.Password });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.All(response.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.True(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task EachClientBehindTheProxyHasItsOwnSignInLimit()
    {
        async Task<HttpStatusCode> LoginFrom(string ip)
        {
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Add("X-Forwarded-For", ip);
            return (await client.PostAsJsonAsync("/api/auth/login", new { email = $"n-{Guid.NewGuid():N}@example.com", password = "nope nope nope" })).StatusCode;
        }

        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            first.Add(await LoginFrom("198.51.100.1"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, first[^1]);
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom("198.51.100.2"));
    }
}

public sealed class SqliteUntrustedProxyTests(SqliteUntrustedProxyTests.Factory factory)
    : UntrustedProxyTests<SqliteUntrustedProxyTests.Factory>(factory), IClassFixture<SqliteUntrustedProxyTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        protected override void ConfigureServices(IServiceCollection services) => FromAddress.Proxy(services);
    }
}

public sealed class PostgresUntrustedProxyTests(PostgresUntrustedProxyTests.Factory factory)
    : UntrustedProxyTests<PostgresUntrustedProxyTests.Factory>(factory), IClassFixture<PostgresUntrustedProxyTests.Factory>
{
    public sealed class Factory : PostgresFactory
    {
        protected override void ConfigureServices(IServiceCollection services) => FromAddress.Proxy(services);
    }
}

/// <summary>Without TRUSTED_PROXIES, forwarded headers are ignored: anyone could send them.</summary>
public abstract class UntrustedProxyTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    [Fact]
    public async Task ForwardedHeadersFromAnUnknownAddressAreIgnored()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var response = await client.PostAsJsonAsync("/api/auth/register", new { email = $"u-{Guid.NewGuid():N}@example.com", password = TestUsers.Password });

        Assert.All(response.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }
}

/// <summary>The test server has no socket: give every request the remote address a real proxy would have.</summary>
internal sealed class FromAddress(System.Net.IPAddress address) : IStartupFilter
{
    /// <summary>Every request comes from the proxy at 10.9.9.9.</summary>
    public static void Proxy(IServiceCollection services) =>
        services.AddSingleton<IStartupFilter>(new FromAddress(System.Net.IPAddress.Parse("10.9.9.9")));

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress = address;
            return nextMiddleware(context);
        });
        next(app);
    };
}
