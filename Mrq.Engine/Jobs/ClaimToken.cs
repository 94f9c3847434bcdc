namespace Mrq.Jobs;

/// <summary>
/// The claim token every write by a running job's worker is compared with: the job is <c>started</c>, by that
/// worker, with the <c>datestarted</c> its claim set. Dates compare to the millisecond, the precision of a BSON date.
/// </summary>
public static class ClaimToken
{
    /// <summary>
    /// True when a stored <c>datestarted</c> belongs to the claim that set <paramref name="claimStarted"/>
    /// (always true when the writer does not know its claim's date).
    /// </summary>
    public static bool SameClaim(DateTime? stored, DateTime? claimStarted) =>
        claimStarted is not { } expected
        || (stored is { } actual && Milliseconds(actual) == Milliseconds(expected));

    /// <summary>Milliseconds since the Unix epoch of a date taken as UTC when its kind is unspecified.</summary>
    public static long Milliseconds(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
        return (utc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
    }
}
