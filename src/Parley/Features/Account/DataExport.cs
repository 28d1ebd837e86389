using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Parley.Features.Account;

public enum ExportStatus
{
    /// <summary>Asked for; an instance will take it.</summary>
    Pending,

    /// <summary>Being written by the instance holding its lease (a lease that runs out is taken over).</summary>
    Building,

    Ready,

    /// <summary>Could not be written after a few tries; the user may ask again.</summary>
    Failed,
}

/// <summary>
/// A zip of everything of a user's (profile, every chat with every branch, files, usage), prepared in the background
/// and kept in the file store for a week. Like attachments it has no foreign key to the user: an account's deletion
/// marks its exports (<see cref="DeletedAt"/>) and the sweeper deletes their files, then the rows.
/// </summary>
public sealed class DataExport
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid UserId { get; init; }
    public ExportStatus Status { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? ReadyAt { get; set; }

    /// <summary>When a ready export's file is deleted; the user asks for a new one after that.</summary>
    public DateTime? ExpiresAt { get; set; }

    public long? Size { get; set; }
    public int Attempts { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }
    public DateTime? DeletedAt { get; set; }
}

internal sealed class DataExportConfiguration : IEntityTypeConfiguration<DataExport>
{
    public void Configure(EntityTypeBuilder<DataExport> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.LeaseOwner).HasMaxLength(64);
        builder.HasIndex(e => new { e.UserId, e.CreatedAt });
        // What the workers look for: exports waiting, or whose builder stopped renewing.
        builder.HasIndex(e => e.CreatedAt).HasFilter("\"Status\" IN ('Pending', 'Building')");
    }
}
