using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Features.Auth;
using Parley.Features.Bot;
using Parley.Web;

namespace Parley.Features.Attachments;

/// <summary>Why a message's attachments can't go with it, as a problem for its sender.</summary>
public sealed record AttachRefusal(int Status, string Type, string Title, string Detail);

/// <summary>
/// Attachments as part of messages: attaching drafts to a message being sent (in its transaction), what the model
/// reads of them, and how they are listed with the message.
/// </summary>
public sealed class AttachmentMessages(
    AppDbContext db, AttachmentService attachments, IFileStore store, AttachmentUrls urls, IOptions<AttachmentOptions> options,
    ModelCatalog models)
{
    /// <summary>
    /// Attaches the user's drafts to <paramref name="messageId"/>, in the caller's transaction; null when done, or
    /// why not (then the caller rolls back: nothing is sent). A conditional update: two sends racing for one draft
    /// attach it once.
    /// </summary>
    public async Task<AttachRefusal?> AttachAsync(Guid userId, long messageId, IReadOnlyList<Guid> ids, Plan plan, string? model, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        if (wanted.Count == 0)
        {
            return null;
        }

        var o = options.Value;
        if (wanted.Count > o.MaxPerMessage)
        {
            return new(StatusCodes.Status400BadRequest, ProblemTypes.Validation, "Too many files",
                $"A message can carry at most {o.MaxPerMessage} files; this one has {wanted.Count}. Remove some, then send.");
        }

        var found = await db.Attachments.AsNoTracking()
            .Where(a => wanted.Contains(a.Id) && a.UserId == userId && a.StoredAt != null && a.DeletedAt == null)
            .Select(a => new { a.MessageId, a.Size, a.Kind, a.FileName }).ToListAsync(ct);
        if (found.Count != wanted.Count)
        {
            return new(StatusCodes.Status409Conflict, ProblemTypes.AttachmentGone, "Attachment gone",
                "A file attached to this message was removed (drafts are kept for a day). Attach it again, then send.");
        }

        if (found.FirstOrDefault(a => a.MessageId is not null) is { } sent)
        {
            return new(StatusCodes.Status409Conflict, ProblemTypes.AttachmentGone, "Attachment already sent",
                $"{sent.FileName} was already sent with another message. Attach it again, then send.");
        }

        if (found.Sum(a => a.Size) is var total && total > o.MaxMessageBytes)
        {
            return new(StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "Files too large",
                $"The files of one message can take {Sizes.Format(o.MaxMessageBytes)} together; these take {Sizes.Format(total)}.");
        }

        if (found.Any(a => a.Kind == AttachmentKind.Image) && !models.AcceptsImages(plan, model))
        {
            return new(StatusCodes.Status422UnprocessableEntity, ProblemTypes.ImagesNotSupported, "Images not supported",
                model is null
                    ? "The model for your plan can't see images. Remove them, or attach the text instead."
                    : "This chat's model can't see images. Remove them, attach the text instead, or choose a model that can.");
        }

        var attached = await db.Attachments
            .Where(a => wanted.Contains(a.Id) && a.UserId == userId && a.MessageId == null && a.DeletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.MessageId, messageId), ct);
        return attached == wanted.Count ? null
            : new(StatusCodes.Status409Conflict, ProblemTypes.AttachmentGone, "Attachment already sent",
                "A file attached to this message was just sent with another one. Attach it again, then send.");
    }

    /// <summary>
    /// Gives an edit of message <paramref name="originalId"/> the original's files it keeps (<paramref name="keep"/>;
    /// null keeps them all), in the caller's transaction; null when done, or why not (the caller rolls back). The
    /// edit gets copies that share the stored files: both versions of the message keep showing theirs, and the bytes
    /// are neither stored nor counted twice.
    /// </summary>
    public async Task<AttachRefusal?> KeepAsync(long originalId, long editId, IReadOnlyList<Guid>? keep, Plan plan, string? model, CancellationToken ct)
    {
        var files = await db.Attachments.AsNoTracking()
            .Where(a => a.MessageId == originalId && a.DeletedAt == null).OrderBy(a => a.CreatedAt).ToListAsync(ct);
        var wanted = keep?.Distinct().ToList();
        if (wanted is not null && wanted.Any(id => files.All(a => a.Id != id)))
        {
            return new(StatusCodes.Status409Conflict, ProblemTypes.AttachmentGone, "Not this message's file",
                "Only the files of the message being edited can be kept. Send new files in a new message.");
        }

        var kept = wanted is null ? files : [.. files.Where(a => wanted.Contains(a.Id))];
        if (kept.Any(a => a.Kind == AttachmentKind.Image) && !models.AcceptsImages(plan, model))
        {
            return new(StatusCodes.Status422UnprocessableEntity, ProblemTypes.ImagesNotSupported, "Images not supported",
                "The model for your plan can't see images. Remove them from the edit, then send.");
        }

        db.Attachments.AddRange(kept.Select(a => new Attachment
        {
            UserId = a.UserId,
            MessageId = editId,
            SourceId = a.SourceId ?? a.Id,
            Kind = a.Kind,
            ContentType = a.ContentType,
            FileName = a.FileName,
            Size = a.Size,
            Sha256 = a.Sha256,
            Width = a.Width,
            Height = a.Height,
            HasThumbnail = a.HasThumbnail,
            TextLength = a.TextLength,
            CreatedAt = a.CreatedAt,
            StoredAt = a.StoredAt,
        }));
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The turns with their messages' files: images' bytes and documents' text, read from the store.</summary>
    public async Task<List<Turn>> WithFilesAsync(List<Turn> turns, CancellationToken ct)
    {
        var ids = turns.Where(t => t.MessageId is not null).Select(t => t.MessageId!.Value).ToList();
        var attachments = await db.Attachments.AsNoTracking()
            .Where(a => a.MessageId != null && ids.Contains(a.MessageId.Value) && a.DeletedAt == null)
            .OrderBy(a => a.CreatedAt).ToListAsync(ct);
        if (attachments.Count == 0)
        {
            return turns;
        }

        var files = new Dictionary<long, List<TurnFile>>();
        foreach (var a in attachments)
        {
            var key = a.Kind == AttachmentKind.Image ? AttachmentService.Key(a) : AttachmentService.TextKey(a);
            await using var content = await store.OpenReadAsync(key, ct);
            if (content is null)
            {
                continue; // deleted since: the model reads the message without it
            }

            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, ct);
            var file = a.Kind == AttachmentKind.Image
                ? new TurnFile(a.FileName, a.ContentType, a.Size, buffer.ToArray(), null, a.Width, a.Height)
                : new TurnFile(a.FileName, a.ContentType, a.Size, null, System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            (files.TryGetValue(a.MessageId!.Value, out var list) ? list : files[a.MessageId.Value] = []).Add(file);
        }

        return [.. turns.Select(t => t.MessageId is { } id && files.TryGetValue(id, out var list) ? t with { Files = list } : t)];
    }

    /// <summary>The attachments of each of these messages, oldest first, with fresh links.</summary>
    public async Task<Dictionary<long, IReadOnlyList<AttachmentResponse>>> ForMessagesAsync(IReadOnlyCollection<long> messageIds, CancellationToken ct)
    {
        if (messageIds.Count == 0)
        {
            return [];
        }

        var attachments = await db.Attachments.AsNoTracking()
            .Where(a => a.MessageId != null && messageIds.Contains(a.MessageId.Value) && a.DeletedAt == null)
            .OrderBy(a => a.CreatedAt).ToListAsync(ct);
        return attachments.GroupBy(a => a.MessageId!.Value)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<AttachmentResponse>)[.. g.Select(a => a.ToResponse(urls))]);
    }

    /// <summary>Whether the message carries any file.</summary>
    public Task<bool> AnyAsync(long messageId, CancellationToken ct) =>
        db.Attachments.AnyAsync(a => a.MessageId == messageId && a.DeletedAt == null, ct);

    /// <summary>The name of the message's first file: the title of a chat begun with files and no text.</summary>
    public async Task<string> FirstNameAsync(long messageId, CancellationToken ct) =>
        await db.Attachments.Where(a => a.MessageId == messageId).OrderBy(a => a.CreatedAt).Select(a => a.FileName).FirstOrDefaultAsync(ct) ?? "";

    /// <summary>Marks the attachments of a chat's messages deleted, in the caller's transaction (the chat is being deleted).</summary>
    public Task<int> ReleaseChatAsync(long chatId, CancellationToken ct) =>
        attachments.MarkDeletedAsync(db.Attachments.Where(a => a.MessageId != null && db.Messages.Any(m => m.Id == a.MessageId && m.ChatId == chatId)), ct);
}
