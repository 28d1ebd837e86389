using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Options;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Exceptions;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace Parley.Features.Attachments;

/// <summary>
/// The text of a document, as the model will read it: a text file's own, a PDF's extracted page by page (PdfPig).
/// A PDF is bounded three ways: pages (<see cref="AttachmentOptions.MaxPdfPages"/>), time
/// (<see cref="AttachmentOptions.MaxProcessingTime"/>, checked between pages and as a backstop around the whole) and
/// the bytes its compressed streams expand to (<see cref="MaxExpandedBytes"/>: a 10 MB stream of zeros deflates from
/// gigabytes, and PdfPig would hold them all in memory).
/// </summary>
public sealed class DocumentText(IOptions<AttachmentOptions> options)
{
    /// <summary>Characters of text kept from one document; the history budget takes what fits of them.</summary>
    public const int MaxTextLength = 1_000_000;

    /// <summary>Bytes all of a PDF's streams may expand to together.</summary>
    public const long MaxExpandedBytes = 256L * 1024 * 1024;

    public async Task<string> ReadPdfAsync(string path, CancellationToken ct)
    {
        var limit = options.Value.MaxProcessingTime;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        try
        {
            // PdfPig is synchronous; the wait is the backstop should one call inside it never return.
            return await Task.Run(() => ReadPdf(path, limit, timeout.Token), timeout.Token).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw TooSlow(limit);
        }
    }

    private string ReadPdf(string path, TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var document = PdfDocument.Open(path, new ParsingOptions
            {
                UseLenientParsing = true,
                SkipMissingFonts = true,
                FilterProvider = new BoundedFilters(MaxExpandedBytes),
            });
            if (document.NumberOfPages > options.Value.MaxPdfPages)
            {
                throw new FileRefusedException($"The PDF has {document.NumberOfPages} pages; PDFs can have at most {options.Value.MaxPdfPages}.");
            }

            var text = new StringBuilder();
            for (var page = 1; page <= document.NumberOfPages && text.Length < MaxTextLength; page++)
            {
                ct.ThrowIfCancellationRequested();
                if (clock.Elapsed > limit)
                {
                    throw TooSlow(limit);
                }

                text.Append(ContentOrderTextExtractor.GetText(document.GetPage(page))).Append("\n\n");
            }

            return text.Length > MaxTextLength ? text.ToString(0, MaxTextLength) : text.ToString().TrimEnd();
        }
        catch (PdfDocumentEncryptedException)
        {
            throw new FileRefusedException("The PDF is protected by a password: remove the password, then attach it again.");
        }
        catch (Exception ex) when (ex is not (FileRefusedException or OperationCanceledException or OutOfMemoryException))
        {
            // PdfPig reports a damaged file in many ways (format, stack depth, index and cast errors deep inside).
            throw new FileRefusedException("The PDF can't be read: it is damaged or not really a PDF.");
        }
    }

    private static FileRefusedException TooSlow(TimeSpan limit) =>
        new($"Reading the PDF took longer than {limit.TotalSeconds:0} seconds; try a smaller file.");

    /// <summary>PdfPig's filters, with what their output may add up to counted, and deflate measured before it is expanded.</summary>
    private sealed class BoundedFilters(long budget) : IFilterProvider
    {
        private readonly IFilterProvider _inner = DefaultFilterProvider.Instance;
        private readonly long _budget = budget;
        private long _remaining = budget;

        public IReadOnlyList<IFilter> GetFilters(DictionaryToken dictionary) => [.. _inner.GetFilters(dictionary).Select(Wrap)];

        public IReadOnlyList<IFilter> GetNamedFilters(IReadOnlyList<NameToken> names) => [.. _inner.GetNamedFilters(names).Select(Wrap)];

        public IReadOnlyList<IFilter> GetAllFilters() => [.. _inner.GetAllFilters().Select(Wrap)];

        private IFilter Wrap(IFilter filter) => new Bounded(filter, this);

        private void Take(long bytes)
        {
            if (Interlocked.Add(ref _remaining, -bytes) < 0)
            {
                throw new FileRefusedException($"The PDF expands to more than {_budget / (1024 * 1024)} MB of content; it can't be read.");
            }
        }

        private sealed class Bounded(IFilter inner, BoundedFilters owner) : IFilter
        {
            public bool IsSupported => inner.IsSupported;

            public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex)
            {
                if (inner is FlateFilter)
                {
                    owner.Take(InflatedLength(input, owner._remaining));
                    return inner.Decode(input, streamDictionary, filterProvider, filterIndex);
                }

                var output = inner.Decode(input, streamDictionary, filterProvider, filterIndex);
                owner.Take(output.Length);
                return output;
            }

            // Inflates into a scratch buffer, counting, and stops past the budget: nothing is kept.
            private static long InflatedLength(Memory<byte> input, long budget)
            {
                var offset = input.Length > 2 && (input.Span[0] & 0x0F) == 8 ? 2 : 0; // the zlib header, when there is one
                using var source = new MemoryStream(input[offset..].ToArray(), writable: false);
                using var deflate = new DeflateStream(source, CompressionMode.Decompress);
                var buffer = new byte[81920];
                long total = 0;
                try
                {
                    int read;
                    while ((read = deflate.Read(buffer)) > 0 && total <= budget)
                    {
                        total += read;
                    }
                }
                catch (InvalidDataException)
                {
                    // A damaged stream: PdfPig's own filter decides what to make of it.
                }

                return total;
            }
        }
    }
}
