namespace Mrq.Storage.InMemory;

/// <summary>Normalizes dates to UTC the way a database round trip would, so every date the store hands out is UTC.</summary>
internal static class UtcDates
{
    /// <summary>The UTC form of <paramref name="value"/>; an unspecified kind is taken as UTC already.</summary>
    public static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    /// <summary>The UTC form of <paramref name="value"/>, or null.</summary>
    public static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;

    /// <summary>Seconds since the Unix epoch (what MRQ's timed sets score by).</summary>
    public static double UnixSeconds(DateTime value) => (Utc(value) - DateTime.UnixEpoch).TotalSeconds;
}
