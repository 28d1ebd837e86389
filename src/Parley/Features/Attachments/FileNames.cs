using System.Text;

namespace Parley.Features.Attachments;

/// <summary>
/// The name a file is shown and downloaded under: the last part of what the client sent (no folders), without
/// control or bidirectional-override characters (which can make "gpj.exe" read as "exe.jpg"), at most
/// <see cref="Attachment.MaxNameLength"/> characters. An image's extension follows what it was stored as.
/// </summary>
public static class FileNames
{
    public static string Clean(string? name, string contentType)
    {
        var last = (name ?? "").Split('/', '\\').Last();
        var kept = new StringBuilder(last.Length);
        foreach (var rune in last.Normalize(NormalizationForm.FormC).EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is not (System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format
                or System.Globalization.UnicodeCategory.Surrogate or System.Globalization.UnicodeCategory.OtherNotAssigned))
            {
                kept.Append(rune.ToString());
            }
        }

        var cleaned = kept.ToString().Trim().Trim('.').Trim();
        var extension = ExtensionFor(contentType);
        if (cleaned.Length == 0)
        {
            cleaned = (contentType.StartsWith("image/", StringComparison.Ordinal) ? "image" : "document") + (extension ?? ".txt");
        }
        else if (extension is not null && !Path.GetExtension(cleaned).Equals(extension, StringComparison.OrdinalIgnoreCase) &&
                 !(extension == ".jpg" && Path.GetExtension(cleaned).Equals(".jpeg", StringComparison.OrdinalIgnoreCase)))
        {
            cleaned = Path.GetFileNameWithoutExtension(cleaned) + extension;
        }

        if (cleaned.Length > Attachment.MaxNameLength)
        {
            var ext = Path.GetExtension(cleaned);
            ext = ext.Length > 16 ? "" : ext;
            cleaned = cleaned[..(Attachment.MaxNameLength - ext.Length)] + ext;
        }

        return cleaned;
    }

    // Images are renamed to what they are stored as; documents keep their name (a .py file is text to us).
    private static string? ExtensionFor(string contentType) => contentType switch
    {
        FileTypes.Png => ".png",
        FileTypes.Jpeg => ".jpg",
        FileTypes.WebP => ".webp",
        FileTypes.Pdf => ".pdf",
        _ => null,
    };
}
