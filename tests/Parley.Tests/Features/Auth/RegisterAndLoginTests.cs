using System.Net;
using System.Net.Http.Json;
using Parley.Features.Auth;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Auth;

public sealed class RegisterAndLoginTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    private static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task RegisterStartsASessionWithAnHttpOnlyStrictRefreshCookie()
    {
        var email = NewEmail();
        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/register", new { email, password = TestUsers.Password });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var session = await response.ReadAsync<SessionResponse>();
        Assert.Equal(email, session.User.Email);
        Assert.Equal(Plan.Free, session.User.Plan);
        Assert.False(string.IsNullOrEmpty(session.AccessToken));
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.Equal(2, cookies.Count);
        Assert.Single(cookies, c => c.StartsWith($"{AuthCookies.Refresh}=", StringComparison.Ordinal));
        Assert.Single(cookies, c => c.StartsWith($"{AuthCookies.Device}=", StringComparison.Ordinal));
        foreach (var cookie in cookies)
        {
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("path=/api/auth", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(session.AccessToken, cookie, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RegisteringAnEmailTwiceIgnoringCaseIsAConflict()
    {
        var email = NewEmail();
        await factory.RegisterAsync(email);

        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/register",
            new { email = "  " + email.ToUpperInvariant(), password = TestUsers.Password });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(ProblemTypes.EmailTaken, problem.Type);
    }

    [Theory]
    [InlineData("short7!")]
    [InlineData("")]
    public async Task RegisterRejectsPasswordsUnderEightCharacters(string password)
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/register", new { email = NewEmail(), password });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.Raw.GetProperty("errors").TryGetProperty("Password", out _) ||
                    problem.Raw.GetProperty("errors").TryGetProperty("password", out _), problem.Raw.ToString());
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("")]
    public async Task RegisterRejectsInvalidEmails(string email)
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/register", new { email, password = TestUsers.Password });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task SixtyFourCharacterPasswordsWork()
    {
        var password = "sixty-four characters: " + new string('p', 37) + "1234";
        var user = await factory.RegisterAsync(password: password);

        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task EveryByteOfAPasswordLongerThanBcryptsLimitCounts()
    {
        var password = new string('a', 72) + "-the-tail-matters";
        var user = await factory.RegisterAsync(password: password);

        var sameFirst72 = await factory.CreateClient().PostAsJsonAsync("/api/auth/login",
            new { email = user.Email, password = new string('a', 72) + "-another-tail" });
        var exact = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password });

        await sameFirst72.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
    }

    [Fact]
    public async Task OverlongPasswordsAreRejectedBeforeHashing()
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/login",
            new { email = NewEmail(), password = new string('x', Passwords.MaxLength + 1) });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task LoginWithTheRightPasswordStartsASession()
    {
        var user = await factory.RegisterAsync();

        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/login",
            new { email = user.Email.ToUpperInvariant(), password = user.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = await response.ReadAsync<SessionResponse>();
        Assert.Equal(user.Session.User.Id, session.User.Id);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AuthCookies.Refresh, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownEmailAndWrongPasswordGetTheSameAnswer()
    {
        var user = await factory.RegisterAsync();

        var wrongPassword = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "wrong password!" });
        var unknownEmail = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = NewEmail(), password = "wrong password!" });

        var a = await wrongPassword.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var b = await unknownEmail.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(ProblemTypes.InvalidCredentials, a.Type);
        Assert.Equal((a.Type, a.Title, a.Detail), (b.Type, b.Title, b.Detail));
    }

    [Fact]
    public async Task MeReturnsTheSignedInUser()
    {
        var user = await factory.RegisterAsync();

        var me = await user.Client.GetFromJsonAsync<UserResponse>("/api/auth/me", ApiJson.Options);

        Assert.Equal(user.Email, me!.Email);
        Assert.Equal(Plan.Free, me.Plan);
    }

    [Fact]
    public async Task MalformedJsonGetsAProblemThatSaysSo()
    {
        var response = await factory.CreateClient().PostAsync("/api/auth/login",
            new StringContent("{\"email\": ", System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("valid JSON", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverHttpsTheRefreshCookieIsSecure()
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"),
        });

        var response = await client.PostAsJsonAsync("/api/auth/register", new { email = NewEmail(), password = TestUsers.Password });

        Assert.All(response.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
    }
}
