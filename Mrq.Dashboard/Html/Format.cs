using System.Globalization;

namespace Mrq.Dashboard.Html;

/// <summary>How the dashboard prints times and durations.</summary>
internal static class Format
{
    public static string Date(DateTime? utc) =>
        utc is { } value ? value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z" : "";

    public static string Age(TimeSpan? span)
    {
        if (span is not { } value)
        {
            return "";
        }

        if (value < TimeSpan.Zero)
        {
            value = TimeSpan.Zero;
        }

        var c = CultureInfo.InvariantCulture;
        return value.TotalSeconds < 60 ? string.Create(c, $"{value.TotalSeconds:0.0}s")
            : value.TotalMinutes < 60 ? string.Create(c, $"{(int)value.TotalMinutes}m {value.Seconds}s")
            : value.TotalHours < 48 ? string.Create(c, $"{(int)value.TotalHours}h {value.Minutes}m")
            : string.Create(c, $"{(int)value.TotalDays}d {value.Hours}h");
    }

    public static string Seconds(double? seconds) =>
        seconds is { } value ? value.ToString("0.###", CultureInfo.InvariantCulture) + "s" : "";

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
