using Parley.Data;

namespace Parley.Features.Analytics;

/// <summary>
/// Records an event that has no transaction of its own to ride in (a refused send rolls its transaction back; a
/// checkout is a call to Stripe), in a scope of its own. Analytics never fail what the user asked for: a database
/// that is away loses the event and logs it.
/// </summary>
public sealed class AnalyticsRecorder(IServiceScopeFactory scopes, TimeProvider time, ILogger<AnalyticsRecorder> logger)
{
    public async Task RecordAsync(AnalyticsKind kind, Guid userId, bool premium = false)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var now = time.UtcNowAsStored();
            db.AnalyticsEvents.Add(new AnalyticsEvent { Kind = kind, UserId = userId, OccurredAt = now, Premium = premium });
            await db.SaveChangesAsync(CancellationToken.None);
            await AnalyticsFunnels.StepAsync(db, kind, userId, now, CancellationToken.None);
        }
        catch (Exception ex) when (DatabaseOutage.Is(ex) || ex is Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            logger.LogWarning(ex, "The {Kind} event of {User} could not be recorded", kind, userId);
        }
    }
}
