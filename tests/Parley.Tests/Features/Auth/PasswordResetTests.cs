using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MimeKit;
using Parley.Features.Auth;
using Parley.Tests.Infrastructure;
using Parley.Web;

namespace Parley.Tests.Features.Auth;

public sealed class SqlitePasswordResetTests(SqlitePasswordResetTests.Factory factory)
    : PasswordResetTests<SqlitePasswordResetTests.Factory>(factory), IClassFixture<SqlitePasswordResetTests.Factory>
{
    public sealed class Factory : SqliteFactory, IMailFactory
    {
        public Factory() => MailTestSettings.Apply(Settings, Smtp);

        public SmtpSink Smtp { get; } = new();

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Smtp.DisposeAsync();
        }
    }
}

public sealed class PostgresPasswordResetTests(PostgresPasswordResetTests.Factory factory)
    : PasswordResetTests<PostgresPasswordResetTests.Factory>(factory), IClassFixture<PostgresPasswordResetTests.Factory>
{
    public sealed class Factory : PostgresFactory, IMailFactory
    {
        public Factory() => MailTestSettings.Apply(Settings, Smtp);

        public SmtpSink Smtp { get; } = new();

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Smtp.DisposeAsync();
        }
    }
}

public interface IMailFactory
{
    SmtpSink Smtp { get; }
}

internal static partial class MailTestSettings
{
    public const string BaseUrl = "https://parley.example.com";

    public static void Apply(Dictionary<string, string?> settings, SmtpSink smtp)
    {
        settings["Mail:Url"] = $"smtp://127.0.0.1:{smtp.Port}?security=none";
        settings["Mail:From"] = "Parley <no-reply@parley.example.com>";
        settings["Billing:PublicBaseUrl"] = BaseUrl;
    }

    /// <summary>The token of the link in a mail: what the user's click would carry to the page.</summary>
    public static string TokenIn(MimeMessage mail, string page)
    {
        var match = LinkPattern().Match(mail.TextBody ?? "");
        Assert.True(match.Success, $"No link in: {mail.TextBody}");
        Assert.Equal($"{BaseUrl}/{page}", match.Groups["page"].Value);
        return match.Groups["token"].Value;
    }

    [GeneratedRegex(@"(?<page>https://\S+?)#token=(?<token>[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();
}

/// <summary>
/// "Forgot password" through a real SMTP server on loopback: the link is read from the delivered mail. Single use,
/// 30 minutes, the newest link only, the same answer for every address, and every session signed out afterwards.
/// </summary>
public abstract class PasswordResetTests<TFactory>(TFactory factory) where TFactory : ParleyFactory, IMailFactory
{
    private const string NewPassword = "a completely new passphrase 2026";

    private SmtpSink Smtp => factory.Smtp;

    private Task<HttpResponseMessage> AskAsync(string email) =>
        factory.CreateClient().PostAsJsonAsync("/api/auth/password-reset", new { email });

    private Task<HttpResponseMessage> ConfirmAsync(string token, string newPassword = NewPassword) =>
        factory.CreateClient().PostAsJsonAsync("/api/auth/password-reset/confirm", new { token, newPassword });

    private async Task<HttpStatusCode> LoginAsync(string email, string password) =>
        (await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password })).StatusCode;

    private async Task<string> MailedTokenAsync(TestUser user, int nth = 1)
    {
        var mail = await Smtp.WaitForAsync(user.Email, _ => Smtp.CountTo(user.Email) >= nth);
        var mails = Smtp.Messages.Where(m => m.To.Mailboxes.Any(b => b.Address == user.Email)).ToList();
        return MailTestSettings.TokenIn(mails[nth - 1], "reset-password");
    }

    [Fact]
    public async Task TheMailedLinkSetsANewPasswordOnceAndSignsOutEverySession()
    {
        var user = await factory.RegisterAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await AskAsync(user.Email.ToUpperInvariant())).StatusCode);

        var mail = await Smtp.WaitForAsync(user.Email);
        Assert.Equal("Reset your Parley password", mail.Subject);
        Assert.Equal("no-reply@parley.example.com", mail.From.Mailboxes.Single().Address);
        var token = MailTestSettings.TokenIn(mail, "reset-password");

        Assert.Equal(HttpStatusCode.NoContent, (await ConfirmAsync(token)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await user.Client.GetAsync("/api/auth/me")).StatusCode); // signed out at once
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync(user.Email, user.Password));
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(user.Email, NewPassword));

        var again = await ConfirmAsync(token, "yet another passphrase 2027");
        var problem = await again.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("expired or was already used", problem.Raw.GetProperty("errors").GetProperty("token")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(user.Email, NewPassword));
    }

    [Fact]
    public async Task AnAddressWithoutAnAccountGetsTheSameAnswerAndNoMail()
    {
        var stranger = $"nobody-{Guid.NewGuid():N}@example.com";
        var user = await factory.RegisterAsync();

        var unknown = await AskAsync(stranger);
        var known = await AskAsync(user.Email);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (unknown.StatusCode, known.StatusCode));
        Assert.Equal(await known.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        await Smtp.WaitForAsync(user.Email); // mail is composed in order: the stranger's turn has passed
        Assert.Equal(0, Smtp.CountTo(stranger));
    }

    [Fact]
    public async Task AnExpiredLinkChangesNothing()
    {
        var user = await factory.RegisterAsync();
        await AskAsync(user.Email);
        var token = await MailedTokenAsync(user);

        factory.Time.Advance(AccountTokens.ResetLifetime + TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.BadRequest, (await ConfirmAsync(token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(user.Email, user.Password));
    }

    [Fact]
    public async Task AWeakPasswordIsRefusedAndTheLinkStillWorks()
    {
        var user = await factory.RegisterAsync();
        await AskAsync(user.Email);
        var token = await MailedTokenAsync(user);

        var weak = await ConfirmAsync(token, "password");

        var problem = await weak.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.Raw.GetProperty("errors").TryGetProperty("newPassword", out _));
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(user.Email, user.Password));
        Assert.Equal(HttpStatusCode.NoContent, (await ConfirmAsync(token)).StatusCode);
    }

    [Fact]
    public async Task OnlyTheNewestLinkWorksAndAskingAgainAtOnceSendsNoSecondMail()
    {
        var user = await factory.RegisterAsync();
        await AskAsync(user.Email);
        var first = await MailedTokenAsync(user);
        await AskAsync(user.Email); // within a minute: no second mail
        factory.Time.Advance(AccountTokens.Spacing + TimeSpan.FromSeconds(1));
        await AskAsync(user.Email);
        var second = await MailedTokenAsync(user, nth: 2);

        Assert.Equal(2, Smtp.CountTo(user.Email));
        Assert.Equal(HttpStatusCode.BadRequest, (await ConfirmAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ConfirmAsync(second)).StatusCode);
    }

    [Fact]
    public async Task AMailServerThatIsAwayIsTriedAgain()
    {
        var user = await factory.RegisterAsync();
        Smtp.Refusing = true;
        try
        {
            Assert.Equal(HttpStatusCode.Accepted, (await AskAsync(user.Email)).StatusCode); // the answer does not wait for mail
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal(0, Smtp.CountTo(user.Email));
        }
        finally
        {
            Smtp.Refusing = false;
        }

        var token = await MailedTokenAsync(user); // the next attempt, seconds later
        Assert.Equal(HttpStatusCode.NoContent, (await ConfirmAsync(token)).StatusCode);
    }

    [Fact]
    public async Task TheSignInPageIsToldAResetCanBeAskedFor() =>
        Assert.True((await factory.CreateClient().GetFromJsonAsync<AuthFeaturesResponse>("/api/auth/features", ApiJson.Options))!.PasswordReset);
}

/// <summary>A server that cannot send mail does not pretend to: the page hides the link and asking is refused.</summary>
public sealed class PasswordResetWithoutMailTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task ResetIsNotOfferedAndAskingSaysWhy()
    {
        var client = factory.CreateClient();
        Assert.False((await client.GetFromJsonAsync<AuthFeaturesResponse>("/api/auth/features", ApiJson.Options))!.PasswordReset);

        var asked = await client.PostAsJsonAsync("/api/auth/password-reset", new { email = "someone@example.com" });

        await asked.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, ProblemTypes.MailUnavailable, "cannot send mail");
    }
}
