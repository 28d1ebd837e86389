using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Features.Chats;

namespace Parley.Features.Attachments;

public enum AttachmentKind
{
    /// <summary>PNG, JPEG, WebP or GIF, re-encoded without its metadata; the model sees it where it accepts images.</summary>
    Image,

    /// <summary>A PDF or a UTF-8 text file (text, Markdown, code, CSV, JSON); the model reads its text.</summary>
    Document,
}

/// <summary>
/// A file a user uploaded, stored outside the database (<see cref="IFileStore"/>). It belongs to a draft until a
/// message is sent with it (<see cref="MessageId"/>); drafts never sent are removed after a day. Deleting is two
/// steps, so no file outlives its row unnoticed: the row is marked (<see cref="DeletedAt"/>, in the transaction that
/// deletes the chat or the draft) and <see cref="AttachmentSweeper"/> deletes the files, then the row.
/// </summary>
public sealed class Attachment
{
    public const int MaxNameLength = 255;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid UserId { get; init; }
    public long? MessageId { get; set; }
    public AttachmentKind Kind { get; init; }

    /// <summary>Decided from the content, never from the name or the client: what the file is served as.</summary>
    public required string ContentType { get; init; }

    /// <summary>The name the user gave it, cleaned (no path, no control characters); shown and used for downloads.</summary>
    public required string FileName { get; init; }

    /// <summary>Bytes stored (after re-encoding an image): what counts against the plan's storage.</summary>
    public long Size { get; init; }

    /// <summary>SHA-256 of the stored bytes, hex.</summary>
    public required string Sha256 { get; init; }

    public int? Width { get; init; }
    public int? Height { get; init; }

    /// <summary>Whether a thumbnail was stored beside the file (images).</summary>
    public bool HasThumbnail { get; init; }

    /// <summary>Characters of text a document yielded (its text is stored beside the file); null for images.</summary>
    public int? TextLength { get; init; }

    /// <summary>
    /// Set on a copy an edit kept: the attachment (always an original) whose stored files this one shows. The copy is
    /// in the same chat as its source, so the two are deleted together; its size is not counted against storage again.
    /// </summary>
    public Guid? SourceId { get; init; }

    public DateTime CreatedAt { get; init; }

    /// <summary>When its files were all written; null while they are (a row left so by a killed process is swept).</summary>
    public DateTime? StoredAt { get; set; }

    /// <summary>Set when the attachment is deleted: it is gone for its user at once; its files go next.</summary>
    public DateTime? DeletedAt { get; set; }
}

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> builder)
    {
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.ContentType).HasMaxLength(64);
        builder.Property(a => a.FileName).HasMaxLength(Attachment.MaxNameLength);
        builder.Property(a => a.Sha256).HasMaxLength(64);
        builder.HasIndex(a => a.MessageId);
        builder.HasIndex(a => new { a.UserId, a.CreatedAt });
        // What the sweeper reads: drafts never sent and attachments deleted, not every attachment.
        builder.HasIndex(a => a.CreatedAt).HasFilter("\"MessageId\" IS NULL");
        builder.HasIndex(a => a.DeletedAt).HasFilter("\"DeletedAt\" IS NOT NULL");
        // What the sweeper asks before deleting an original's files: does a live copy still show them?
        builder.HasIndex(a => a.SourceId).HasFilter("\"SourceId\" IS NOT NULL");
        // No foreign key to the user: a deleted account's attachments are marked, and outlive it until the sweeper
        // has deleted their files (Account/AccountDeletion).
        // No cascade: a chat's deletion detaches and marks its attachments first, so their files are deleted too.
        builder.HasOne<Message>().WithMany().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.NoAction);
    }
}
