using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Parley.Features.Admin;

/// <summary>
/// What an admin did to an account (granted or removed Premium, disabled or enabled it, reset its usage): who, what,
/// whom, when. The emails are copied, so the log still reads after either account is deleted; no foreign keys.
/// </summary>
public sealed class AdminAction
{
    public long Id { get; init; }
    public Guid AdminId { get; init; }
    public required string AdminEmail { get; init; }
    public required string Action { get; init; }
    public Guid TargetId { get; init; }
    public required string TargetEmail { get; init; }
    public DateTime At { get; init; }
}

internal sealed class AdminActionConfiguration : IEntityTypeConfiguration<AdminAction>
{
    public void Configure(EntityTypeBuilder<AdminAction> builder)
    {
        builder.HasKey(a => a.Id);
        builder.Property(a => a.AdminEmail).HasMaxLength(254);
        builder.Property(a => a.TargetEmail).HasMaxLength(254);
        builder.Property(a => a.Action).HasMaxLength(32);
        builder.HasIndex(a => a.At);
    }
}
