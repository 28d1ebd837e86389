using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Parley.Features.Analytics;

/// <summary>One figure of one closed day (midnight to midnight in <see cref="TimeZone"/>), e.g. replies.failed of a model.</summary>
public sealed class AnalyticsDay
{
    public required string TimeZone { get; init; }
    public DateOnly Day { get; init; }
    public required string Metric { get; init; }

    /// <summary>The model for per-model figures; empty otherwise.</summary>
    public required string Dimension { get; init; }

    public long Value { get; init; }
}

/// <summary>A user active on a closed day: weekly and monthly actives are distinct counts over these.</summary>
public sealed class AnalyticsActiveDay
{
    public required string TimeZone { get; init; }
    public DateOnly Day { get; init; }
    public Guid UserId { get; init; }
}

/// <summary>Marks a day rolled up: its <see cref="AnalyticsDay"/> and <see cref="AnalyticsActiveDay"/> rows are complete.</summary>
public sealed class AnalyticsRolledUpDay
{
    public required string TimeZone { get; init; }
    public DateOnly Day { get; init; }
    public DateTime RolledUpAt { get; init; }
}

internal sealed class AnalyticsDayConfiguration : IEntityTypeConfiguration<AnalyticsDay>
{
    public void Configure(EntityTypeBuilder<AnalyticsDay> builder)
    {
        builder.HasKey(d => new { d.TimeZone, d.Day, d.Metric, d.Dimension });
        // The key with the value: a range of days is summed from the index alone (SQLite's key index points at the row).
        builder.HasIndex(d => new { d.TimeZone, d.Day, d.Metric, d.Dimension, d.Value });
        builder.Property(d => d.TimeZone).HasMaxLength(64);
        builder.Property(d => d.Metric).HasMaxLength(48);
        builder.Property(d => d.Dimension).HasMaxLength(128);
    }
}

internal sealed class AnalyticsActiveDayConfiguration : IEntityTypeConfiguration<AnalyticsActiveDay>
{
    public void Configure(EntityTypeBuilder<AnalyticsActiveDay> builder)
    {
        builder.HasKey(d => new { d.TimeZone, d.Day, d.UserId });
        builder.Property(d => d.TimeZone).HasMaxLength(64);
    }
}

internal sealed class AnalyticsRolledUpDayConfiguration : IEntityTypeConfiguration<AnalyticsRolledUpDay>
{
    public void Configure(EntityTypeBuilder<AnalyticsRolledUpDay> builder)
    {
        builder.HasKey(d => new { d.TimeZone, d.Day });
        builder.Property(d => d.TimeZone).HasMaxLength(64);
    }
}

/// <summary>
/// A user's way from the free limit to paying, each step's first time: the funnel's cohort is the users who first
/// reached the limit in the range. A row is made when a user first reaches the limit; each later step is set once,
/// and only on such a row, so every step comes after reaching the limit.
/// </summary>
public sealed class AnalyticsFunnel
{
    public Guid UserId { get; init; }
    public DateTime ReachedAt { get; init; }
    public DateTime? ShownAt { get; set; }
    public DateTime? CheckoutAt { get; set; }
    public DateTime? PaidAt { get; set; }
}

internal sealed class AnalyticsFunnelConfiguration : IEntityTypeConfiguration<AnalyticsFunnel>
{
    public void Configure(EntityTypeBuilder<AnalyticsFunnel> builder)
    {
        builder.HasKey(f => f.UserId);
        builder.HasIndex(f => f.ReachedAt);
    }
}
