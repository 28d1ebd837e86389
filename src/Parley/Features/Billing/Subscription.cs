using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Features.Auth;

namespace Parley.Features.Billing;

/// <summary>
/// Our copy of a Stripe subscription, always rewritten from Stripe's current state (never from an event's payload),
/// so the order webhooks arrive in does not matter. Kept for accounting when its user deletes their account, with
/// <see cref="UserId"/> null; webhooks still bring it up to date.
/// </summary>
public sealed class Subscription
{
    public required string Id { get; init; }
    public Guid? UserId { get; init; }
    public required string Status { get; set; }
    public DateTime? CurrentPeriodEnd { get; set; }
    public bool CancelAtPeriodEnd { get; set; }
    public string? PriceId { get; set; }

    /// <summary>When the subscription became past_due; the grace period runs from here.</summary>
    public DateTime? PastDueSince { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>What it brings in a month, in the currency's smallest unit (cents), from its price: MRR is their sum.</summary>
    public long? MonthlyAmount { get; set; }

    public string? Currency { get; set; }

    /// <summary>The Stripe account it lives in ("builtin", "test", "live"); only the current account's count.</summary>
    public string? Account { get; set; }
}

/// <summary>A webhook event already applied; inserted in the same transaction as its effect.</summary>
public sealed class ProcessedStripeEvent
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public DateTime ProcessedAt { get; init; }
}

internal sealed class SubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> builder)
    {
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(255);
        builder.Property(s => s.Status).HasMaxLength(32);
        builder.Property(s => s.PriceId).HasMaxLength(255);
        builder.Property(s => s.Account).HasMaxLength(16);
        builder.Property(s => s.Currency).HasMaxLength(3);
        builder.HasIndex(s => s.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ProcessedStripeEventConfiguration : IEntityTypeConfiguration<ProcessedStripeEvent>
{
    public void Configure(EntityTypeBuilder<ProcessedStripeEvent> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(255);
        builder.Property(e => e.Type).HasMaxLength(100);
        builder.HasIndex(e => e.ProcessedAt); // pruning: rows older than 90 days go
    }
}
