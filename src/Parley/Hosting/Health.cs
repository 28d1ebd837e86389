using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Parley.Data;

namespace Parley.Hosting;

/// <summary>
/// <c>/healthz/live</c>: the process answers (restart it if not). <c>/healthz/ready</c>: send it traffic; the database
/// answers within 2 s with every migration applied, and the instance is not shutting down. <c>/healthz</c> is live,
/// as it always was.
/// </summary>
public static class Health
{
    private const string Ready = "ready";

    public static IServiceCollection AddParleyHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: [Ready])
            .AddCheck<AcceptingCheck>("accepting", tags: [Ready]);
        return services;
    }

    public static void MapParleyHealth(this WebApplication app)
    {
        var live = new HealthCheckOptions { Predicate = _ => false };
        app.MapHealthChecks("/healthz", live);
        app.MapHealthChecks("/healthz/live", live);
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync });
    }

    /// <summary>Says which check failed and why, for the operator reading a balancer's log.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        }));
    }
}

internal sealed class DatabaseCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);
    private volatile bool _migrated;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Limit);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Database.ExecuteSqlRawAsync("SELECT 1", timeout.Token);
            if (!_migrated)
            {
                // Once applied they stay applied: afterwards only the round trip is checked.
                var pending = (await db.Database.GetPendingMigrationsAsync(timeout.Token)).Count();
                if (pending > 0)
                {
                    return HealthCheckResult.Unhealthy($"{pending} migration(s) not applied yet.");
                }

                _migrated = true;
            }

            return HealthCheckResult.Healthy();
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The database did not answer within {Limit.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (DatabaseOutage.Is(ex) || ex is InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.", ex);
        }
    }
}

/// <summary>Unhealthy from the moment shutdown begins, so the balancer stops sending work before the drain.</summary>
internal sealed class AcceptingCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("Shutting down.")
            : HealthCheckResult.Healthy());
}
