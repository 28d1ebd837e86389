namespace Parley.Features.Analytics;

/// <summary>Days in the operator's time zone (<c>ADMIN_TIME_ZONE</c>), and the UTC instants they run between.</summary>
public sealed class AnalyticsDays(TimeZoneInfo zone, string zoneId)
{
    public string ZoneId => zoneId;

    public DateOnly DayOf(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone));

    /// <summary>From the day's first moment to the next day's, in UTC (23 or 25 hours long on a change of clocks).</summary>
    public (DateTime Start, DateTime End) Bounds(DateOnly day) => (StartOf(day), StartOf(day.AddDays(1)));

    private DateTime StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // Where the clocks jump forward at midnight, the day starts at the first moment that exists.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}
