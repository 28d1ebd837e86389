using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Parley.Features.Auth;

namespace Parley.Features.Attachments;

/// <summary>
/// Short-lived links to a file for its owner, so an <c>img</c> tag can show it without the access token (which a
/// URL must never carry). The signature (HMAC-SHA256 with a key derived from SECRET_KEY) covers the attachment, the
/// variant and the expiry; they are handed out only with the attachment, to its owner, and last as long as an access
/// token. A link that is wrong or expired answers 404, like an attachment of someone else.
/// </summary>
public sealed class AttachmentUrls(IOptions<AuthOptions> auth, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(auth.Value.SecretKey ?? ""), 32,
        info: "parley attachment links"u8.ToArray());

    public enum Variant
    {
        Content,
        Thumbnail,

        /// <summary>A data export's zip (Account/DataExports): the same signed links, for a download the browser does itself.</summary>
        Export,
    }

    /// <summary>The links for one attachment, and when they stop working.</summary>
    public (string Url, string? ThumbnailUrl, DateTimeOffset ExpiresAt) For(Attachment attachment)
    {
        // Rounded up to the minute: links made within a minute are the same, so a browser's cache can reuse the image.
        var now = time.GetUtcNow();
        var expires = DateTimeOffset.FromUnixTimeSeconds(((now + Lifetime).ToUnixTimeSeconds() / 60 + 1) * 60);
        return (Link(attachment.Id, Variant.Content, expires), attachment.HasThumbnail ? Link(attachment.Id, Variant.Thumbnail, expires) : null, expires);
    }

    /// <summary>A link to download an export, for its owner.</summary>
    public (string Url, DateTimeOffset ExpiresAt) ForExport(Guid exportId)
    {
        var expires = DateTimeOffset.FromUnixTimeSeconds(((time.GetUtcNow() + Lifetime).ToUnixTimeSeconds() / 60 + 1) * 60);
        return (Link(exportId, Variant.Export, expires), expires);
    }

    public bool IsValid(Guid id, Variant variant, long? expires, string? signature)
    {
        if (expires is not { } at || signature is null || DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(at, 0, 253402300799)) <= time.GetUtcNow())
        {
            return false;
        }

        byte[] given;
        try
        {
            given = WebEncoders.Base64UrlDecode(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, Sign(id, variant, at));
    }

    private string Link(Guid id, Variant variant, DateTimeOffset expires)
    {
        var at = expires.ToUnixTimeSeconds();
        var path = variant switch
        {
            Variant.Content => $"/api/attachments/{id}/content",
            Variant.Thumbnail => $"/api/attachments/{id}/thumbnail",
            _ => $"/api/account/exports/{id}/download",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{path}?expires={at}&signature={WebEncoders.Base64UrlEncode(Sign(id, variant, at))}");
    }

    private byte[] Sign(Guid id, Variant variant, long expires) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id:N}/{variant}/{expires}")));
}
