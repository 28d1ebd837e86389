using System.Net;
using System.Net.Http.Json;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Auth;

public sealed class SqliteLoginThrottlingTests(SqliteLoginThrottlingTests.Factory factory)
    : LoginThrottlingTests<SqliteLoginThrottlingTests.Factory>(factory), IClassFixture<SqliteLoginThrottlingTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory() => Configure(Settings);
    }
}

public sealed class PostgresLoginThrottlingTests(PostgresLoginThrottlingTests.Factory factory)
    : LoginThrottlingTests<PostgresLoginThrottlingTests.Factory>(factory), IClassFixture<PostgresLoginThrottlingTests.Factory>
{
    public sealed class Factory : PostgresFactory
    {
        public Factory() => Configure(Settings);
    }
}

/// <summary>The per-account lockout (stored in the database, so shared by every instance) and the device cookie.</summary>
public abstract class LoginThrottlingTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    protected static void Configure(Dictionary<string, string?> settings)
    {
        settings["Auth:MaxFailedLogins"] = "3";
        settings["Auth:LockoutDuration"] = "00:05:00";
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
    public async Task AStrangerCannotLockTheOwnerOutOfABrowserTheySignedInFromBefore()
    {
        var owner = await factory.RegisterAsync(); // the owner's browser now holds a device cookie
        var stranger = factory.CreateClient();
        for (var i = 0; i < 10; i++)
        {
            await stranger.PostAsJsonAsync("/api/auth/login", new { email = owner.Email, password = $"guess number {i}" });
        }

        var strangerAgain = await stranger.PostAsJsonAsync("/api/auth/login", new { email = owner.Email, password = owner.Password });
        var ownersNewBrowser = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = owner.Email, password = owner.Password });
        var ownersBrowser = await owner.Client.PostAsJsonAsync("/api/auth/login", new { email = owner.Email, password = owner.Password });

        await strangerAgain.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        await ownersNewBrowser.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, ownersBrowser.StatusCode);
    }

    [Fact]
    public async Task ATrustedBrowserThatKeepsGuessingLosesItsTrust()
    {
        var owner = await factory.RegisterAsync();
        for (var i = 0; i < 3; i++)
        {
            await owner.Client.PostAsJsonAsync("/api/auth/login", new { email = owner.Email, password = $"typo number {i}" });
        }

        // The device is locked; it now counts as an unknown client, whose attempts the account still allows.
        for (var i = 0; i < 3; i++)
        {
            await owner.Client.PostAsJsonAsync("/api/auth/login", new { email = owner.Email, password = $"another typo {i}" });
        }

        var response = await owner.Client.PostAsJsonAsync("/api/auth/login", new { email = owner.Email, password = owner.Password });

        await response.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task ADeviceCookieOfAnotherAccountEarnsNoTrust()
    {
        var victim = await factory.RegisterAsync();
        var attacker = await factory.RegisterAsync(); // a device cookie of the attacker's own account
        for (var i = 0; i < 5; i++)
        {
            await attacker.Client.PostAsJsonAsync("/api/auth/login", new { email = victim.Email, password = $"guess {i}" });
        }

        var response = await attacker.Client.PostAsJsonAsync("/api/auth/login", new { email = victim.Email, password = "guess 6" });

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

/// <summary>The per-address limiter lives in memory (per instance), so one database is enough.</summary>
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
