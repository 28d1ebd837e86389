using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Parley.Features.Auth;

/// <summary>
/// Failed logins per email, kept whether or not an account exists for it, so a lockout says nothing about which
/// emails are registered. Stored in the database so every instance behind a load balancer sees the same count.
/// </summary>
public sealed class LoginThrottle
{
    public required string NormalizedEmail { get; init; }
    public int Failures { get; set; }
    public DateTime LastFailureAt { get; set; }
    public DateTime? LockedUntil { get; set; }
}

internal sealed class LoginThrottleConfiguration : IEntityTypeConfiguration<LoginThrottle>
{
    public void Configure(EntityTypeBuilder<LoginThrottle> builder)
    {
        builder.HasKey(t => t.NormalizedEmail);
        builder.Property(t => t.NormalizedEmail).HasMaxLength(254);
    }
}
