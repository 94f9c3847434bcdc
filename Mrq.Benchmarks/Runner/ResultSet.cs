namespace Mrq.Benchmarks.Runner;

/// <summary>Every measurement of the run, and medians over the kept repetitions.</summary>
internal sealed class ResultSet
{
    private readonly List<Measurement> _all = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<Measurement> All
    {
        get
        {
            lock (_gate)
            {
                return _all.ToArray();
            }
        }
    }

    public void Add(Measurement measurement)
    {
        lock (_gate)
        {
            _all.Add(measurement);
        }
    }

    /// <summary>The kept measurements matching; <paramref name="n"/> / <paramref name="w"/> null match any.</summary>
    public IReadOnlyList<Measurement> Find(string system, string backend, string metric, int? n = null, int? w = null) =>
        All.Where(m => !m.Discarded && m.System == system && m.Backend == backend && m.Metric == metric
            && (n is null || m.N == n) && (w is null || m.W == w)).ToArray();

    /// <summary>The median value of the kept repetitions, or null when none.</summary>
    public double? Median(string system, string backend, string metric, int? n = null, int? w = null) =>
        Median(Find(system, backend, metric, n, w).Select(m => m.Value));

    /// <summary>The median of any per-run figure of the kept repetitions, or null.</summary>
    public double? Median(string system, string backend, string metric, Func<Measurement, double?> selector, int? n = null, int? w = null) =>
        Median(Find(system, backend, metric, n, w).Select(selector).Where(v => v is not null).Select(v => v!.Value));

    /// <summary>The lowest and highest value of the kept repetitions, or null when none.</summary>
    public (double Min, double Max)? Range(string system, string backend, string metric, int? n = null, int? w = null)
    {
        var found = Find(system, backend, metric, n, w);
        return found.Count == 0 ? null : (found.Min(m => m.Value), found.Max(m => m.Value));
    }

    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
