using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Features.Auth;

namespace Parley.Features.Usage;

public enum UsageKind
{
    /// <summary>A message taken from the user's quota.</summary>
    Message,

    /// <summary>
    /// Gives back the <see cref="UsageEntry.RefundsEntryId"/> entry: a message the bot failed to answer, or, when an
    /// admin resets the window, each message and token entry in it.
    /// </summary>
    Refund,

    /// <summary>The tokens a finished reply used (input + output), for plans with a token limit.</summary>
    Tokens,
}

/// <summary>
/// The append-only usage ledger. Rows are never deleted by the app, and they do not point at messages with a foreign
/// key, so deleting a chat never gives quota back. Deleting an account keeps them for accounting, without their user:
/// <see cref="UserId"/> becomes null (the only update they ever get).
/// </summary>
public sealed class UsageEntry
{
    public long Id { get; init; }
    public Guid? UserId { get; init; }
    public UsageKind Kind { get; init; }
    public DateTime OccurredAt { get; init; }
    public long? MessageId { get; init; }
    public long? RefundsEntryId { get; init; }

    /// <summary>On a <see cref="UsageKind.Tokens"/> entry: how many.</summary>
    public int Tokens { get; init; }
}

internal sealed class UsageEntryConfiguration : IEntityTypeConfiguration<UsageEntry>
{
    public void Configure(EntityTypeBuilder<UsageEntry> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(e => new { e.UserId, e.OccurredAt });
        builder.HasIndex(e => e.RefundsEntryId);
        builder.HasOne<User>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.SetNull);
    }
}
