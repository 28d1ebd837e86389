using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Parley.Features.Chats;

public enum MessageRole
{
    User,
    Assistant,
}

public enum MessageStatus
{
    Complete,

    /// <summary>On a user message: the bot could not answer it; the UI offers a retry.</summary>
    ReplyFailed,

    /// <summary>On a reply: still being generated; <see cref="Message.Content"/> holds the text so far.</summary>
    Streaming,

    /// <summary>On a reply: the user stopped it; the text is what was generated until then.</summary>
    Stopped,

    /// <summary>On a reply: the model failed after some text; the text is kept.</summary>
    Failed,

    /// <summary>
    /// On a reply: the instance generating it went away (killed, restarted, shut down) before the end; the text
    /// written until then is kept. The message counts only if there was text. See <see cref="ReplyLeases"/>.
    /// </summary>
    Interrupted,
}

/// <summary>The user's rating of a reply (thumbs up or down); counted by the admin dashboard, per model.</summary>
public enum MessageFeedback
{
    Up,
    Down,
}

public sealed class Message
{
    public long Id { get; init; }
    public long ChatId { get; init; }

    /// <summary>
    /// The message this one answers or follows: messages form a tree. Editing a message or regenerating a reply adds
    /// a sibling (same parent); the chat's active branch is the path from its active leaf up to the root.
    /// </summary>
    public long? ParentId { get; init; }

    public MessageRole Role { get; init; }
    public required string Content { get; set; }
    public MessageStatus Status { get; set; }
    public DateTime CreatedAt { get; init; }

    /// <summary>On a reply: prompt and completion tokens, as the provider reported them (estimated for the built-in bot).</summary>
    public int? InputTokens { get; set; }

    public int? OutputTokens { get; set; }

    /// <summary>On a reply: thumbs up or down from its user, or none.</summary>
    public MessageFeedback? Feedback { get; set; }

    /// <summary>
    /// While streaming: the instance generating the reply, and until when it holds it. The owner renews the lease
    /// every few seconds; any instance closes a streaming reply whose lease ran out (<see cref="ReplyLeases"/>).
    /// </summary>
    public string? LeaseOwner { get; set; }

    public DateTime? LeaseExpiresAt { get; set; }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Content).HasMaxLength(100_000);
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.Feedback).HasConversion<string>().HasMaxLength(8);
        // History pages are "the N messages of chat C with Id < cursor": this index serves them at any depth.
        builder.HasIndex(m => new { m.ChatId, m.Id });
        builder.HasIndex(m => m.ParentId);
        builder.HasIndex(m => new { m.ChatId, m.ParentId }); // a chat's first messages (ParentId null) and siblings
        builder.Property(m => m.LeaseOwner).HasMaxLength(64);
        // Only the replies streaming now: the lease sweep (every 2 s on every instance) reads these few rows, where an
        // index of every message's lease (null for all but these) left its "no lease yet" case scanning the table.
        builder.HasIndex(m => m.LeaseExpiresAt).HasFilter("\"Status\" = 'Streaming'");
        builder.HasOne<Message>().WithMany().HasForeignKey(m => m.ParentId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Chat>().WithMany().HasForeignKey(m => m.ChatId).OnDelete(DeleteBehavior.Cascade);
    }
}
