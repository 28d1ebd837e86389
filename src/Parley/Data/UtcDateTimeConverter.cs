using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Parley.Data;

internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

public static class StoredTime
{
    /// <summary>
    /// Now, to the microsecond, as PostgreSQL stores it: a row written with it reads back equal, so what a request
    /// answers from memory is what another instance reads from the database.
    /// </summary>
    public static DateTime UtcNowAsStored(this TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
