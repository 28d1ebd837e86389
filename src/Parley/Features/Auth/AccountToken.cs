using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Parley.Data;

namespace Parley.Features.Auth;

public enum AccountTokenPurpose
{
    /// <summary>Sets a new password without the old one (a "forgot password" mail).</summary>
    PasswordReset,

    /// <summary>Confirms a new email address (a mail to that address).</summary>
    EmailChange,
}

/// <summary>
/// A single-use secret mailed to a user. Only its SHA-256 is stored, so the table is no use to someone who reads it;
/// it is used at most once (a conditional update), and only until it expires.
/// </summary>
public sealed class AccountToken
{
    public long Id { get; init; }
    public Guid UserId { get; init; }
    public AccountTokenPurpose Purpose { get; init; }
    public required string TokenHash { get; init; }

    /// <summary>For <see cref="AccountTokenPurpose.EmailChange"/>: the address being confirmed.</summary>
    public string? NewEmail { get; init; }

    public DateTime CreatedAt { get; init; }
    public DateTime ExpiresAt { get; init; }
    public DateTime? UsedAt { get; set; }
}

internal sealed class AccountTokenConfiguration : IEntityTypeConfiguration<AccountToken>
{
    public void Configure(EntityTypeBuilder<AccountToken> builder)
    {
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Purpose).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.TokenHash).HasMaxLength(64);
        builder.Property(t => t.NewEmail).HasMaxLength(254);
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => new { t.UserId, t.Purpose, t.CreatedAt });
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Issues and redeems <see cref="AccountToken"/>s.</summary>
public sealed class AccountTokens(AppDbContext db, TimeProvider time)
{
    public static readonly TimeSpan ResetLifetime = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan EmailChangeLifetime = TimeSpan.FromHours(24);

    /// <summary>At most one mail of a kind per user per minute: a stranger cannot flood someone's inbox.</summary>
    public static readonly TimeSpan Spacing = TimeSpan.FromMinutes(1);

    /// <summary>A new token for the user, or null when one of the same purpose was issued within <see cref="Spacing"/>.</summary>
    public async Task<string?> IssueAsync(Guid userId, AccountTokenPurpose purpose, TimeSpan lifetime, string? newEmail, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var recent = now - Spacing;
        if (await db.AccountTokens.AnyAsync(t => t.UserId == userId && t.Purpose == purpose && t.CreatedAt > recent, ct))
        {
            return null;
        }

        var token = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        db.AccountTokens.Add(new AccountToken
        {
            UserId = userId,
            Purpose = purpose,
            TokenHash = Hash(token),
            NewEmail = newEmail,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        });
        // Older tokens of this kind stop working: only the newest link does.
        await db.AccountTokens.Where(t => t.UserId == userId && t.Purpose == purpose && t.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), ct);
        await db.SaveChangesAsync(ct);
        return token;
    }

    /// <summary>Uses the token (once, before it expires); its user and new email, or null. Call inside the caller's transaction.</summary>
    public async Task<(Guid UserId, string? NewEmail)?> RedeemAsync(string? token, AccountTokenPurpose purpose, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        var hash = Hash(token);
        var now = time.GetUtcNow().UtcDateTime;
        var found = await db.AccountTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.Purpose == purpose && t.UsedAt == null && t.ExpiresAt > now)
            .Select(t => new { t.UserId, t.NewEmail }).SingleOrDefaultAsync(ct);
        if (found is null)
        {
            return null;
        }

        // Conditional: of two uses racing, one wins.
        var used = await db.AccountTokens.Where(t => t.TokenHash == hash && t.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), ct);
        return used == 1 ? (found.UserId, found.NewEmail) : null;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
