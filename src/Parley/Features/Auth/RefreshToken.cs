using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Parley.Features.Auth;

/// <summary>
/// One link in a refresh-token family. Only a SHA-256 of the token is stored. Each use marks the token used and
/// issues the next one in the same family; presenting a used token again means it was stolen, so the family dies.
/// </summary>
public sealed class RefreshToken
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid UserId { get; init; }
    public Guid FamilyId { get; init; }
    public required string TokenHash { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime ExpiresAt { get; init; }
    public DateTime? UsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    /// <summary>The browser's User-Agent when this token was issued, cut to <see cref="MaxUserAgentLength"/>: the device in the sessions list.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The client's address when this token was issued (through a trusted proxy, the original client's).</summary>
    public string? IpAddress { get; init; }

    public const int MaxUserAgentLength = 256;
}

internal sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> builder)
    {
        builder.HasKey(t => t.Id);
        builder.Property(t => t.TokenHash).HasMaxLength(64);
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => t.FamilyId);
        builder.Property(t => t.UserAgent).HasMaxLength(RefreshToken.MaxUserAgentLength);
        builder.Property(t => t.IpAddress).HasMaxLength(45);
        // The sessions list: a user's live heads (unused, unrevoked) of each family.
        builder.HasIndex(t => new { t.UserId, t.ExpiresAt }).HasFilter("\"UsedAt\" IS NULL AND \"RevokedAt\" IS NULL");
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
