using Microsoft.EntityFrameworkCore;

namespace Parley.Data;

/// <summary>
/// Creates or migrates the database in the host's Starting phase, which runs before any hosted service starts,
/// the web server included, so no request ever meets an old schema.
/// </summary>
internal sealed class DatabaseMigrator(IServiceProvider services, ILogger<DatabaseMigrator> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var url = services.GetRequiredService<DatabaseUrl>();
        logger.LogInformation("Migrating the {Provider} database", url.Provider);
        await services.MigrateDatabaseAsync(cancellationToken);
        await CloseAbandonedRepliesAsync(cancellationToken);
    }

    /// <summary>
    /// Replies still marked as streaming long after any generation could have ended were cut off by a crash or a
    /// restart: they are closed as failed (their text kept) so no page waits for them forever.
    /// </summary>
    private async Task CloseAbandonedRepliesAsync(CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var timeout = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Features.Bot.BotOptions>>().Value.Timeout;
        var before = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime - timeout - TimeSpan.FromMinutes(1);
        var closed = await db.Messages
            .Where(m => m.Status == Features.Chats.MessageStatus.Streaming && m.CreatedAt < before)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, Features.Chats.MessageStatus.Failed), ct);
        if (closed > 0)
        {
            logger.LogWarning("Closed {Count} replies left streaming by an earlier run", closed);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
