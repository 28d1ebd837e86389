using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Features.Billing;

namespace Parley.Features.Attachments;

/// <summary>The upload is over the per-file limit; reading stopped at the limit.</summary>
public sealed class FileTooLargeException(long limit) : Exception($"The file is larger than the limit of {Sizes.Format(limit)}.")
{
    public long Limit { get; } = limit;
}

/// <summary>The user's files would take more than their plan allows.</summary>
public sealed class StorageFullException(long used, long limit, long size)
    : Exception($"Your files take {Sizes.Format(used)} of your {Sizes.Format(limit)}; this one ({Sizes.Format(size)}) does not fit. Delete chats with files you no longer need, or upgrade for more room.");

/// <summary>
/// Takes uploads in: reads the body to a temporary file with the size limit enforced as it streams, decides the type
/// from the bytes, re-encodes images and reads documents' text (all before anything is stored), takes the plan's
/// storage atomically with the row (a conditional update of the user's total), then writes the files. The row is
/// written first and marked stored last, so a process killed in between leaves a row the sweeper finishes off, never
/// a file nobody knows of.
/// </summary>
public sealed class AttachmentService(
    AppDbContext db, IFileStore store, ImageProcessor images, DocumentText documents, Entitlements entitlements,
    IOptions<AttachmentOptions> options, TimeProvider time)
{
    /// <summary>Where the attachment's files are: an edit's copy shares its source's.</summary>
    public static string Key(Attachment a) => $"{a.UserId:N}/{a.SourceId ?? a.Id:N}";

    public static string ThumbnailKey(Attachment a) => Key(a) + ".thumb";

    public static string TextKey(Attachment a) => Key(a) + ".txt";

    public async Task<Attachment> UploadAsync(Guid userId, string? fileName, Stream body, CancellationToken ct)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"parley-upload-{Guid.NewGuid():N}");
        try
        {
            await CopyLimitedAsync(body, temp, options.Value.MaxFileBytes, ct);
            var prepared = await PrepareAsync(temp, ct);
            var attachment = new Attachment
            {
                UserId = userId,
                Kind = prepared.Type.Kind,
                ContentType = prepared.Type.ContentType,
                FileName = FileNames.Clean(fileName, prepared.Type.ContentType),
                Size = prepared.Content.Length,
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(prepared.Content.Span)),
                Width = prepared.Image?.Width,
                Height = prepared.Image?.Height,
                HasThumbnail = prepared.Image is not null,
                TextLength = prepared.Text?.Length,
                CreatedAt = time.GetUtcNow().UtcDateTime,
            };
            await ReserveAsync(attachment, ct);
            await StoreAsync(attachment, prepared, ct);
            return attachment;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private sealed record Prepared(FileType Type, ReadOnlyMemory<byte> Content, ProcessedImage? Image, string? Text);

    private async Task<Prepared> PrepareAsync(string temp, CancellationToken ct)
    {
        var head = new byte[FileTypes.HeadLength];
        int length;
        await using (var file = File.OpenRead(temp))
        {
            length = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        }

        var type = FileTypes.Detect(head.AsSpan(0, length));
        if (type.Kind == AttachmentKind.Image)
        {
            await using var file = File.OpenRead(temp);
            var image = await images.ProcessAsync(file, type.ContentType, ct);
            return new Prepared(type with { ContentType = image.ContentType }, image.Content, image, null);
        }

        var text = type.ContentType == FileTypes.Pdf
            ? await documents.ReadPdfAsync(temp, ct)
            : await ReadTextAsync(temp, ct);
        return new Prepared(type, await File.ReadAllBytesAsync(temp, ct), null, text);
    }

    private static async Task<string> ReadTextAsync(string temp, CancellationToken ct)
    {
        await using var file = File.OpenRead(temp);
        var text = await FileTypes.CheckTextAsync(file, ct);
        return text.Length > DocumentText.MaxTextLength ? text[..DocumentText.MaxTextLength] : text;
    }

    /// <summary>The user's total goes up only if the file fits; the row is written in the same transaction.</summary>
    private async Task ReserveAsync(Attachment attachment, CancellationToken ct)
    {
        var limit = await LimitAsync(attachment.UserId, ct);
        await db.RetryingAsync(async token =>
        {
            await using var tx = await db.BeginWriteAsync(token);
            var taken = await db.Users.Where(u => u.Id == attachment.UserId && u.StorageBytes + attachment.Size <= limit)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.StorageBytes, u => u.StorageBytes + attachment.Size), token);
            if (taken == 0)
            {
                var used = await db.Users.Where(u => u.Id == attachment.UserId).Select(u => u.StorageBytes).SingleAsync(token);
                throw new StorageFullException(used, limit, attachment.Size);
            }

            db.Attachments.Add(attachment);
            await db.SaveChangesAsync(token);
            await tx.CommitAsync(token);
        }, ct);
    }

    private async Task StoreAsync(Attachment attachment, Prepared prepared, CancellationToken ct)
    {
        try
        {
            await PutAsync(Key(attachment), prepared.Content, attachment.ContentType, ct);
            if (prepared.Image is { } image)
            {
                await PutAsync(ThumbnailKey(attachment), image.Thumbnail, FileTypes.WebP, ct);
            }

            if (prepared.Text is { } text)
            {
                await PutAsync(TextKey(attachment), Encoding.UTF8.GetBytes(text), FileTypes.Text, ct);
            }

            var stored = time.GetUtcNow().UtcDateTime;
            await db.Attachments.Where(a => a.Id == attachment.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.StoredAt, stored), ct);
            attachment.StoredAt = stored;
        }
        catch
        {
            // The storage failed (or the request went): the room is given back now; the sweeper removes what was written.
            await ReleaseAsync(db.Attachments.Where(a => a.Id == attachment.Id), CancellationToken.None);
            throw;
        }
    }

    private async Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken ct)
    {
        await using var stream = new MemoryStream(content.ToArray(), writable: false);
        await store.PutAsync(key, stream, contentType, ct);
    }

    public async Task<long> LimitAsync(Guid userId, CancellationToken ct) =>
        (await entitlements.ForAsync(userId, ct)).IsPremium ? options.Value.PremiumStorageBytes : options.Value.FreeStorageBytes;

    public async Task<StorageResponse> StorageAsync(Guid userId, CancellationToken ct) =>
        new(await db.Users.Where(u => u.Id == userId).Select(u => u.StorageBytes).SingleAsync(ct), await LimitAsync(userId, ct));

    /// <summary>
    /// The user's attachment, stored and not deleted, or null: someone else's is not told apart from none. A null user
    /// is for a signed link, whose signature already names the attachment.
    /// </summary>
    public Task<Attachment?> FindAsync(Guid? userId, Guid id, CancellationToken ct) =>
        db.Attachments.AsNoTracking()
            .SingleOrDefaultAsync(a => a.Id == id && (userId == null || a.UserId == userId) && a.StoredAt != null && a.DeletedAt == null, ct);

    /// <summary>Deletes a draft's attachment (one not sent yet); false when there is no such draft.</summary>
    public async Task<bool> DeleteDraftAsync(Guid userId, Guid id, CancellationToken ct) =>
        await ReleaseAsync(db.Attachments.Where(a => a.Id == id && a.UserId == userId && a.MessageId == null), ct) > 0;

    /// <summary>
    /// Marks the attachments deleted and gives their room back, in one transaction; the sweeper deletes their files.
    /// Returns how many it marked.
    /// </summary>
    public Task<int> ReleaseAsync(IQueryable<Attachment> which, CancellationToken ct) => db.RetryingAsync(async token =>
    {
        await using var tx = await db.BeginWriteAsync(token);
        var marked = await MarkDeletedAsync(which, token);
        await tx.CommitAsync(token);
        return marked;
    }, ct);

    /// <summary>
    /// <see cref="ReleaseAsync"/> inside the caller's write transaction: deleting a chat marks its messages' attachments
    /// (detached, so the messages can go) in the transaction that deletes them.
    /// </summary>
    public async Task<int> MarkDeletedAsync(IQueryable<Attachment> which, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var marked = await which.Where(a => a.DeletedAt == null).Select(a => new { a.Id, a.UserId, a.Size, a.SourceId }).ToListAsync(ct);
        foreach (var user in marked.GroupBy(a => a.UserId))
        {
            var ids = user.Select(a => a.Id).ToList();
            var size = user.Where(a => a.SourceId == null).Sum(a => a.Size); // a copy's bytes were never counted
            await db.Attachments.Where(a => ids.Contains(a.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.DeletedAt, now).SetProperty(a => a.MessageId, (long?)null), ct);
            await db.Users.Where(u => u.Id == user.Key)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.StorageBytes, u => u.StorageBytes - size), ct);
        }

        return marked.Count;
    }

    private static async Task CopyLimitedAsync(Stream body, string path, long limit, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > limit)
            {
                throw new FileTooLargeException(limit);
            }

            await file.WriteAsync(buffer.AsMemory(0, read), ct);
        }
    }
}

public static class Sizes
{
    public static string Format(long bytes) => bytes switch
    {
        >= 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024 * 1024):0.#} GB",
        >= 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MB",
        >= 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes} bytes",
    };
}
