using System.Net;
using System.Net.Http.Json;
using Parley.Features.Account;
using Parley.Features.Auth;
using Parley.Tests.Features.Auth;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Account;

public sealed class SqliteEmailChangeTests(SqlitePasswordResetTests.Factory factory)
    : EmailChangeTests<SqlitePasswordResetTests.Factory>(factory), IClassFixture<SqlitePasswordResetTests.Factory>;

public sealed class PostgresEmailChangeTests(PostgresPasswordResetTests.Factory factory)
    : EmailChangeTests<PostgresPasswordResetTests.Factory>(factory), IClassFixture<PostgresPasswordResetTests.Factory>;

/// <summary>Changing the sign-in email: password first, then a link mailed to the new address (a real SMTP server on loopback).</summary>
public abstract class EmailChangeTests<TFactory>(TFactory factory) where TFactory : ParleyFactory, IMailFactory
{
    private static string NewAddress() => $"new-{Guid.NewGuid():N}@example.com";

    private static Task<HttpResponseMessage> ChangeAsync(TestUser user, string newEmail, string? password = null) =>
        user.Client.PostAsJsonAsync("/api/account/email", new { newEmail, password = password ?? user.Password });

    private Task<HttpResponseMessage> ConfirmAsync(string token) =>
        factory.CreateClient().PostAsJsonAsync("/api/account/email/confirm", new { token });

    private async Task<HttpStatusCode> LoginAsync(string email, string password) =>
        (await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password })).StatusCode;

    [Fact]
    public async Task TheNewAddressSignsInOnceItsLinkIsOpenedAndTheOldOneIsTold()
    {
        var user = await factory.RegisterAsync();
        var address = NewAddress();

        var asked = await ChangeAsync(user, address);

        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        Assert.Equal(new EmailResponse(user.Email, address), await asked.ReadAsync<EmailResponse>());
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(user.Email, user.Password)); // nothing changed yet
        var notice = await factory.Smtp.WaitForAsync(user.Email);
        Assert.Contains(address, notice.TextBody);
        var token = MailTestSettings.TokenIn(await factory.Smtp.WaitForAsync(address), "confirm-email");

        var confirmed = await ConfirmAsync(token);

        Assert.Equal(new EmailResponse(address), await confirmed.ReadAsync<EmailResponse>());
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(address.ToUpperInvariant(), user.Password));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync(user.Email, user.Password));
        Assert.Equal(address, (await user.Client.GetFromJsonAsync<UserResponse>("/api/auth/me", ApiJson.Options))!.Email);
        var again = await ConfirmAsync(token);
        await again.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AWrongPasswordChangesNothingAndMailsNothing()
    {
        var user = await factory.RegisterAsync();
        var address = NewAddress();

        var refused = await ChangeAsync(user, address, "not my password");

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.Raw.GetProperty("errors").TryGetProperty("password", out _));
        await Task.Delay(300);
        Assert.Equal(0, factory.Smtp.CountTo(address));
    }

    [Fact]
    public async Task AnAddressAnotherAccountUsesIsRefusedEvenIfTakenAfterTheLinkWasSent()
    {
        var user = await factory.RegisterAsync();
        var other = await factory.RegisterAsync();
        await (await ChangeAsync(user, other.Email)).ShouldBeProblemAsync(HttpStatusCode.Conflict, ProblemTypes.EmailTaken, "Another account");

        var address = NewAddress();
        await ChangeAsync(user, address);
        var token = MailTestSettings.TokenIn(await factory.Smtp.WaitForAsync(address), "confirm-email");
        await factory.RegisterAsync(address); // someone signs up with it before the link is opened

        await (await ConfirmAsync(token)).ShouldBeProblemAsync(HttpStatusCode.Conflict, ProblemTypes.EmailTaken, "Another account");
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(user.Email, user.Password));
    }
}

/// <summary>Without mail there is no link to send: the email changes at once, after the password.</summary>
public sealed class EmailChangeWithoutMailTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task TheEmailChangesAtOnce()
    {
        var user = await factory.RegisterAsync();
        var address = $"new-{Guid.NewGuid():N}@example.com";

        var changed = await user.Client.PostAsJsonAsync("/api/account/email", new { newEmail = address, password = user.Password });

        Assert.Equal(new EmailResponse(address), await changed.ReadAsync<EmailResponse>());
        var login = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = address, password = user.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }
}
