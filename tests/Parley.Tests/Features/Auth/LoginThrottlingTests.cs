using System.Net;
using System.Net.Http.Json;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Auth;

public sealed class LoginThrottlingTests(LoginThrottlingTests.Factory factory) : IClassFixture<LoginThrottlingTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory()
        {
            Settings["Auth:MaxFailedLogins"] = "3";
            Settings["Auth:LockoutDuration"] = "00:05:00";
        }
    }

    [Fact]
    public async Task RepeatedFailuresLockTheAccountEvenForTheRightPassword()
    {
        var user = await factory.RegisterAsync();
        for (var i = 0; i < 3; i++)
        {
            await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "wrong password" });
        }

        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(ProblemTypes.LoginThrottled, problem.Type);
        Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single()) is > 0 and <= 300);
    }

    [Fact]
    public async Task AnUnknownEmailLocksTheSameWaySoLockoutRevealsNothing()
    {
        var email = $"nobody-{Guid.NewGuid():N}@example.com";
        for (var i = 0; i < 3; i++)
        {
            await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = "wrong password" });
        }

        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = "wrong password" });

        await response.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task TheLockoutEndsAfterItsDuration()
    {
        var user = await factory.RegisterAsync();
        for (var i = 0; i < 3; i++)
        {
            await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "wrong password" });
        }

        factory.Time.Advance(TimeSpan.FromMinutes(6));
        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = user.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class PerIpThrottlingTests(PerIpThrottlingTests.Factory factory) : IClassFixture<PerIpThrottlingTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory() => Settings["Auth:AttemptsPerMinutePerIp"] = "3";
    }

    [Fact]
    public async Task OneAddressMakingTooManyAttemptsGets429WithRetryAfter()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last = await factory.CreateClient().PostAsJsonAsync("/api/auth/login",
                new { email = $"u{i}-{Guid.NewGuid():N}@example.com", password = "whatever password" });
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], statuses.Take(3));
        var problem = await last!.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(ProblemTypes.RateLimited, problem.Type);
        Assert.True(last!.Headers.Contains("Retry-After"));
    }
}
