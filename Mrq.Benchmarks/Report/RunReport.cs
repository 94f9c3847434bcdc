using System.Globalization;
using System.Text;
using Mrq.Benchmarks.Runner;

namespace Mrq.Benchmarks.Report;

/// <summary>
/// Turns the run's measurements into <c>benchmarks.md</c> (machine, versions, targets, tables of medians and
/// ratios), <c>benchmarks.csv</c> (every run, kept or discarded) and PNG charts beside them.
/// </summary>
internal sealed partial class RunReport
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;
    private static readonly string[] s_mrqOrder = ["litedb", "inmemory", "redis", "redis-aof", "redis-stored", "mongo"];
    private static readonly string[] s_hangfireOrder = ["sqlite", "inmemory", "redis"];
    private readonly RunnerOptions _options;
    private readonly BenchPlan _plan;
    private readonly MachineInfo _machine;
    private readonly ServerInfo _servers;
    private readonly ResultSet _results;
    private readonly Recorder _recorder;
    private readonly List<string> _notes = [];
    private readonly DateTime _started = DateTime.UtcNow;
    private TimeSpan _duration;
    private string _loadAtEnd = "";

    public RunReport(RunnerOptions options, BenchPlan plan, MachineInfo machine, ServerInfo servers, ResultSet results, Recorder recorder)
    {
        _options = options;
        _plan = plan;
        _machine = machine;
        _servers = servers;
        _results = results;
        _recorder = recorder;
    }

    /// <summary>Adds a line to the report's notes.</summary>
    public void Note(string text) => _notes.Add(text);

    public void Finish(TimeSpan duration, string loadAtEnd)
    {
        _duration = duration;
        _loadAtEnd = loadAtEnd;
    }

    /// <summary>Writes the markdown, the CSV and the charts; returns the paths written.</summary>
    public IReadOnlyList<string> Write()
    {
        Directory.CreateDirectory(_options.OutputDirectory);
        var written = new List<string>();
        var csv = Path.Combine(_options.OutputDirectory, "benchmarks.csv");
        File.WriteAllText(csv, Csv());
        written.Add(csv);
        var charts = new Charts(this).Write(_options.OutputDirectory);
        written.AddRange(charts);
        var markdown = Path.Combine(_options.OutputDirectory, "benchmarks.md");
        File.WriteAllText(markdown, Markdown(charts.Select(Path.GetFileName).ToArray()!));
        written.Add(markdown);
        return written;
    }

    internal ResultSet Results => _results;

    internal BenchPlan Plan => _plan;

    internal ServerInfo Servers => _servers;

    /// <summary>The prefetch of every Mrq run but the tuned ones.</summary>
    internal string Prefetch => _options.PrefetchLabel;

    /// <summary>The prefetch of the tuned rows.</summary>
    internal int TunedPrefetch => _options.TunedPrefetch;

    internal double? M(string system, string backend, string metric, int? n = null, int? w = null) => _results.Median(system, backend, metric, n, w);

    /// <summary>Mrq backends present in the results, in report order.</summary>
    internal IReadOnlyList<string> MrqBackends =>
        s_mrqOrder.Where(b => _results.Find("Mrq", b, "dequeue").Count > 0).ToArray();

    internal IReadOnlyList<string> HangfireStorages =>
        s_hangfireOrder.Where(b => _results.Find("Hangfire", b, "dequeue").Count > 0).ToArray();

    /// <summary>
    /// The Hangfire storage compared with an Mrq backend. The Redis-only raw path has none: it writes no job record,
    /// and every Hangfire storage keeps one per job with its state history; Hangfire + Redis is compared with the
    /// stored raw path instead.
    /// </summary>
    internal static string? PeerOf(string backend) => backend switch
    {
        "redis" or "redis-aof" => null,
        "redis-stored" => "redis",
        _ => ThroughputRunner.PeerOf(backend),
    };

    internal string Label(string system, string backend) => system switch
    {
        "Hangfire" => Peers.HangfireRunner.Label(backend),
        "Baseline" => backend,
        _ => backend switch
        {
            "litedb" => "Mrq + LiteDB (file)",
            "inmemory" => "Mrq + in-memory",
            "redis" => "Mrq + Redis `_raw` queue, statuses_no_storage [started, success]: no job record written (fire-and-forget path)",
            "redis-aof" => "Mrq + Redis `_raw` queue, no job record, on a Redis with `appendonly yes`, `appendfsync everysec`",
            "redis-stored" => $"Mrq + Redis `_raw` queue, jobs stored in Mongo ({_servers.MongoLabel})",
            "mongo" => $"Mrq + Mongo regular queue ({_servers.MongoLabel}) + Redis",
            _ => backend,
        },
    };

    internal string ShortLabel(string system, string backend) => system switch
    {
        "Hangfire" => backend switch { "sqlite" => "HF+SQLite", "inmemory" => "HF+InMemory", "redis" => "HF+Redis", _ => backend },
        _ => backend switch
        {
            "litedb" => "Mrq LiteDB",
            "inmemory" => "Mrq in-memory",
            "redis" => "Mrq Redis raw (no storage)",
            "redis-aof" => "Mrq Redis raw (no storage), AOF",
            "redis-stored" => "Mrq Redis raw + Mongo*",
            "mongo" => "Mrq Mongo*",
            _ => backend,
        },
    };

    /// <summary>What reaches the disk, and whether it is fsynced, for a system's storage in this run.</summary>
    internal static string Fsync(string system, string backend) => (system, backend) switch
    {
        ("Mrq" or "Baseline", "litedb") => "off: commit per group to the file, no fsync (`FlushToDisk` false; the product's default is true, see the fsync rows)",
        ("Hangfire", "sqlite") => "on: WAL, synchronous=FULL",
        ("Mrq", "mongo" or "redis-stored") => "none: emulator in memory",
        ("Mrq", "redis-aof") => "everysec: Redis append-only file, fsync once a second",
        (_, "redis" or "redis-stored") => "none: Redis without persistence",
        _ => "none: memory",
    };

    /// <summary>The Mrq prefetch of a metric: the tuned one for <c>…-tuned</c> metrics, else the runner's.</summary>
    internal string PrefetchOf(string metric) =>
        metric.EndsWith(Workloads.MrqWorkloads.TunedSuffix, StringComparison.Ordinal) ? TunedPrefetch.ToString(CultureInfo.InvariantCulture) : Prefetch;

    /// <summary>"median (min–max)" of the kept repetitions, or "–".</summary>
    internal string MedianRange(string system, string backend, string metric, int? n = null, int? w = null, bool bold = false)
    {
        var median = M(system, backend, metric, n, w);
        if (median is null)
        {
            return "–";
        }

        var text = bold ? $"**{N0(median)}**" : N0(median);
        return _results.Range(system, backend, metric, n, w) is { } range && _results.Find(system, backend, metric, n, w).Count > 1
            ? $"{text} ({N0(range.Min)}–{N0(range.Max)})"
            : text;
    }

    internal static string N0(double? value) => value is { } v ? v.ToString(v < 10 ? "N2" : "N0", s_inv) : "–";

    internal static string N1(double? value) => value is { } v ? v.ToString("N1", s_inv) : "–";

    internal static string N2(double? value) => value is { } v ? v.ToString("N2", s_inv) : "–";

    internal static string Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? (x / y).ToString(x / y < 10 ? "N2" : "N1", s_inv) + "×" : "–";

    internal static string Percent(double? a, double? b) => a is { } x && b is { } y && y > 0 ? (100 * x / y).ToString("N0", s_inv) + " %" : "–";

    private string Csv()
    {
        var text = new StringBuilder();
        text.AppendLine("utc,system,backend,metric,n,w,rep,value,unit,seconds,first_job_ms,start_ws_bytes,peak_ws_bytes,peak_managed_bytes,alloc_bytes_per_job,gc_count,gc_pause_pct,cpu_self_pct,cpu_servers_pct,cpu_others_pct,discarded,note");
        foreach (var m in _results.All)
        {
            text.AppendLine(string.Join(',',
                m.At.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", s_inv),
                m.System,
                m.Backend,
                m.Metric,
                m.N.ToString(s_inv),
                m.W.ToString(s_inv),
                m.Rep.ToString(s_inv),
                m.Value.ToString("0.###", s_inv),
                m.Unit,
                m.Seconds.ToString("0.####", s_inv),
                m.FirstJobMs?.ToString("0.###", s_inv) ?? "",
                m.StartWorkingSet?.ToString(s_inv) ?? "",
                m.PeakWorkingSet?.ToString(s_inv) ?? "",
                m.PeakManaged?.ToString(s_inv) ?? "",
                m.AllocatedPerJob?.ToString("0.#", s_inv) ?? "",
                m.GcCollections?.ToString(s_inv) ?? "",
                m.GcPauseShare is { } pause ? (pause * 100).ToString("0.#", s_inv) : "",
                m.Cpu.Self.ToString("0.#", s_inv),
                m.Cpu.Servers.ToString("0.#", s_inv),
                m.Cpu.Others.ToString("0.#", s_inv),
                m.Discarded ? "yes" : "no",
                "\"" + m.Note.Replace("\"", "'", StringComparison.Ordinal) + "\""));
        }

        return text.ToString();
    }
}
