using Parley.Features.Mail;

namespace Parley.Tests.Features.Mail;

/// <summary>SMTP_URL and the Mail__* fields, merged as an operator would expect.</summary>
public sealed class SmtpSettingsTests
{
    [Theory]
    [InlineData("smtp://smtp.example.com", "smtp.example.com", 587, MailSecurity.Auto, null, null)]
    [InlineData("smtps://smtp.example.com", "smtp.example.com", 465, MailSecurity.Tls, null, null)]
    [InlineData("smtp://apikey:p%40ss%3Aword@smtp.example.com:2525", "smtp.example.com", 2525, MailSecurity.Auto, "apikey", "p@ss:word")]
    [InlineData("smtp://relay:25?security=none", "relay", 25, MailSecurity.None, null, null)]
    [InlineData("smtp://relay?security=StartTls", "relay", 587, MailSecurity.StartTls, null, null)]
    public void TheUrlSaysItAll(string url, string host, int port, MailSecurity security, string? user, string? password) =>
        Assert.Equal(new SmtpServer(host, port, security, user, password), SmtpServer.From(new MailOptions { Url = url }));

    [Fact]
    public void FieldsWinOverTheUrl() =>
        Assert.Equal(new SmtpServer("other", 465, MailSecurity.Tls, "me", "secret"),
            SmtpServer.From(new MailOptions { Url = "smtp://a:b@relay:25", Host = "other", Security = MailSecurity.Tls, Port = 465, Username = "me", Password = "secret" }));

    [Fact]
    public void NoServerMeansNone() => Assert.Null(SmtpServer.From(new MailOptions()));

    [Theory]
    [InlineData("http://smtp.example.com")]
    [InlineData("smtp.example.com:587")]
    [InlineData("smtp://relay?security=ssl3")]
    public void ABadUrlSaysWhatItShouldLookLike(string url)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SmtpServer.From(new MailOptions { Url = url }));
        Assert.Contains("SMTP_URL", error.Message);
    }
}
