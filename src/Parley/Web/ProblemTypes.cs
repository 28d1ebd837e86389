namespace Parley.Web;

/// <summary>
/// Problem <c>type</c> URIs. The UI branches on these, never on message text, so they are part of the API contract.
/// </summary>
public static class ProblemTypes
{
    private const string Prefix = "https://parley.chat/problems/";
    public const string QuotaExceeded = Prefix + "quota-exceeded";
    public const string BotUnavailable = Prefix + "bot-unavailable";
    /// <summary>In a reply stream: the instance generating it went away; the reply is kept as interrupted.</summary>
    public const string ReplyInterrupted = Prefix + "reply-interrupted";
    public const string InvalidCredentials = Prefix + "invalid-credentials";
    public const string LoginThrottled = Prefix + "login-throttled";
    public const string RateLimited = Prefix + "rate-limited";
    public const string EmailTaken = Prefix + "email-taken";
    public const string SessionExpired = Prefix + "session-expired";
    public const string NotFound = Prefix + "not-found";
    public const string PayloadTooLarge = Prefix + "payload-too-large";
    public const string BadRequest = Prefix + "bad-request";
    /// <summary>The request is valid but the thing it acts on is not in a state that allows it (nothing to stop, retry…).</summary>
    public const string Conflict = Prefix + "conflict";
    public const string Unauthorized = Prefix + "unauthorized";
    public const string Validation = Prefix + "validation";
    public const string ServerError = Prefix + "server-error";
    /// <summary>The database is unreachable for now; Retry-After says when to try again.</summary>
    public const string DatabaseUnavailable = Prefix + "database-unavailable";
    /// <summary>This instance is shutting down and starts no reply; a balancer sends the retry elsewhere.</summary>
    public const string ShuttingDown = Prefix + "shutting-down";
    public const string AlreadyPremium = Prefix + "already-premium";
    public const string NoSubscription = Prefix + "no-subscription";
    public const string PaymentsUnavailable = Prefix + "payments-unavailable";
    public const string PaymentsNotConfigured = Prefix + "payments-not-configured";
    public const string AlreadySubscribed = Prefix + "already-subscribed";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
    /// <summary>An upload of an allowed type that can't be read: damaged, cut short, or over a limit of pixels, pages or time.</summary>
    public const string FileUnreadable = Prefix + "file-unreadable";
    /// <summary>The user's files would take more room than their plan allows.</summary>
    public const string StorageFull = Prefix + "storage-full";
    /// <summary>The file store could not be written; nothing was kept. Retry-After says when to try again.</summary>
    public const string StorageUnavailable = Prefix + "storage-unavailable";
    /// <summary>A file attached to a message being sent was removed or already sent: attach it again.</summary>
    public const string AttachmentGone = Prefix + "attachment-gone";
    /// <summary>Images were attached, but the plan's model does not accept them.</summary>
    public const string ImagesNotSupported = Prefix + "images-not-supported";
    /// <summary>The server has no way to send mail, so what needs a mailed link (a password reset) is not offered.</summary>
    public const string MailUnavailable = Prefix + "mail-unavailable";
    /// <summary>Signed in, but not allowed here (the admin area is for admins).</summary>
    public const string Forbidden = Prefix + "forbidden";
    /// <summary>The account was disabled by an admin: it can't sign in.</summary>
    public const string AccountDisabled = Prefix + "account-disabled";
    /// <summary>A model only Premium users may choose.</summary>
    public const string PremiumModel = Prefix + "premium-model";
}
