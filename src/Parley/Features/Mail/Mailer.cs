using System.Threading.Channels;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Parley.Features.Mail;

/// <summary>A mail to send: one recipient, a subject, and plain text (links are written out in full).</summary>
public sealed record OutgoingMail(string To, string Subject, string Text);

/// <summary>How a mail leaves Parley.</summary>
public interface IMailTransport
{
    Task SendAsync(MimeMessage message, CancellationToken ct);
}

/// <summary>
/// Composes a mail in a scope of its own, off the request: it may read the database (is there such a user?) and
/// answer null to send nothing.
/// </summary>
public delegate Task<OutgoingMail?> MailJob(IServiceProvider services, CancellationToken ct);

/// <summary>
/// Queues mail for <see cref="MailDelivery"/>, so a request never waits for (or is slowed by) the database lookups or
/// the mail server behind a mail: a reset asked for an unknown address answers exactly as fast as one for a known
/// address, and says nothing more. The queue is in memory; a mail lost with its process is asked for again by its user.
/// </summary>
public sealed class Mailer(MailMode mode, IOptions<MailOptions> options)
{
    private readonly Channel<MailJob> _queue = Channel.CreateBounded<MailJob>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Whether mail can be sent at all (a server is set, or Development writes mail to a folder).</summary>
    public bool Enabled => mode != MailMode.NotConfigured;

    public MailMode Mode => mode;

    internal ChannelReader<MailJob> Queue => _queue.Reader;

    /// <summary>Queues <paramref name="mail"/>; false when mail is off or the queue is full (the mail server is away).</summary>
    public bool Send(OutgoingMail mail) => Send((_, _) => Task.FromResult<OutgoingMail?>(mail));

    /// <summary>Queues a mail composed later, off the request.</summary>
    public bool Send(MailJob job) => Enabled && _queue.Writer.TryWrite(job);

    public MimeMessage ToMime(OutgoingMail mail)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Value.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Body = new TextPart("plain") { Text = mail.Text };
        return message;
    }
}

/// <summary>Composes and sends queued mail, each tried a few times over about two minutes while the server is away.</summary>
public sealed class MailDelivery(Mailer mailer, IMailTransport transport, IServiceScopeFactory scopes, ILogger<MailDelivery> logger) : BackgroundService
{
    private static readonly TimeSpan[] Retries = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var job in mailer.Queue.ReadAllAsync(stoppingToken))
            {
                OutgoingMail? mail;
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    mail = await job(scope.ServiceProvider, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "A mail could not be composed (the database may be away); it was dropped");
                    continue;
                }

                if (mail is not null)
                {
                    await DeliverAsync(mail, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(OutgoingMail mail, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await transport.SendAsync(mailer.ToMime(mail), ct);
                logger.LogInformation("Mail sent: {Subject}", mail.Subject);
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                if (attempt >= Retries.Length)
                {
                    logger.LogError(ex, "Mail could not be sent after {Attempts} attempts and was dropped: {Subject}", attempt + 1, mail.Subject);
                    return;
                }

                logger.LogWarning(ex, "Mail could not be sent ({Subject}); trying again in {Delay}", mail.Subject, Retries[attempt]);
                await Task.Delay(Retries[attempt], ct);
            }
        }
    }
}

/// <summary>Sends through an SMTP server with MailKit: a connection per mail (resets are rare).</summary>
public sealed class SmtpTransport(SmtpServer server, IOptions<MailOptions> options) : IMailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.Timeout);
        using var client = new SmtpClient { Timeout = (int)options.Value.Timeout.TotalMilliseconds };
        var security = server.Security switch
        {
            MailSecurity.StartTls => SecureSocketOptions.StartTls,
            MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
            MailSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.Auto,
        };
        await client.ConnectAsync(server.Host, server.Port, security, timeout.Token);
        if (server.Username is { } user)
        {
            await client.AuthenticateAsync(user, server.Password ?? "", timeout.Token);
        }

        await client.SendAsync(message, timeout.Token);
        await client.DisconnectAsync(quit: true, timeout.Token);
    }
}

/// <summary>Development without a server: each mail is written to a folder as a .eml file, and its text is logged.</summary>
public sealed class PickupTransport(string directory, ILogger<PickupTransport> logger) : IMailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}.eml");
        await message.WriteToAsync(path, ct);
        logger.LogInformation("Mail to {To} written to {Path} (no SMTP server is set):\n{Text}",
            message.To.ToString(), path, message.TextBody);
    }
}
