namespace Mrq.Storage.Redis;

/// <summary>Unix times as MRQ writes them (Python <c>time.time()</c>): seconds since the epoch, UTC.</summary>
internal static class RedisTime
{
    /// <summary>Seconds since the Unix epoch; an unspecified kind is taken as UTC (MRQ's dates are naive UTC).</summary>
    public static double UnixSeconds(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        return (utc - DateTime.UnixEpoch).TotalSeconds;
    }
}
