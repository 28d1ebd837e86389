using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Features.Analytics;

/// <summary>Moves a user along the funnel (<see cref="AnalyticsFunnel"/>) as its events are recorded.</summary>
public static class AnalyticsFunnels
{
    public static async Task StepAsync(AppDbContext db, AnalyticsKind kind, Guid? user, DateTime at, CancellationToken ct)
    {
        if (user is not { } userId)
        {
            return;
        }

        switch (kind)
        {
            case AnalyticsKind.LimitReached:
                if (!await db.AnalyticsFunnels.AnyAsync(f => f.UserId == userId, ct))
                {
                    db.AnalyticsFunnels.Add(new AnalyticsFunnel { UserId = userId, ReachedAt = at });
                    try
                    {
                        await db.SaveChangesAsync(ct);
                    }
                    catch (DbUpdateException)
                    {
                        // Another instance recorded the same user's first time at the same moment: that one stands.
                    }
                    finally
                    {
                        db.ChangeTracker.Clear();
                    }
                }

                break;
            case AnalyticsKind.UpgradeShown:
                await db.AnalyticsFunnels.Where(f => f.UserId == userId && f.ShownAt == null).ExecuteUpdateAsync(s => s.SetProperty(f => f.ShownAt, at), ct);
                break;
            case AnalyticsKind.CheckoutStarted:
                await db.AnalyticsFunnels.Where(f => f.UserId == userId && f.CheckoutAt == null).ExecuteUpdateAsync(s => s.SetProperty(f => f.CheckoutAt, at), ct);
                break;
            case AnalyticsKind.SubscriptionActive:
                await db.AnalyticsFunnels.Where(f => f.UserId == userId && f.PaidAt == null).ExecuteUpdateAsync(s => s.SetProperty(f => f.PaidAt, at), ct);
                break;
        }
    }
}
