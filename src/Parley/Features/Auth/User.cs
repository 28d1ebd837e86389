using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Parley.Features.Auth;

public enum Theme
{
    System,
    Light,
    Dark,
}

/// <summary>How times are written: as the user's language does, or 12-hour ("3:05 PM") or 24-hour ("15:05") always.</summary>
public enum ClockFormat
{
    Auto,
    H12,
    H24,
}

public sealed class User
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Email { get; set; }

    /// <summary>Lower-case, trimmed email: the unique login key.</summary>
    public required string NormalizedEmail { get; set; }

    public required string PasswordHash { get; set; }

    /// <summary>Premium granted by an operator (<c>set-plan</c>); a paid subscription also makes a user Premium.</summary>
    public bool IsPremium { get; set; }

    /// <summary>The user's Stripe Customer, created on their first checkout.</summary>
    public string? StripeCustomerId { get; set; }

    /// <summary>
    /// The Stripe account <see cref="StripeCustomerId"/> lives in (<see cref="Billing.BillingRuntime.Account"/>); null
    /// for customers stored before this was recorded. A customer of another account is never sent to Stripe.
    /// </summary>
    public string? StripeCustomerAccount { get; set; }

    /// <summary>
    /// Bumped by every transaction that writes the user's usage (a send taking quota, a reply's end recording tokens
    /// or a refund). The update locks the user's row first, which serialises them so the count-then-insert of a send
    /// cannot race, and gives them all one lock order (user, then chat and messages): no deadlocks (Usage/QuotaService).
    /// </summary>
    public long UsageRevision { get; set; }

    /// <summary>
    /// The ledger, summed (ADR 0012): <see cref="UsageMessages"/> messages not refunded and <see cref="UsageTokens"/>
    /// tokens over the entries that occurred after this instant. Null until first counted. Each take moves it up to
    /// the window's start, so a send reads only the entries that left the window since, never the whole window.
    /// </summary>
    public DateTime? UsageCountedFrom { get; set; }

    /// <summary>
    /// When the user last took a message (set with the usage counter, in the same statement): the dashboard's weekly
    /// and monthly actives up to today are a count over its index.
    /// </summary>
    public DateTime? LastMessageAt { get; set; }

    public int UsageMessages { get; set; }

    public long UsageTokens { get; set; }

    /// <summary>Bytes of the user's stored attachments, taken and given back with them (Attachments/AttachmentService).</summary>
    public long StorageBytes { get; set; }

    public DateTime CreatedAt { get; init; }

    /// <summary>The name shown in the sidebar and on the user's messages; null shows the email.</summary>
    public string? DisplayName { get; set; }

    /// <summary>The address of the user's picture (Account/Avatar); null: their initial on a colour.</summary>
    public string? AvatarKey { get; set; }

    /// <summary>"What should Parley know about you?": added to the system prompt of every new reply (Account/PersonalInstructions).</summary>
    public string? AboutYou { get; set; }

    /// <summary>"How should Parley reply?": added to the system prompt of every new reply.</summary>
    public string? ReplyStyle { get; set; }

    /// <summary>Light, dark, or as the device is set; applied before the first paint on every device (the UI caches it).</summary>
    public Theme Theme { get; set; }

    /// <summary>An IANA time zone ("Europe/Paris") for times shown; null: the device's own.</summary>
    public string? TimeZone { get; set; }

    public ClockFormat Clock { get; set; }

    /// <summary>An admin (the <c>set-role</c> command); emails in <c>ADMIN_EMAILS</c> are admins too (Admin/AdminAccess).</summary>
    public bool IsAdmin { get; set; }

    /// <summary>Set by an admin: the account can't sign in, and its sessions ended when it was set.</summary>
    public DateTime? DisabledAt { get; set; }

    /// <summary>The model new chats use, where the operator offers a choice (Bot/ModelCatalog); null: the plan's.</summary>
    public string? DefaultModel { get; set; }

    public const int MaxDisplayNameLength = 80;
    public const int MaxInstructionsLength = 1500;
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Email).HasMaxLength(254);
        builder.Property(u => u.NormalizedEmail).HasMaxLength(254);
        builder.HasIndex(u => u.NormalizedEmail).IsUnique();
        builder.HasIndex(u => u.LastMessageAt);
        builder.Property(u => u.PasswordHash).HasMaxLength(100);
        builder.Property(u => u.StripeCustomerId).HasMaxLength(255);
        builder.Property(u => u.StripeCustomerAccount).HasMaxLength(16);
        builder.HasIndex(u => u.StripeCustomerId).IsUnique();
        builder.Property(u => u.DisplayName).HasMaxLength(User.MaxDisplayNameLength);
        builder.Property(u => u.AboutYou).HasMaxLength(User.MaxInstructionsLength);
        builder.Property(u => u.ReplyStyle).HasMaxLength(User.MaxInstructionsLength);
        builder.Property(u => u.Theme).HasConversion<string>().HasMaxLength(8).HasDefaultValue(Theme.System).HasSentinel((Theme)(-1));
        builder.Property(u => u.TimeZone).HasMaxLength(64);
        builder.Property(u => u.AvatarKey).HasMaxLength(32);
        builder.Property(u => u.DefaultModel).HasMaxLength(100);
        builder.Property(u => u.Clock).HasConversion<string>().HasMaxLength(8).HasDefaultValue(ClockFormat.Auto).HasSentinel((ClockFormat)(-1));
    }
}
