using System.ComponentModel.DataAnnotations;

namespace Parley.Features.Mail;

/// <summary>How a connection to the SMTP server is secured.</summary>
public enum MailSecurity
{
    /// <summary>TLS from the first byte on port 465, STARTTLS wherever the server offers it otherwise.</summary>
    Auto,

    /// <summary>STARTTLS, required.</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS, "SMTPS").</summary>
    Tls,

    /// <summary>Plain text: only for a relay on the same machine or a test server.</summary>
    None,
}

/// <summary>
/// Outgoing mail (password resets, email confirmations). <c>SMTP_URL</c> sets the server in one line
/// (<c>smtp://user:password@host:587</c>, <c>smtps://…:465</c> for TLS from the first byte); the <c>Mail__*</c> settings
/// set it field by field and win over it. Without a server, Development writes each mail to
/// <see cref="PickupDirectory"/> and logs its link; elsewhere mail is off, and the UI does not offer what needs it.
/// </summary>
public sealed class MailOptions
{
    public const string SectionName = "Mail";

    /// <summary><c>SMTP_URL</c>: smtp://[user[:password]@]host[:port][?security=starttls|tls|none].</summary>
    public string? Url { get; set; }

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int? Port { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public MailSecurity? Security { get; set; }

    /// <summary>The sender: <c>Parley &lt;no-reply@example.com&gt;</c>.</summary>
    [MaxLength(320)]
    public string From { get; set; } = "Parley <no-reply@parley.localhost>";

    /// <summary>Where mails are written as .eml files when no server is set (Development's default: ./parley-mail).</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>How long one delivery may take (connect, authenticate, send) before it is tried again later.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Where mail goes, as decided once at start-up from <see cref="MailOptions"/>.</summary>
public enum MailMode
{
    NotConfigured,
    Pickup,
    Smtp,
}

/// <summary>The SMTP server to use, with <c>SMTP_URL</c> and the <c>Mail__*</c> fields merged.</summary>
public sealed record SmtpServer(string Host, int Port, MailSecurity Security, string? Username, string? Password)
{
    /// <summary>Reads <see cref="MailOptions"/>; null when no server is set. Throws with a clear message for a bad URL.</summary>
    public static SmtpServer? From(MailOptions options)
    {
        string? host = null, user = null, password = null;
        int? port = null;
        MailSecurity? security = null;
        if (!string.IsNullOrWhiteSpace(options.Url))
        {
            if (!Uri.TryCreate(options.Url.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("smtp" or "smtps") || url.Host.Length == 0)
            {
                throw new InvalidOperationException(
                    "SMTP_URL must look like smtp://user:password@host:587 (or smtps://… for TLS from the first byte).");
            }

            host = url.Host;
            port = url.IsDefaultPort ? null : url.Port;
            var credentials = url.UserInfo.Split(':', 2);
            user = credentials[0].Length > 0 ? Uri.UnescapeDataString(credentials[0]) : null;
            password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : null;
            security = url.Scheme == "smtps" ? MailSecurity.Tls : null;
            var query = System.Web.HttpUtility.ParseQueryString(url.Query);
            if (query["security"] is { } named)
            {
                security = Enum.TryParse<MailSecurity>(named, ignoreCase: true, out var parsed)
                    ? parsed
                    : throw new InvalidOperationException("SMTP_URL's security must be starttls, tls or none.");
            }
        }

        host = string.IsNullOrWhiteSpace(options.Host) ? host : options.Host.Trim();
        if (host is null)
        {
            return null;
        }

        security = options.Security ?? security ?? MailSecurity.Auto;
        port = options.Port ?? port ?? (security == MailSecurity.Tls ? 465 : 587);
        return new SmtpServer(host, port.Value, security.Value, options.Username ?? user, options.Password ?? password);
    }
}
