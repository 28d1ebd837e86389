using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Parley.Features.Account;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Account;

public sealed class SqliteSessionTests(SqliteFactory factory) : SessionTests<SqliteFactory>(factory), IClassFixture<SqliteFactory>;

public sealed class PostgresSessionTests(PostgresFactory factory) : SessionTests<PostgresFactory>(factory), IClassFixture<PostgresFactory>;

/// <summary>Where a user is signed in, signing devices out, and a password change ending every other session.</summary>
public abstract class SessionTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    private const string Firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private const string PhoneChrome = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

    /// <summary>Signs the user in on another device: a client of its own, with its own refresh cookie.</summary>
    private async Task<HttpClient> SignInAsync(TestUser user, string userAgent, string? password = null)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = password ?? user.Password });
        response.EnsureSuccessStatusCode();
        var session = await response.ReadAsync<Parley.Features.Auth.SessionResponse>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        return client;
    }

    private static async Task<IReadOnlyList<DeviceSessionResponse>> SessionsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<SessionsResponse>("/api/account/sessions", ApiJson.Options))!.Sessions;

    private static async Task<HttpStatusCode> MeAsync(HttpClient client) => (await client.GetAsync("/api/auth/me")).StatusCode;

    private static async Task<HttpStatusCode> RefreshAsync(HttpClient client) => (await client.PostAsync("/api/auth/refresh", null)).StatusCode;

    [Fact]
    public async Task EachSignInIsListedWithItsDeviceAndThisOneFirst()
    {
        var user = await factory.RegisterAsync();
        var laptop = await SignInAsync(user, Firefox);
        await SignInAsync(user, PhoneChrome);

        var sessions = await SessionsAsync(laptop);

        Assert.Equal(3, sessions.Count); // registering signed in too
        Assert.True(sessions[0].Current);
        Assert.Equal("Firefox on Windows", sessions[0].Device);
        Assert.Single(sessions, s => s.Current);
        Assert.Contains(sessions, s => s.Device == "Chrome on Android");

        // Renewing a session keeps it one session (its id stays), later active.
        Assert.Equal(HttpStatusCode.OK, await RefreshAsync(laptop));
        var after = await SessionsAsync(laptop);
        Assert.Equal(sessions.Select(s => s.Id).Order(), after.Select(s => s.Id).Order());
    }

    [Fact]
    public async Task EndingASessionStopsItsAccessTokenAtOnceAndItCannotRenew()
    {
        var user = await factory.RegisterAsync();
        var phone = await SignInAsync(user, PhoneChrome);
        var phoneSession = (await SessionsAsync(phone)).Single(s => s.Current);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(phone));

        var ended = await user.Client.DeleteAsync($"/api/account/sessions/{phoneSession.Id}");

        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(phone)); // not in 15 minutes: now
        Assert.Equal(HttpStatusCode.Unauthorized, await RefreshAsync(phone));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(user.Client));
        Assert.DoesNotContain(await SessionsAsync(user.Client), s => s.Id == phoneSession.Id);
    }

    [Fact]
    public async Task AnotherUsersSessionIsNotFound()
    {
        var user = await factory.RegisterAsync();
        var other = await factory.RegisterAsync();
        var theirs = (await SessionsAsync(other.Client)).Single();

        await (await user.Client.DeleteAsync($"/api/account/sessions/{theirs.Id}"))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound, "no such session");
        await (await user.Client.DeleteAsync($"/api/account/sessions/{Guid.NewGuid()}"))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound, "no such session");
        Assert.Equal(HttpStatusCode.OK, await MeAsync(other.Client));
    }

    [Fact]
    public async Task SigningOutEveryOtherSessionKeepsThisOne()
    {
        var user = await factory.RegisterAsync();
        var laptop = await SignInAsync(user, Firefox);
        var phone = await SignInAsync(user, PhoneChrome);

        var response = await laptop.PostAsync("/api/account/sessions/sign-out-others", null);

        Assert.Equal(2, (await response.ReadAsync<SignedOutResponse>()).SignedOut);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(phone));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(user.Client));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(laptop));
        Assert.Equal(HttpStatusCode.OK, await RefreshAsync(laptop));
        Assert.Single(await SessionsAsync(laptop));
    }

    [Fact]
    public async Task ChangingThePasswordSignsOutEveryOtherSession()
    {
        var user = await factory.RegisterAsync();
        var phone = await SignInAsync(user, PhoneChrome);
        const string newPassword = "a different long passphrase 42";

        var response = await user.Client.PostAsJsonAsync("/api/account/password", new { currentPassword = user.Password, newPassword });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(phone));
        Assert.Equal(HttpStatusCode.Unauthorized, await RefreshAsync(phone));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(user.Client)); // the device that changed it stays signed in
        var oldLogin = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, oldLogin.StatusCode);
        await SignInAsync(user, Firefox, newPassword);
    }

    [Fact]
    public async Task AWrongCurrentPasswordOrAWeakNewOneChangesNothing()
    {
        var user = await factory.RegisterAsync();
        var phone = await SignInAsync(user, PhoneChrome);

        var wrong = await user.Client.PostAsJsonAsync("/api/account/password", new { currentPassword = "not my password", newPassword = "a different long passphrase 42" });
        var weak = await user.Client.PostAsJsonAsync("/api/account/password", new { currentPassword = user.Password, newPassword = "password123" });
        var same = await user.Client.PostAsJsonAsync("/api/account/password", new { currentPassword = user.Password, newPassword = "short" });
        var huge = await user.Client.PostAsJsonAsync("/api/account/password", new { currentPassword = new string('x', 5000), newPassword = "a different long passphrase 42" });

        var problem = await wrong.ShouldBeProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation, "current password is not right");
        Assert.True(problem.Raw.GetProperty("errors").TryGetProperty("currentPassword", out _));
        await weak.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await same.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await huge.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(phone));
        await SignInAsync(user, Firefox); // the old password still works
    }
}

public sealed class DeviceNameTests
{
    private const string Firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private const string PhoneChrome = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

    [Theory]
    [InlineData(Firefox, "Firefox on Windows")]
    [InlineData(PhoneChrome, "Chrome on Android")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Safari on iPhone")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge on macOS")]
    [InlineData("curl/8.5.0", "curl")]
    [InlineData("", "Unknown device")]
    [InlineData(null, "Unknown device")]
    public void DevicesAreNamedAsPeopleNameThem(string? userAgent, string expected) =>
        Assert.Equal(expected, DeviceNames.Describe(userAgent));
}
