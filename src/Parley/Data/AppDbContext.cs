using Microsoft.EntityFrameworkCore;
using Parley.Features.Auth;
using Parley.Features.Billing;
using Parley.Features.Chats;
using Parley.Features.Usage;

namespace Parley.Data;

/// <summary>
/// The one EF Core model. Each provider has a subclass so that each keeps its own migration set
/// (Migrations/Sqlite, Migrations/Postgres); see docs/decisions/0002-two-migration-sets.md.
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<LoginThrottle> LoginThrottles => Set<LoginThrottle>();
    public DbSet<TrustedDevice> TrustedDevices => Set<TrustedDevice>();
    public DbSet<AccountToken> AccountTokens => Set<AccountToken>();
    public DbSet<Chat> Chats => Set<Chat>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<Features.Attachments.Attachment> Attachments => Set<Features.Attachments.Attachment>();
    public DbSet<UsageEntry> UsageEntries => Set<UsageEntry>();
    public DbSet<Features.Account.DataExport> DataExports => Set<Features.Account.DataExport>();
    public DbSet<Features.Account.Avatar> Avatars => Set<Features.Account.Avatar>();
    public DbSet<Features.Admin.AdminAction> AdminActions => Set<Features.Admin.AdminAction>();
    public DbSet<Features.Analytics.AnalyticsEvent> AnalyticsEvents => Set<Features.Analytics.AnalyticsEvent>();
    public DbSet<Features.Analytics.AnalyticsDay> AnalyticsDays => Set<Features.Analytics.AnalyticsDay>();
    public DbSet<Features.Analytics.AnalyticsActiveDay> AnalyticsActiveDays => Set<Features.Analytics.AnalyticsActiveDay>();
    public DbSet<Features.Analytics.AnalyticsRolledUpDay> AnalyticsRolledUpDays => Set<Features.Analytics.AnalyticsRolledUpDay>();
    public DbSet<Features.Analytics.AnalyticsFunnel> AnalyticsFunnels => Set<Features.Analytics.AnalyticsFunnel>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<ProcessedStripeEvent> ProcessedStripeEvents => Set<ProcessedStripeEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC; SQLite gets it back as Unspecified, so the kind is restored on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<string>().HaveMaxLength(512);
    }
}

public sealed class SqliteDbContext(DbContextOptions<SqliteDbContext> options) : AppDbContext(options);

public sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : AppDbContext(options);
