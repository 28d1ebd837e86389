using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Parley.Data;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Auth;

public abstract class AccountHardeningTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    [Theory]
    [InlineData("password")]
    [InlineData("12345678")]
    [InlineData("P@ssw0rd!")]
    [InlineData("qwertyuiop")]
    [InlineData("        ")]
    [InlineData("aaaaaaaaaaaa")]
    public async Task GuessablePasswordsAreRefusedWithAReasonAPersonUnderstands(string password)
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/register",
            new { email = $"weak-{Guid.NewGuid():N}@example.com", password });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var message = problem.Raw.GetProperty("errors").GetProperty("password")[0].GetString()!;
        Assert.DoesNotContain("field", message, StringComparison.OrdinalIgnoreCase); // not framework wording
        Assert.Matches("guess|common", message);
    }

    [Fact]
    public async Task EightSpacesAreEightCharactersNotAMissingPassword()
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/auth/register",
            new { email = $"spaces-{Guid.NewGuid():N}@example.com", password = "        " });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.DoesNotContain("required", problem.Raw.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PasswordsAreTakenAsTypedWithNothingTrimmed()
    {
        var user = await factory.RegisterAsync(password: "  violet tractor umbrella  ");

        var login = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "violet tractor umbrella" });

        await login.ShouldBeProblemAsync(HttpStatusCode.Unauthorized); // nothing was trimmed: the spaces are part of it
    }

    [Fact]
    public async Task ADeletedUsersTokenGets401Everywhere()
    {
        var user = await factory.RegisterAsync();
        var chat = await user.CreateChatAsync();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Users.Where(u => u.Id == user.Session.User.Id).ExecuteDeleteAsync();
        }

        var responses = new[]
        {
            await user.Client.GetAsync("/api/auth/me"),
            await user.Client.GetAsync("/api/chats"),
            await user.Client.PostAsJsonAsync("/api/chats", new { title = "x" }),
            await user.Client.PostAsJsonAsync($"/api/chats/{chat.Id}/messages", new { content = "hi" }),
            await user.Client.GetAsync("/api/usage"),
            await user.Client.GetAsync("/api/billing"),
            await user.Client.PostAsJsonAsync("/api/billing/checkout", new { returnPath = "/" }),
        };

        foreach (var response in responses)
        {
            await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task ATokenWhoseSubjectIsNotAUserIdGets401()
    {
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "parley",
            Audience = "parley",
            Expires = factory.Time.GetUtcNow().AddMinutes(5).UtcDateTime,
            NotBefore = factory.Time.GetUtcNow().AddMinutes(-1).UtcDateTime,
            IssuedAt = factory.Time.GetUtcNow().AddMinutes(-1).UtcDateTime,
            Subject = new ClaimsIdentity([new Claim("sub", "admin")]),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(ParleyFactory.SecretKey)), SecurityAlgorithms.HmacSha256),
        });
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        await (await client.GetAsync("/api/chats")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.GetAsync("/api/auth/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}

public sealed class SqliteAccountHardeningTests(SqliteFactory factory)
    : AccountHardeningTests<SqliteFactory>(factory), IClassFixture<SqliteFactory>;

public sealed class PostgresAccountHardeningTests(PostgresFactory factory)
    : AccountHardeningTests<PostgresFactory>(factory), IClassFixture<PostgresFactory>;

[CollectionDefinition(nameof(TimingCollection), DisableParallelization = true)]
public sealed class TimingCollection;

[Collection(nameof(TimingCollection))]
public sealed class SqliteLoginTimingTests(SqliteLoginTimingTests.Factory factory)
    : LoginTimingTests<SqliteLoginTimingTests.Factory>(factory), IClassFixture<SqliteLoginTimingTests.Factory>
{
    public sealed class Factory : SqliteFactory
    {
        public Factory() => LoginTimingTests<Factory>.Configure(this);
    }
}

[Collection(nameof(TimingCollection))]
public sealed class PostgresLoginTimingTests(PostgresLoginTimingTests.Factory factory)
    : LoginTimingTests<PostgresLoginTimingTests.Factory>(factory), IClassFixture<PostgresLoginTimingTests.Factory>
{
    public sealed class Factory : PostgresFactory
    {
        public Factory() => LoginTimingTests<Factory>.Configure(this);
    }
}

/// <summary>
/// Sign-in must not tell registered emails apart by time. Run alone (no parallel tests) at a realistic bcrypt cost,
/// with unknown-email and wrong-password attempts interleaved; a systematic difference (like the decoy hash being
/// recomputed per request, which doubled the unknown-email time) fails every round, noise does not.
/// </summary>
public abstract class LoginTimingTests<TFactory>(TFactory factory) where TFactory : ParleyFactory
{
    internal static void Configure(ParleyFactory factory)
    {
        factory.Settings["Auth:BcryptWorkFactor"] = "10";
        factory.Settings["Auth:MaxFailedLogins"] = "1000";
    }

    [Fact]
    public async Task UnknownEmailAndWrongPasswordTakeTheSameTime()
    {
        var user = await factory.RegisterAsync();
        var client = factory.CreateClient();
        async Task<double> TimeLoginAsync(string email)
        {
            var watch = Stopwatch.StartNew();
            var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password = "not the password at all" });
            watch.Stop();
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            return watch.Elapsed.TotalMilliseconds;
        }

        await TimeLoginAsync(user.Email); // warm-up: JIT, connection pool
        await TimeLoginAsync($"nobody-{Guid.NewGuid():N}@example.com");
        var ratios = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            var known = new List<double>();
            var unknown = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                known.Add(await TimeLoginAsync(user.Email));
                unknown.Add(await TimeLoginAsync($"nobody-{Guid.NewGuid():N}@example.com"));
            }

            var ratio = Median(unknown) / Median(known);
            ratios.Add(ratio);
            if (Math.Abs(ratio - 1) <= 0.10)
            {
                return;
            }
        }

        Assert.Fail($"Unknown-email sign-ins took {string.Join(", ", ratios.Select(r => r.ToString("0.00")))} times as long as wrong-password ones.");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[sorted.Count / 2] + sorted[(sorted.Count - 1) / 2]) / 2;
    }
}
