using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Parley.Data;
using Parley.Features.Attachments;
using Parley.Web;

namespace Parley.Features.Account;

/// <summary>
/// An export of the user's data. <c>DownloadUrl</c> (a signed link valid 15 minutes) once <c>Status</c> is Ready;
/// the file is kept until <c>ExpiresAt</c>.
/// </summary>
public sealed record ExportResponse(
    Guid Id, ExportStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? ReadyAt = null, DateTimeOffset? ExpiresAt = null,
    long? Size = null, string? DownloadUrl = null);

public sealed record ExportsResponse(IReadOnlyList<ExportResponse> Exports);

/// <summary>Asking for an export of everything, seeing how it is coming along, and downloading it.</summary>
public static class ExportEndpoints
{
    public static RouteGroupBuilder MapExports(this RouteGroupBuilder group)
    {
        group.MapPost("/exports", Start).WithName("StartExport")
            .WithSummary("Prepare a zip of everything of yours (profile, chats with every branch, files, usage); one at a time.")
            .Produces<ExportResponse>(StatusCodes.Status202Accepted);
        group.MapGet("/exports", List).WithName("ListExports")
            .WithSummary("Your exports, newest first, with a download link for each that is ready.");
        group.MapGet("/exports/{id:guid}/download", Download).WithName("DownloadExport").AllowAnonymous()
            .WithSummary("The export's zip, with its signed link.")
            .Produces<Stream>(StatusCodes.Status200OK, "application/zip")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    private static async Task<Results<Ok<ExportResponse>, Accepted<ExportResponse>>> Start(
        AppDbContext db, DataExports exports, AttachmentUrls urls, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var userId = http.User.UserId();
        var running = await db.DataExports.AsNoTracking()
            .Where(e => e.UserId == userId && e.DeletedAt == null && (e.Status == ExportStatus.Pending || e.Status == ExportStatus.Building))
            .FirstOrDefaultAsync(ct);
        if (running is not null)
        {
            return TypedResults.Ok(ToResponse(running, urls)); // a second click does not start a second one
        }

        var export = new DataExport { UserId = userId, Status = ExportStatus.Pending, CreatedAt = time.GetUtcNow().UtcDateTime };
        db.DataExports.Add(export);
        await db.SaveChangesAsync(ct);
        exports.Wake();
        return TypedResults.Accepted((string?)null, ToResponse(export, urls));
    }

    private static async Task<Ok<ExportsResponse>> List(AppDbContext db, AttachmentUrls urls, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var userId = http.User.UserId();
        var now = time.GetUtcNow().UtcDateTime;
        var list = await db.DataExports.AsNoTracking()
            .Where(e => e.UserId == userId && e.DeletedAt == null && (e.ExpiresAt == null || e.ExpiresAt > now))
            .OrderByDescending(e => e.CreatedAt).Take(5).ToListAsync(ct);
        return TypedResults.Ok(new ExportsResponse([.. list.Select(e => ToResponse(e, urls))]));
    }

    private static async Task<IResult> Download(
        Guid id, long? expires, string? signature, AppDbContext db, AttachmentUrls urls, IFileStore store, TimeProvider time,
        HttpContext http, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var export = urls.IsValid(id, AttachmentUrls.Variant.Export, expires, signature)
            ? await db.DataExports.AsNoTracking()
                .SingleOrDefaultAsync(e => e.Id == id && e.Status == ExportStatus.Ready && e.DeletedAt == null && e.ExpiresAt > now, ct)
            : null;
        Stream? content = null;
        try
        {
            content = export is null ? null : await store.OpenReadAsync(DataExports.Key(export), ct);
        }
        catch (FileStoreUnavailableException)
        {
            http.Response.Headers.RetryAfter = "30";
            return TypedResults.Problem("Your export can't be reached just now; it is kept. Try again in a moment.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable", type: ProblemTypes.StorageUnavailable);
        }

        if (content is null)
        {
            return TypedResults.Problem("This export does not exist or has expired; prepare a new one from the settings page.",
                statusCode: StatusCodes.Status404NotFound, title: "Export not found", type: ProblemTypes.NotFound);
        }

        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment")
        {
            FileNameStar = $"parley-export-{export!.ReadyAt:yyyy-MM-dd}.zip",
        }.ToString();
        return TypedResults.Stream(content, "application/zip");
    }

    private static ExportResponse ToResponse(DataExport e, AttachmentUrls urls) => new(
        e.Id, e.Status, Utc(e.CreatedAt), e.ReadyAt is { } ready ? Utc(ready) : null, e.ExpiresAt is { } expires ? Utc(expires) : null, e.Size,
        e.Status == ExportStatus.Ready ? urls.ForExport(e.Id).Url : null);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
