using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Parley.Features.Auth;

/// <summary>
/// A browser that has signed in to an account before (OWASP's "device cookie"). Its cookie holds 256 random bits;
/// only their SHA-256 is stored. A trusted device is exempt from the account's lockout, so a stranger hammering the
/// login cannot lock the owner out of a browser they already use; the device has its own failure count instead.
/// </summary>
public sealed class TrustedDevice
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid UserId { get; init; }
    public required string TokenHash { get; init; }
    public int Failures { get; set; }

    /// <summary>Set after too many failures from this device: until then it is treated as an unknown client.</summary>
    public DateTime? LockedUntil { get; set; }

    public DateTime CreatedAt { get; init; }
    public DateTime LastUsedAt { get; set; }
}

internal sealed class TrustedDeviceConfiguration : IEntityTypeConfiguration<TrustedDevice>
{
    public void Configure(EntityTypeBuilder<TrustedDevice> builder)
    {
        builder.HasKey(d => d.Id);
        builder.Property(d => d.TokenHash).HasMaxLength(64);
        builder.HasIndex(d => d.TokenHash).IsUnique();
        builder.HasIndex(d => d.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
