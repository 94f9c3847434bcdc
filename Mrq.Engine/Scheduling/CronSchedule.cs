using Cronos;

namespace Mrq.Scheduling;

/// <summary>
/// A cron entry's schedule, parsed by Cronos (no parser of our own): 5 fields, or 6 with seconds first, or a macro
/// such as <c>@daily</c>; read in an IANA time zone, where daylight-saving transitions follow Cronos' documented
/// rules (a time skipped in spring runs at the next valid time; in autumn a fixed-time expression runs once, an
/// interval expression in both repeated hours).
/// </summary>
internal sealed class CronSchedule
{
    private readonly CronExpression _expression;
    private readonly TimeZoneInfo _zone;

    private CronSchedule(CronExpression expression, TimeZoneInfo zone)
    {
        _expression = expression;
        _zone = zone;
    }

    /// <summary>Parses an entry's cron and time zone.</summary>
    /// <exception cref="FormatException">The expression is not valid cron, or the time zone is unknown (the message says which).</exception>
    public static CronSchedule Parse(string cron, string? timeZone)
    {
        ArgumentNullException.ThrowIfNull(cron);
        var fields = cron.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        var format = fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        if (fields is not (5 or 6) && !cron.TrimStart().StartsWith('@'))
        {
            throw new FormatException($"cron '{cron}' has {fields} fields; it needs 5 (minute hour day month weekday) or 6 (seconds first).");
        }

        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(cron.Trim(), format);
        }
        catch (CronFormatException ex)
        {
            throw new FormatException($"cron '{cron}' is not valid: {ex.Message}", ex);
        }

        TimeZoneInfo zone;
        try
        {
            zone = timeZone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new FormatException($"timezone '{timeZone}' is not a known time zone id (use an IANA id such as Europe/Paris).", ex);
        }

        return new CronSchedule(expression, zone);
    }

    /// <summary>The occurrences after <paramref name="fromUtc"/> (excluded) up to <paramref name="toUtc"/> (included), oldest first.</summary>
    public IEnumerable<DateTime> Occurrences(DateTime fromUtc, DateTime toUtc) => fromUtc >= toUtc
        ? []
        : _expression.GetOccurrences(
            DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc),
            DateTime.SpecifyKind(toUtc, DateTimeKind.Utc),
            _zone,
            fromInclusive: false,
            toInclusive: true);
}
