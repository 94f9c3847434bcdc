using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Mrq.Jobs;
using Mrq.Monitoring;
using Mrq.Storage;

namespace Mrq.Dashboard;

/// <summary>
/// The job list's query string (<c>queue, path, status, worker, exception, from, to, q, sort, dir, page, size</c>),
/// parsed into a <see cref="JobSearch"/> and written back into links and hidden form fields.
/// </summary>
internal sealed record JobSearchQuery(
    string? Queue, string? Path, IReadOnlyList<JobStatus> Statuses, string? Worker, string? Exception,
    DateTime? From, DateTime? To, string? Text, JobSortKey Sort, bool Descending, int Page, int Size)
{
    public const int MaxSize = 200;

    /// <summary>The names of the filter fields, in the order links carry them.</summary>
    public static readonly string[] FilterFields = ["queue", "path", "status", "worker", "exception", "from", "to", "q"];

    public JobSearch ToSearch() => new()
    {
        Filter = new JobFilter
        {
            Queue = Queue,
            Statuses = Statuses.Count == 0 ? null : Statuses,
            Worker = Worker,
            ExceptionType = Exception,
        },
        PathPattern = Path,
        QueuedFrom = From,
        QueuedTo = To,
        Text = Text,
        Sort = Sort,
        Descending = Descending,
    };

    /// <summary>Parses the query; a bad value gives a one-line error naming the field.</summary>
    public static bool TryParse(IQueryCollection query, int defaultSize, out JobSearchQuery parsed, out string? error)
    {
        parsed = null!;
        error = null;
        var statuses = new List<JobStatus>();
        foreach (var value in query["status"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!JobStatusNames.TryParse(value, out var status))
            {
                error = $"Unknown status '{value}'; expected one of: {string.Join(", ", JobStatusNames.All.Select(s => s.ToMrqName()))}.";
                return false;
            }

            statuses.Add(status);
        }

        var queue = Optional(query, "queue");
        if (queue is not null && !IsValidQueue(queue, out error))
        {
            return false;
        }

        if (!TryDate(query, "from", out var from, out error) || !TryDate(query, "to", out var to, out error))
        {
            return false;
        }

        var sortText = Optional(query, "sort") ?? "id";
        if (!Enum.TryParse<JobSortKey>(sortText, ignoreCase: true, out var sort) || int.TryParse(sortText, out _))
        {
            error = $"Unknown sort '{sortText}'; expected one of: {string.Join(", ", Enum.GetNames<JobSortKey>().Select(n => n.ToLowerInvariant()))}.";
            return false;
        }

        var dir = Optional(query, "dir") ?? "desc";
        if (dir is not ("asc" or "desc"))
        {
            error = $"Unknown dir '{dir}'; expected asc or desc.";
            return false;
        }

        if (!TryInt(query, "page", 1, int.MaxValue / MaxSize, 1, out var page, out error)
            || !TryInt(query, "size", 1, MaxSize, defaultSize, out var size, out error))
        {
            return false;
        }

        parsed = new JobSearchQuery(queue, Optional(query, "path"), statuses, Optional(query, "worker"), Optional(query, "exception"),
            from, to, Optional(query, "q"), sort, dir == "desc", page, size);
        return true;
    }

    /// <summary>The filter as query-string pairs (no paging or sort).</summary>
    public IEnumerable<KeyValuePair<string, string>> FilterPairs()
    {
        if (Queue is not null) yield return new("queue", Queue);
        if (Path is not null) yield return new("path", Path);
        if (Statuses.Count > 0) yield return new("status", string.Join(',', Statuses.Select(s => s.ToMrqName())));
        if (Worker is not null) yield return new("worker", Worker);
        if (Exception is not null) yield return new("exception", Exception);
        if (From is not null) yield return new("from", From.Value.ToString("O", CultureInfo.InvariantCulture));
        if (To is not null) yield return new("to", To.Value.ToString("O", CultureInfo.InvariantCulture));
        if (Text is not null) yield return new("q", Text);
    }

    /// <summary>A query string (with a leading <c>?</c>) of the filter plus the given sort and page.</summary>
    public string ToQueryString(JobSortKey? sort = null, bool? descending = null, int? page = null)
    {
        var pairs = FilterPairs().ToList();
        pairs.Add(new("sort", (sort ?? Sort).ToString().ToLowerInvariant()));
        pairs.Add(new("dir", descending ?? Descending ? "desc" : "asc"));
        pairs.Add(new("page", (page ?? Page).ToString(CultureInfo.InvariantCulture)));
        pairs.Add(new("size", Size.ToString(CultureInfo.InvariantCulture)));
        return Encode(pairs);
    }

    public static string Encode(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            text.Append(text.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return text.ToString();
    }

    private static string? Optional(IQueryCollection query, string name)
    {
        var value = query[name].ToString().Trim();
        return value.Length == 0 ? null : value;
    }

    private static bool IsValidQueue(string queue, out string? error)
    {
        try
        {
            QueueNames.Validate(queue.TrimEnd('/'), nameof(queue));
            error = null;
            return true;
        }
        catch (ArgumentException e)
        {
            error = e.Message.Split('\n')[0];
            return false;
        }
    }

    private static bool TryDate(IQueryCollection query, string name, out DateTime? value, out string? error)
    {
        value = null;
        error = null;
        var text = Optional(query, name);
        if (text is null)
        {
            return true;
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        error = $"Bad '{name}' date '{text}'; expected ISO 8601, e.g. 2026-01-31 or 2026-01-31T08:00:00Z.";
        return false;
    }

    private static bool TryInt(IQueryCollection query, string name, int min, int max, int fallback, out int value, out string? error)
    {
        error = null;
        var text = Optional(query, name);
        if (text is null)
        {
            value = fallback;
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }

        error = $"Bad '{name}' '{text}'; expected a whole number from {min} to {max}.";
        return false;
    }
}
