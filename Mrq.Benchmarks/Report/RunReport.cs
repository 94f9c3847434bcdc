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
    private static readonly string[] s_mrqOrder = ["litedb", "inmemory", "redis", "redis-stored", "mongo"];
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

    internal double? M(string system, string backend, string metric, int? n = null, int? w = null) => _results.Median(system, backend, metric, n, w);

    /// <summary>Mrq backends present in the results, in report order.</summary>
    internal IReadOnlyList<string> MrqBackends =>
        s_mrqOrder.Where(b => _results.Find("Mrq", b, "dequeue").Count > 0).ToArray();

    internal IReadOnlyList<string> HangfireStorages =>
        s_hangfireOrder.Where(b => _results.Find("Hangfire", b, "dequeue").Count > 0).ToArray();

    /// <summary>The Hangfire storage paired with an Mrq backend.</summary>
    internal static string? PeerOf(string backend) => backend == "redis-stored" ? "redis" : ThroughputRunner.PeerOf(backend);

    internal string Label(string system, string backend) => system switch
    {
        "Hangfire" => Peers.HangfireRunner.Label(backend),
        "Baseline" => backend,
        _ => backend switch
        {
            "litedb" => "Mrq + LiteDB (file)",
            "inmemory" => "Mrq + in-memory",
            "redis" => "Mrq + Redis `_raw` queue, statuses_no_storage [started, success] (Redis-only path)",
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
            "redis-stored" => "Mrq Redis raw + Mongo*",
            "mongo" => "Mrq Mongo*",
            _ => backend,
        },
    };

    internal static string Durability(string system, string backend) => (system, backend) switch
    {
        ("Mrq", "litedb") => "yes (commit per group, no fsync)",
        ("Hangfire", "sqlite") => "yes (WAL, synchronous=FULL)",
        ("Mrq", "mongo" or "redis-stored") => "emulator (in memory)",
        ("Mrq", "redis") or ("Hangfire", "redis") => "no (Redis without persistence)",
        _ => "no",
    };

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
