namespace Parley.Data;

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
