using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Parley.Data;
using Parley.Web;

namespace Parley.Features.Attachments;

public static class AttachmentEndpoints
{
    /// <summary>What a multipart request adds around the file: boundaries and part headers.</summary>
    private const long MultipartOverhead = 64 * 1024;

    // Served files are never run: a document always downloads, and nothing in any of them may load or script.
    private const string ServedPolicy = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";

    public static RouteGroupBuilder MapAttachments(this IEndpointRouteBuilder app)
    {
        var maxFile = app.ServiceProvider.GetRequiredService<IOptions<AttachmentOptions>>().Value.MaxFileBytes;
        var group = app.MapGroup("/api/attachments").WithTags("Attachments").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/", Upload).WithName("UploadAttachment")
            .WithSummary("Upload one file (multipart/form-data, field \"file\") for a message being written; its type is read from its content.")
            .Accepts<IFormFile>("multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(maxFile + MultipartOverhead))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/storage", Storage).WithName("GetStorage").WithSummary("How much room your files take, and what your plan allows.");
        group.MapGet("/{id:guid}", Get).WithName("GetAttachment")
            .WithSummary("An attachment, with fresh signed links to its file and thumbnail.").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/content", Content).WithName("GetAttachmentContent").AllowAnonymous()
            .WithSummary("The file: with its signed link, or with the owner's token. Documents always download.")
            .Produces<Stream>(StatusCodes.Status200OK, FileTypes.Png, FileTypes.Jpeg, FileTypes.WebP, FileTypes.Pdf, FileTypes.Text)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/{id:guid}/thumbnail", Thumbnail).WithName("GetAttachmentThumbnail").AllowAnonymous()
            .WithSummary("An image's thumbnail (WebP, at most 384 pixels a side): with its signed link, or with the owner's token.")
            .Produces<Stream>(StatusCodes.Status200OK, FileTypes.WebP).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteAttachment")
            .WithSummary("Remove an attachment from the message being written (not from a sent one).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Created<AttachmentResponse>, ProblemHttpResult>> Upload(
        HttpRequest request, AttachmentService attachments, AttachmentUrls urls, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
            !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) ||
            HeaderUtilities.RemoveQuotes(type.Boundary) is not { Length: > 0 and <= 200 } boundary)
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Not a file upload",
                "Send the file as multipart/form-data, in a field named file.");
        }

        var reader = new MultipartReader(boundary.ToString(), request.Body);
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) ||
                !disposition.IsFileDisposition() || !string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, "file", StringComparison.Ordinal))
            {
                continue;
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
            try
            {
                var attachment = await attachments.UploadAsync(request.HttpContext.User.UserId(), name, section.Body, ct);
                return TypedResults.Created($"/api/attachments/{attachment.Id}", attachment.ToResponse(urls));
            }
            catch (FileTooLargeException ex)
            {
                return Problem(StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "File too large", ex.Message);
            }
            catch (FileRefusedException ex)
            {
                return ex.UnsupportedType
                    ? Problem(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "File type not allowed", ex.Message)
                    : Problem(StatusCodes.Status422UnprocessableEntity, ProblemTypes.FileUnreadable, "File can't be read", ex.Message);
            }
            catch (StorageFullException ex)
            {
                return Problem(StatusCodes.Status409Conflict, ProblemTypes.StorageFull, "Storage full", ex.Message);
            }
            catch (FileStoreUnavailableException)
            {
                request.HttpContext.Response.Headers.RetryAfter = "30";
                return Problem(StatusCodes.Status503ServiceUnavailable, ProblemTypes.StorageUnavailable, "Storage unavailable",
                    "The file could not be stored just now; nothing was kept. Try again in a moment.");
            }
        }

        return Problem(StatusCodes.Status400BadRequest, ProblemTypes.BadRequest, "No file",
            "The request holds no file: send it in a multipart field named file, with a file name.");
    }

    private static async Task<Ok<StorageResponse>> Storage(AttachmentService attachments, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await attachments.StorageAsync(http.User.UserId(), ct));

    private static async Task<Results<Ok<AttachmentResponse>, ProblemHttpResult>> Get(
        Guid id, AttachmentService attachments, AttachmentUrls urls, HttpContext http, CancellationToken ct) =>
        await attachments.FindAsync(http.User.UserId(), id, ct) is { } attachment
            ? TypedResults.Ok(attachment.ToResponse(urls))
            : NotFound();

    private static Task<IResult> Content(
        Guid id, long? expires, string? signature, bool? download, AttachmentService attachments, AttachmentUrls urls, IFileStore store,
        HttpContext http, CancellationToken ct) =>
        ServeAsync(id, AttachmentUrls.Variant.Content, expires, signature, download == true, attachments, urls, store, http, ct);

    private static Task<IResult> Thumbnail(
        Guid id, long? expires, string? signature, AttachmentService attachments, AttachmentUrls urls, IFileStore store,
        HttpContext http, CancellationToken ct) =>
        ServeAsync(id, AttachmentUrls.Variant.Thumbnail, expires, signature, false, attachments, urls, store, http, ct);

    private static async Task<IResult> ServeAsync(
        Guid id, AttachmentUrls.Variant variant, long? expires, string? signature, bool download, AttachmentService attachments,
        AttachmentUrls urls, IFileStore store, HttpContext http, CancellationToken ct)
    {
        // A link's signature stands for its owner; without one, only the owner's own token does.
        var attachment = signature is not null
            ? urls.IsValid(id, variant, expires, signature) ? await attachments.FindAsync(null, id, ct) : null
            : http.User.Identity?.IsAuthenticated == true ? await attachments.FindAsync(http.User.UserId(), id, ct) : null;
        if (attachment is null || (variant == AttachmentUrls.Variant.Thumbnail && !attachment.HasThumbnail))
        {
            return NotFound();
        }

        var key = variant == AttachmentUrls.Variant.Content ? AttachmentService.Key(attachment) : AttachmentService.ThumbnailKey(attachment);
        Stream? content;
        try
        {
            content = await store.OpenReadAsync(key, ct);
        }
        catch (FileStoreUnavailableException)
        {
            http.Response.Headers.RetryAfter = "30";
            return Problem(StatusCodes.Status503ServiceUnavailable, ProblemTypes.StorageUnavailable, "Storage unavailable",
                "The file can't be reached just now; it is kept. Try again in a moment.");
        }

        if (content is null)
        {
            return NotFound(); // deleted between the two reads
        }

        var inline = !download && attachment.Kind == AttachmentKind.Image;
        http.Response.Headers.ContentSecurityPolicy = ServedPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment")
        {
            FileNameStar = variant == AttachmentUrls.Variant.Content ? attachment.FileName : Path.GetFileNameWithoutExtension(attachment.FileName) + ".webp",
        }.ToString();
        var contentType = variant == AttachmentUrls.Variant.Thumbnail ? FileTypes.WebP
            : attachment.ContentType == FileTypes.Text ? "text/plain; charset=utf-8" : attachment.ContentType;
        return TypedResults.Stream(content, contentType, enableRangeProcessing: false);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        Guid id, AttachmentService attachments, HttpContext http, CancellationToken ct)
    {
        var userId = http.User.UserId();
        if (await attachments.FindAsync(userId, id, ct) is not { } attachment)
        {
            return NotFound();
        }

        if (attachment.MessageId is not null || !await attachments.DeleteDraftAsync(userId, id, ct))
        {
            return Problem(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "Attachment already sent",
                "The file is part of a sent message; deleting the chat removes it.");
        }

        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound() =>
        Problem(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Attachment not found", "There is no such attachment, or the link to it has expired.");

    private static ProblemHttpResult Problem(int status, string type, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail });

    public static AttachmentResponse ToResponse(this Attachment a, AttachmentUrls urls)
    {
        var (url, thumbnail, expires) = urls.For(a);
        return new AttachmentResponse(a.Id, a.Kind, a.FileName, a.ContentType, a.Size, a.Width, a.Height, a.MessageId is not null,
            new DateTimeOffset(DateTime.SpecifyKind(a.CreatedAt, DateTimeKind.Utc)), url, thumbnail, expires);
    }
}
