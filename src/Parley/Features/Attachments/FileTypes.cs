using System.Text;

namespace Parley.Features.Attachments;

/// <summary>What a file is, decided from its bytes.</summary>
public sealed record FileType(AttachmentKind Kind, string ContentType);

/// <summary>Why a file is not taken, in words for its user.</summary>
public sealed class FileRefusedException(string message, bool unsupportedType = false) : Exception(message)
{
    /// <summary>The type is not allowed (415), rather than the file being broken or over a limit (400/413).</summary>
    public bool UnsupportedType { get; } = unsupportedType;
}

/// <summary>
/// The type of an upload from its content alone (magic bytes), never its name or the client's Content-Type: a
/// renamed program is a program. Images (PNG, JPEG, WebP, GIF), PDFs and UTF-8 text are taken; markup a browser
/// would run (HTML, SVG, XML), programs and scripts are refused, and so is any other binary.
/// </summary>
public static class FileTypes
{
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string WebP = "image/webp";
    public const string Gif = "image/gif";
    public const string Pdf = "application/pdf";
    public const string Text = "text/plain";

    /// <summary>How much of the start of a file <see cref="Detect"/> needs.</summary>
    public const int HeadLength = 1024;

    private const string Allowed = "Attach images (PNG, JPEG, WebP, GIF), PDFs or text files (text, Markdown, code, CSV, JSON).";

    /// <summary>The type, from the file's first bytes; text is confirmed by <see cref="CheckText"/> over the whole file.</summary>
    public static FileType Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(PngMagic))
        {
            return new(AttachmentKind.Image, Png);
        }

        if (head.StartsWith(JpegMagic))
        {
            return new(AttachmentKind.Image, Jpeg);
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return new(AttachmentKind.Image, Gif);
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return new(AttachmentKind.Image, WebP);
        }

        if (head.StartsWith("%PDF-"u8))
        {
            return new(AttachmentKind.Document, Pdf);
        }

        if (IsProgram(head))
        {
            throw new FileRefusedException("Programs and scripts can't be attached. " + Allowed, unsupportedType: true);
        }

        if (head.IsEmpty)
        {
            throw new FileRefusedException("The file is empty.");
        }

        if (head.Contains((byte)0) || !LooksLikeUtf8(head))
        {
            throw new FileRefusedException("This type of file can't be attached. " + Allowed, unsupportedType: true);
        }

        if (IsMarkup(head))
        {
            throw new FileRefusedException("Web pages, SVG and XML files can't be attached. " + Allowed, unsupportedType: true);
        }

        return new(AttachmentKind.Document, Text);
    }

    /// <summary>Reads a text file through: valid UTF-8 with no NUL byte, or refused. Returns its text.</summary>
    public static async Task<string> CheckTextAsync(Stream content, CancellationToken ct)
    {
        using var reader = new StreamReader(content, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false);
        string text;
        try
        {
            text = await reader.ReadToEndAsync(ct);
        }
        catch (DecoderFallbackException)
        {
            throw new FileRefusedException("The file is not text in UTF-8. " + Allowed, unsupportedType: true);
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new FileRefusedException("This type of file can't be attached. " + Allowed, unsupportedType: true);
        }

        return text.StartsWith('\uFEFF') ? text[1..] : text;
    }

    private static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] JpegMagic = [0xFF, 0xD8, 0xFF];

    // ELF, Mach-O (both byte orders, 32 and 64 bit, universal), WebAssembly; a PE's "MZ" with binary after it; "#!".
    private static readonly byte[][] ProgramMagic =
        [[0x7F, 0x45, 0x4C, 0x46], [0xCA, 0xFE, 0xBA, 0xBE], [0xFE, 0xED, 0xFA, 0xCE], [0xFE, 0xED, 0xFA, 0xCF], [0xCE, 0xFA, 0xED, 0xFE], [0xCF, 0xFA, 0xED, 0xFE], [0x00, 0x61, 0x73, 0x6D]];

    private static bool IsProgram(ReadOnlySpan<byte> head)
    {
        foreach (var magic in ProgramMagic)
        {
            if (head.StartsWith(magic))
            {
                return true;
            }
        }

        return (head.StartsWith("MZ"u8) && head.Contains((byte)0)) || head.StartsWith("#!"u8);
    }

    // A web page or an SVG/XML document, after a BOM and white space. Text that merely holds tags (a Markdown
    // README opening with <p align="center">) is text: documents are only ever served as text/plain, nosniff.
    private static readonly string[] MarkupStarts = ["<!doctype html", "<!doctype svg", "<html", "<head", "<body", "<script", "<iframe", "<svg", "<?xml"];

    private static bool IsMarkup(ReadOnlySpan<byte> head)
    {
        var text = Encoding.UTF8.GetString(head).TrimStart('\uFEFF').TrimStart();
        return MarkupStarts.Any(m => text.StartsWith(m, StringComparison.OrdinalIgnoreCase));
    }

    // The head may end inside a character: only a complete invalid sequence counts.
    private static bool LooksLikeUtf8(ReadOnlySpan<byte> head)
    {
        var status = System.Text.Unicode.Utf8.ToUtf16(head, new char[head.Length], out var read, out _, replaceInvalidSequences: false, isFinalBlock: false);
        return status is System.Buffers.OperationStatus.Done or System.Buffers.OperationStatus.NeedMoreData && read >= head.Length - 3;
    }
}
