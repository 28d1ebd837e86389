namespace Parley.Features.Attachments;

/// <summary>
/// An uploaded file. <c>Url</c> and <c>ThumbnailUrl</c> are signed and work without a token (for <c>img</c> tags)
/// until <c>UrlsExpireAt</c>; ask for the attachment again for fresh ones. <c>Sent</c>: part of a sent message.
/// </summary>
public sealed record AttachmentResponse(
    Guid Id, AttachmentKind Kind, string FileName, string ContentType, long Size, int? Width, int? Height, bool Sent,
    DateTimeOffset CreatedAt, string Url, string? ThumbnailUrl, DateTimeOffset UrlsExpireAt);

/// <summary>Bytes the user's files take, and what their plan allows.</summary>
public sealed record StorageResponse(long UsedBytes, long LimitBytes);
