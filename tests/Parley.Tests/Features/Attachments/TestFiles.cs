using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Parley.Tests.Features.Attachments;

/// <summary>Files to upload: real images and PDFs made here, and broken or hostile ones made byte by byte.</summary>
internal static class TestFiles
{
    /// <summary>A PNG or JPEG of a left-to-right gradient, red on the left.</summary>
    public static byte[] Image(int width, int height, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Blue);
            using var paint = new SKPaint { Color = SKColors.Red };
            canvas.DrawRect(0, 0, Math.Max(1, width / 4), height, paint);
        }

        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(format, 90).ToArray();
    }

    /// <summary>
    /// A JPEG carrying what a phone's photo carries: EXIF with an orientation (6: turn 90° clockwise to view) and a
    /// comment segment holding <paramref name="secret"/>, as GPS coordinates would be.
    /// </summary>
    public static byte[] PhoneJpeg(int width, int height, string secret)
    {
        var jpeg = Image(width, height, SKEncodedImageFormat.Jpeg);
        // TIFF, little-endian: one IFD entry, Orientation (0x0112), SHORT, 1 value: 6.
        byte[] tiff = [(byte)'I', (byte)'I', 0x2A, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0];
        var exif = Segment(0xE1, [.. "Exif\0\0"u8, .. tiff]);
        var comment = Segment(0xFE, Encoding.ASCII.GetBytes(secret));
        return [.. jpeg.AsSpan(0, 2), .. exif, .. comment, .. jpeg.AsSpan(2)];
    }

    private static byte[] Segment(byte marker, byte[] payload)
    {
        var length = (ushort)(payload.Length + 2);
        return [0xFF, marker, (byte)(length >> 8), (byte)length, .. payload];
    }

    /// <summary>A PNG whose header claims <paramref name="width"/> × <paramref name="height"/> pixels, with almost no data.</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(new byte[4096]);
        }

        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Chunk("IHDR", ihdr), .. Chunk("IDAT", idat.ToArray()), .. Chunk("IEND", [])];
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var typed = (byte[])[.. Encoding.ASCII.GetBytes(type), .. data];
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        return [.. header, .. typed, .. crc];
    }

    // PNG's CRC-32 (ISO 3309), bit by bit: a few chunks need it.
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>A PDF with one line of text on each page.</summary>
    public static byte[] Pdf(params string[] pages)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var text in pages)
        {
            builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4).AddText(text, 12, new UglyToad.PdfPig.Core.PdfPoint(50, 700), font);
        }

        return builder.Build();
    }

    /// <summary>
    /// A small PDF whose one page's content stream inflates to <paramref name="expandedBytes"/> (zeros): a bomb.
    /// Built by hand, with a correct cross-reference table.
    /// </summary>
    public static byte[] PdfBomb(long expandedBytes)
    {
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (long written = 0; written < expandedBytes; written += zeros.Length)
            {
                z.Write(zeros, 0, (int)Math.Min(zeros.Length, expandedBytes - written));
            }
        }

        var stream = compressed.ToArray();
        var pdf = new MemoryStream();
        var offsets = new List<long>();
        void Write(string s) => pdf.Write(Encoding.ASCII.GetBytes(s));
        Write("%PDF-1.4\n");
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        ];
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Position);
            Write($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        offsets.Add(pdf.Position);
        Write($"4 0 obj\n<< /Length {stream.Length} /Filter /FlateDecode >>\nstream\n");
        pdf.Write(stream);
        Write("\nendstream\nendobj\n");
        var xref = pdf.Position;
        Write($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            Write($"{offset:D10} 00000 n \n");
        }

        Write($"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }
}
