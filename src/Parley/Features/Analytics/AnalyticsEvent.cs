using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Features.Auth;

namespace Parley.Features.Analytics;

/// <summary>What the admin dashboard counts. Never message content.</summary>
public enum AnalyticsKind
{
    SignedUp,

    /// <summary>A model call that took a message (a send, a retry, a regeneration, a continuation), as it ended.</summary>
    Reply,

    /// <summary>A send refused because the user's limit was reached.</summary>
    LimitReached,

    UpgradeShown,
    UpgradeDismissed,
    CheckoutStarted,
    SubscriptionActive,
    SubscriptionCancelled,
    SubscriptionPastDue,

    /// <summary>A rating of a reply; one per reply (a change replaces it, taking it back removes it).</summary>
    Feedback,
}

/// <summary>
/// One thing that happened, for the admin dashboard (docs/decisions/0018-analytics-events-and-roll-ups.md). Written
/// in the same transaction as what it records where there is one; kept with no user when its user deletes their
/// account, as the usage ledger is.
/// </summary>
public sealed class AnalyticsEvent
{
    public long Id { get; init; }
    public AnalyticsKind Kind { get; init; }
    public Guid? UserId { get; init; }
    public DateTime OccurredAt { get; init; }

    /// <summary>Whether the user was on Premium then (replies: messages free or premium).</summary>
    public bool Premium { get; init; }

    /// <summary>Replies and feedback: the model that answered; null when it is not known (a reply closed by the lease sweep).</summary>
    public string? Model { get; init; }

    /// <summary>Replies: how it ended (complete, failed, stopped, interrupted); feedback: up or down.</summary>
    public string? Outcome { get; init; }

    /// <summary>Replies: milliseconds from calling the model to its first text; null without any text.</summary>
    public int? FirstTokenMs { get; init; }

    public int InputTokens { get; init; }
    public int OutputTokens { get; init; }

    /// <summary>Feedback: the reply rated, so a change replaces the earlier rating.</summary>
    public long? MessageId { get; init; }
}

internal sealed class AnalyticsEventConfiguration : IEntityTypeConfiguration<AnalyticsEvent>
{
    public void Configure(EntityTypeBuilder<AnalyticsEvent> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(e => e.Model).HasMaxLength(128);
        builder.Property(e => e.Outcome).HasMaxLength(16);
        // Every dashboard query is "events of a kind within a time range"; the user id is included for the funnel's
        // and the active users' distinct counts, read from the index alone.
        builder.HasIndex(e => new { e.Kind, e.OccurredAt, e.UserId });
        builder.HasIndex(e => e.UserId); // SET NULL on account deletion
        builder.HasIndex(e => e.MessageId).HasFilter("\"MessageId\" IS NOT NULL");
        builder.HasOne<User>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.SetNull);
    }
}
