using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Features.Auth;
using Parley.Web;

namespace Parley.Features.Analytics;

/// <summary>What the upgrade dialog reports: it was shown, or closed without upgrading.</summary>
public enum UpgradeDialogEvent
{
    Shown,
    Dismissed,
}

public sealed record UpgradeDialogRequest(UpgradeDialogEvent Event);

/// <summary>The admin dashboard, and the funnel steps only the browser sees (the upgrade dialog shown and dismissed).</summary>
public static class AnalyticsEndpoints
{
    /// <summary>The same dialog event from the same user within this long is one: reopening it in a loop counts once.</summary>
    public static readonly TimeSpan Repeat = TimeSpan.FromSeconds(30);

    public static RouteGroupBuilder MapDashboard(this RouteGroupBuilder admin)
    {
        admin.MapGet("/dashboard", Dashboard).WithName("AdminDashboard")
            .WithSummary("Figures for a range of days in ADMIN_TIME_ZONE: from and to as yyyy-mm-dd (at most 366 days), or the last `days` to today (by default 30).");
        return admin;
    }

    public static IEndpointRouteBuilder MapAnalytics(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/analytics/upgrade-dialog", UpgradeDialog).WithTags("Usage").WithName("ReportUpgradeDialog").RequireAuthorization()
            .WithSummary("The upgrade dialog was shown or dismissed (for the operator's funnel; nothing else is recorded).")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    private static async Task<Results<Ok<DashboardResponse>, ValidationProblem>> Dashboard(
        string? from, string? to, int? days, AdminDashboard dashboard, CancellationToken ct)
    {
        var today = dashboard.Today;
        if (Day(to, today) is not { } last)
        {
            return FieldProblem.For("to", "Give the last day as yyyy-mm-dd, e.g. 2026-12-31.", "Not a date");
        }

        if (days is < 1 or > AdminDashboard.MaxDays)
        {
            return FieldProblem.For("days", $"Ask for 1 to {AdminDashboard.MaxDays} days.", "Range too long");
        }

        if (Day(from, last.AddDays(1 - (days ?? 30))) is not { } first)
        {
            return FieldProblem.For("from", "Give the first day as yyyy-mm-dd, e.g. 2026-12-01.", "Not a date");
        }

        if (first > last)
        {
            return FieldProblem.For("from", "The first day comes after the last one: swap them.", "Range backwards");
        }

        if (last.DayNumber - first.DayNumber + 1 > AdminDashboard.MaxDays)
        {
            return FieldProblem.For("from", $"A range covers at most {AdminDashboard.MaxDays} days.", "Range too long");
        }

        return TypedResults.Ok(await dashboard.BuildAsync(first, last, ct));
    }

    private static DateOnly? Day(string? text, DateOnly fallback) =>
        string.IsNullOrWhiteSpace(text) ? fallback
        : DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year is >= 2000 and <= 9999 ? day
        : null;

    private static async Task<NoContent> UpgradeDialog(UpgradeDialogRequest request, AppDbContext db, Billing.Entitlements entitlements, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var userId = http.User.UserId();
        var kind = request.Event == UpgradeDialogEvent.Shown ? AnalyticsKind.UpgradeShown : AnalyticsKind.UpgradeDismissed;
        var now = time.UtcNowAsStored();
        var since = now - Repeat;
        if (!await db.AnalyticsEvents.AnyAsync(e => e.Kind == kind && e.OccurredAt >= since && e.UserId == userId, ct))
        {
            db.AnalyticsEvents.Add(new AnalyticsEvent { Kind = kind, UserId = userId, OccurredAt = now, Premium = (await entitlements.ForAsync(userId, ct)).IsPremium });
            await db.SaveChangesAsync(ct);
            await AnalyticsFunnels.StepAsync(db, kind, userId, now, ct);
        }

        return TypedResults.NoContent();
    }
}
