namespace Mrq.Jobs;

/// <summary>Conversions between <see cref="JobStatus"/> and MRQ's stored lowercase status strings.</summary>
public static class JobStatusNames
{
    private static readonly string[] s_names =
    [
        "queued", "started", "success", "failed", "cancel", "abort", "interrupt", "timeout", "retry", "maxretries", "maxconcurrency",
    ];

    /// <summary>All statuses, in declaration order.</summary>
    public static IReadOnlyList<JobStatus> All { get; } = Enum.GetValues<JobStatus>();

    /// <summary>The status as MRQ stores it (<c>"maxretries"</c>, <c>"queued"</c>…).</summary>
    public static string ToMrqName(this JobStatus status) => s_names[(int)status];

    /// <summary>Parses MRQ's stored status string.</summary>
    /// <exception cref="FormatException">The text is not one of MRQ's statuses.</exception>
    public static JobStatus Parse(string text) => TryParse(text, out var status)
        ? status
        : throw new FormatException($"'{text}' is not a job status; expected one of: {string.Join(", ", s_names)}.");

    /// <summary>Tries to parse MRQ's stored status string (case-insensitive).</summary>
    public static bool TryParse(string? text, out JobStatus status)
    {
        for (var i = 0; i < s_names.Length; i++)
        {
            if (string.Equals(s_names[i], text, StringComparison.OrdinalIgnoreCase))
            {
                status = (JobStatus)i;
                return true;
            }
        }

        status = default;
        return false;
    }
}
