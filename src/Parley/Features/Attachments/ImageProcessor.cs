using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Parley.Features.Attachments;

/// <summary>An image as stored: re-encoded pixels (no EXIF, GPS, XMP or camera profile left) and a small thumbnail.</summary>
public sealed record ProcessedImage(byte[] Content, string ContentType, int Width, int Height, byte[] Thumbnail);

/// <summary>
/// Decodes an upload and encodes its pixels again, which is what removes its metadata: nothing of the original file
/// is copied. The size is read from the header first, so an image that would decode to more than
/// <see cref="AttachmentOptions.MaxImagePixels"/> is refused before any memory is taken for it. The camera's
/// orientation is applied to the pixels (it lived in the EXIF being dropped), colours are converted to sRGB (the
/// camera's profile goes; Skia tags its output with the standard sRGB one), and a GIF keeps its first frame, as a PNG. Few decodes run at once: each may hold a few hundred MB.
/// </summary>
public sealed class ImageProcessor(IOptions<AttachmentOptions> options)
{
    public const int ThumbnailSize = 384;

    private static readonly SemaphoreSlim Decoding = new(Math.Max(1, Environment.ProcessorCount));

    public async Task<ProcessedImage> ProcessAsync(Stream content, string contentType, CancellationToken ct)
    {
        await Decoding.WaitAsync(ct);
        try
        {
            return Process(content, contentType);
        }
        finally
        {
            Decoding.Release();
        }
    }

    public const int AvatarSize = 256;

    /// <summary>A profile picture: decoded (within the same pixel limit), turned upright, cropped to the centre square,
    /// resized to <see cref="AvatarSize"/> and written as WebP, so nothing of the original file (EXIF, GPS) is kept.</summary>
    public async Task<byte[]> AvatarAsync(Stream content, string contentType, CancellationToken ct)
    {
        await Decoding.WaitAsync(ct);
        try
        {
            using var upright = Decode(content, contentType);
            var side = Math.Min(upright.Width, upright.Height);
            var size = Math.Min(AvatarSize, side);
            using var square = new SKBitmap(upright.Info.WithSize(size, size));
            using (var canvas = new SKCanvas(square))
            {
                var from = SKRect.Create((upright.Width - side) / 2f, (upright.Height - side) / 2f, side, side);
                using var image = SKImage.FromBitmap(upright);
                canvas.DrawImage(image, from, SKRect.Create(0, 0, size, size), new SKSamplingOptions(SKCubicResampler.Mitchell));
            }

            return Encode(square, SKEncodedImageFormat.Webp, 85);
        }
        finally
        {
            Decoding.Release();
        }
    }

    private ProcessedImage Process(Stream content, string contentType)
    {
        using var upright = Decode(content, contentType);
        var (format, stored) = contentType switch
        {
            FileTypes.Jpeg => (SKEncodedImageFormat.Jpeg, FileTypes.Jpeg),
            FileTypes.WebP => (SKEncodedImageFormat.Webp, FileTypes.WebP),
            _ => (SKEncodedImageFormat.Png, FileTypes.Png), // PNG, and a GIF's first frame
        };
        var encoded = Encode(upright, format, 90);
        using var thumbnail = Thumbnail(upright);
        return new ProcessedImage(encoded, stored, upright.Width, upright.Height, Encode(thumbnail, SKEncodedImageFormat.Webp, 80));
    }

    /// <summary>The image's pixels, upright and in sRGB; refused when damaged, cut short or over the pixel limit.</summary>
    private SKBitmap Decode(Stream content, string contentType)
    {
        using var codec = SKCodec.Create(content, out var opened)
            ?? throw new FileRefusedException($"The image can't be read: it is damaged or not really a {Name(contentType)} ({opened}).");
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0)
        {
            throw new FileRefusedException("The image can't be read: it has no pixels.");
        }

        var pixels = (long)info.Width * info.Height;
        if (pixels > options.Value.MaxImagePixels)
        {
            throw new FileRefusedException(
                $"The image is {info.Width} × {info.Height} pixels; images can be at most {options.Value.MaxImagePixels / 1_000_000.0:0.#} megapixels.");
        }

        var opaque = info.AlphaType == SKAlphaType.Opaque;
        var target = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, opaque ? SKAlphaType.Opaque : SKAlphaType.Premul, SKColorSpace.CreateSrgb());
        using var decoded = new SKBitmap(target);
        var result = codec.GetPixels(target, decoded.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw new FileRefusedException(result == SKCodecResult.IncompleteInput
                ? "The image is cut short: the file ended before all its pixels. Upload it again."
                : $"The image can't be read: it is damaged ({result}).");
        }

        return Upright(decoded, codec.EncodedOrigin);
    }

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality) ?? throw new InvalidOperationException($"Skia could not encode {format}.");
        return data.ToArray();
    }

    private static SKBitmap Thumbnail(SKBitmap image)
    {
        var scale = Math.Min(1.0, (double)ThumbnailSize / Math.Max(image.Width, image.Height));
        var info = image.Info.WithSize(Math.Max(1, (int)Math.Round(image.Width * scale)), Math.Max(1, (int)Math.Round(image.Height * scale)));
        return image.Resize(info, new SKSamplingOptions(SKCubicResampler.Mitchell))
            ?? throw new InvalidOperationException("Skia could not resize the image.");
    }

    /// <summary>The pixels turned as the camera's EXIF orientation said (Skia's SkEncodedOriginToMatrix).</summary>
    private static SKBitmap Upright(SKBitmap source, SKEncodedOrigin origin)
    {
        float w = source.Width, h = source.Height;
        SKMatrix? matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
            _ => null,
        };
        if (matrix is not { } m)
        {
            return source.Copy();
        }

        var swapped = origin >= SKEncodedOrigin.LeftTop;
        var result = new SKBitmap(source.Info.WithSize(swapped ? source.Height : source.Width, swapped ? source.Width : source.Height));
        using var canvas = new SKCanvas(result);
        canvas.SetMatrix(m);
        canvas.DrawBitmap(source, 0, 0, SKSamplingOptions.Default);
        return result;
    }

    private static string Name(string contentType) => contentType switch
    {
        FileTypes.Jpeg => "JPEG",
        FileTypes.WebP => "WebP",
        FileTypes.Gif => "GIF",
        _ => "PNG",
    };
}
