using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Features.Auth;

namespace Parley.Features.Chats;

public sealed class Chat
{
    public const int MaxTitleLength = 120;
    public const string DefaultTitle = "New chat";

    public long Id { get; init; }
    public Guid UserId { get; init; }
    public required string Title { get; set; }

    /// <summary>False until the user renames it or its first message gives it a title.</summary>
    public bool HasTitle { get; set; }

    public DateTime CreatedAt { get; init; }

    /// <summary>The last message of the branch the user is looking at (and the model sees); null for an empty chat.</summary>
    public long? ActiveLeafId { get; set; }

    /// <summary>The model this chat's replies use, as the user chose it (Bot/ModelCatalog); null: their default.</summary>
    public string? ModelId { get; set; }

    /// <summary>Last activity; the chat list is ordered by (UpdatedAt, Id) descending.</summary>
    public DateTime UpdatedAt { get; set; }
}

internal sealed class ChatConfiguration : IEntityTypeConfiguration<Chat>
{
    public void Configure(EntityTypeBuilder<Chat> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Title).HasMaxLength(Chat.MaxTitleLength);
        builder.HasIndex(c => new { c.UserId, c.UpdatedAt, c.Id });
        builder.HasOne<User>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.ModelId).HasMaxLength(100);
    }
}
