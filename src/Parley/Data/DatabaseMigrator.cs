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
        // Replies left streaming by an instance that died: closed if their lease ran out (not those of live instances).
        await services.GetRequiredService<Features.Chats.ReplyLeases>().SweepAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
