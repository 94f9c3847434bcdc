using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Mrq.Benchmarks.Report;

/// <summary>The PNG charts beside <c>benchmarks.md</c> (ScottPlot): throughput, latency, I/O efficiency, scale.</summary>
internal sealed class Charts
{
    private const int Width = 1000;
    private const int Height = 560;
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;
    private static readonly IPalette s_palette = new ScottPlot.Palettes.Category10();
    private readonly RunReport _report;

    public Charts(RunReport report)
    {
        _report = report;
    }

    /// <summary>Writes every chart that has data; returns the paths.</summary>
    public IReadOnlyList<string> Write(string directory)
    {
        var written = new List<string>();
        void Save(string name, Plot? plot)
        {
            if (plot is not null)
            {
                var path = Path.Combine(directory, name);
                plot.SavePng(path, Width, Height);
                written.Add(path);
            }
        }

        Save("benchmarks-throughput.png", Throughput());
        Save("benchmarks-latency.png", Latency());
        Save("benchmarks-io.png", Io());
        Save("benchmarks-scale.png", Scale());
        return written;
    }

    private Plot? Throughput()
    {
        var backends = _report.MrqBackends;
        if (backends.Count == 0)
        {
            return null;
        }

        var plan = _report.Plan;
        var mrq = backends.Select(b => _report.M("Mrq", b, "dequeue", plan.NoOpJobs(b), 8)).ToArray();
        var tuned = backends.Select(b => _report.M("Mrq", b, "dequeue" + Workloads.MrqWorkloads.TunedSuffix, plan.NoOpJobs(b), 8)).ToArray();
        var peer = backends.Select(b => RunReport.PeerOf(b) is { } p ? _report.M("Hangfire", p, "dequeue", null, 8) : null).ToArray();
        var bullmq = backends.Select(b => b == "redis" ? _report.M("BullMQ", "remove", "dequeue", plan.NoOpJobs(b), 8) : null).ToArray();
        var baseline = backends.Select(b => b switch
        {
            "litedb" => _report.M("Baseline", "litedb", "claim-update"),
            "redis" => _report.RedisPopFloor,
            "mongo" => _report.M("Baseline", "mongo", "findoneandupdate"),
            _ => null,
        }).ToArray();
        return GroupedBars(
            "No-op jobs, W = 8: dequeue throughput (median; enqueue not overlapped)",
            "jobs/s (log scale)",
            backends.Select(b => _report.ShortLabel("Mrq", b).Replace("Mrq ", "", StringComparison.Ordinal)).ToArray(),
            [
                ($"Mrq, prefetch {_report.Prefetch} (default)", mrq),
                ($"Mrq, tuned prefetch {_report.TunedPrefetch}", tuned),
                ("Hangfire peer, fresh process (none for the no-record path)", peer),
                ("BullMQ removeOnComplete, fresh process (no-record path only)", bullmq),
                ("floor by hand (LiteDB claim read + update / best Redis pop / findOneAndUpdate)", baseline),
            ],
            log: true,
            format: v => v.ToString("N0", s_inv));
    }

    private Plot? Latency()
    {
        var rows = _report.MrqBackends.Where(b => b != "redis-stored").Select(b => ("Mrq", b))
            .Concat(_report.HangfireStorages.Select(s => ("Hangfire", s)))
            .Where(r => _report.M(r.Item1, r.Item2, "latency-idle-p50") is not null).ToArray();
        if (rows.Length == 0)
        {
            return null;
        }

        double?[] Of(string metric) => rows.Select(r => _report.M(r.Item1, r.Item2, metric)).ToArray();
        return GroupedBars(
            "Enqueue → start latency, W = 8 (median of repetitions)",
            "ms (log scale)",
            rows.Select(r => _report.ShortLabel(r.Item1, r.Item2)).ToArray(),
            [("idle p50", Of("latency-idle-p50")), ("idle p99", Of("latency-idle-p99")), ("busy p50", Of("latency-busy-p50")), ("busy p99", Of("latency-busy-p99"))],
            log: true,
            format: v => v.ToString(v < 10 ? "N2" : "N0", s_inv));
    }

    private Plot? Io()
    {
        var rows = _report.MrqBackends.Where(b => b != "redis-stored").Select(b => ("Mrq", b))
            .Concat(_report.HangfireStorages.Select(s => ("Hangfire", s)))
            .Where(r => _report.Results.Find(r.Item1, r.Item2, "io-efficiency").Count > 0).ToArray();
        if (rows.Length == 0)
        {
            return null;
        }

        var ws = _report.Plan.IoWorkers;
        var plot = new Plot();
        for (var i = 0; i < rows.Length; i++)
        {
            var (system, backend) = rows[i];
            var xs = new List<double>();
            var ys = new List<double>();
            for (var x = 0; x < ws.Count; x++)
            {
                if (_report.M(system, backend, "io-efficiency", null, ws[x]) is { } y)
                {
                    xs.Add(x);
                    ys.Add(y);
                }
            }

            var scatter = plot.Add.Scatter(xs.ToArray(), ys.ToArray(), s_palette.GetColor(i));
            scatter.LegendText = _report.ShortLabel(system, backend);
            scatter.LineWidth = 2;
            scatter.MarkerSize = 8;
        }

        plot.Axes.Bottom.TickGenerator = new NumericManual(Enumerable.Range(0, ws.Count).Select(x => (double)x).ToArray(), ws.Select(w => $"W = {w}").ToArray());
        plot.Axes.SetLimitsY(0, 105);
        plot.Title("10 ms I/O-bound job: efficiency = ideal time ÷ actual");
        plot.YLabel("efficiency %");
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }

    private Plot? Scale()
    {
        var backends = _report.MrqBackends.Where(b => _report.Plan.ScaleSizes(b).Count > 0).ToArray();
        var sizes = backends.SelectMany(b => _report.Plan.ScaleSizes(b)).Distinct().Order().ToArray();
        if (backends.Length == 0 || sizes.Length < 2)
        {
            return null;
        }

        var series = new List<(string, double?[])>();
        foreach (var backend in backends)
        {
            series.Add(($"{_report.ShortLabel("Mrq", backend)} jobs/s", sizes.Select(n => _report.ScaleRate(backend, n)).ToArray()));
        }

        var plot = GroupedBars(
            "Scale: dequeue throughput by queue depth N, W = 8 (labels: peak working set while processing)",
            "jobs/s (log scale)",
            sizes.Select(n => $"N = {n:N0}").ToArray(),
            series,
            log: true,
            format: v => v.ToString("N0", s_inv),
            extraLabel: (seriesIndex, group) =>
            {
                var ws = _report.Results.Median("Mrq", backends[seriesIndex], _report.ScaleMetrics(backends[seriesIndex], sizes[group]).Dequeue, m => m.PeakWorkingSet, sizes[group], 8);
                return ws is { } bytes ? $"\n{bytes / 1024 / 1024:N0} MiB" : "";
            });
        return plot;
    }

    /// <summary>Bars grouped by category, one colour per series; missing values leave a gap. Log: bars are log10 of the value.</summary>
    private static Plot GroupedBars(string title, string yLabel, string[] groups, IReadOnlyList<(string Name, double?[] Values)> series, bool log,
        Func<double, string> format, Func<int, int, string>? extraLabel = null)
    {
        var plot = new Plot();
        var present = series.Where(s => s.Values.Any(v => v is > 0)).ToArray();
        var all = present.SelectMany(s => s.Values).Where(v => v is > 0).Select(v => v!.Value).DefaultIfEmpty(1).ToArray();
        var floor = log ? Math.Floor(Math.Log10(all.Min())) : 0;
        var width = 0.8 / Math.Max(1, present.Length);
        for (var s = 0; s < present.Length; s++)
        {
            var bars = new List<Bar>();
            for (var g = 0; g < groups.Length; g++)
            {
                if (present[s].Values[g] is not > 0)
                {
                    continue;
                }

                var value = present[s].Values[g]!.Value;
                bars.Add(new Bar
                {
                    Position = g + (s - (present.Length - 1) / 2.0) * width,
                    Value = log ? Math.Log10(value) : value,
                    ValueBase = floor,
                    Size = width * 0.95,
                    FillColor = s_palette.GetColor(s),
                    Label = format(value) + (extraLabel is null ? "" : extraLabel(series.ToList().IndexOf(present[s]), g)),
                });
            }

            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = present[s].Name;
            plottable.ValueLabelStyle.FontSize = 11;
        }

        plot.Axes.Bottom.TickGenerator = new NumericManual(Enumerable.Range(0, groups.Length).Select(g => (double)g).ToArray(), groups);
        if (log)
        {
            plot.Axes.Left.TickGenerator = new NumericAutomatic
            {
                MinorTickGenerator = new LogMinorTickGenerator(),
                IntegerTicksOnly = true,
                LabelFormatter = y => Math.Pow(10, y).ToString(y < 0 ? "0.###" : "N0", s_inv),
            };
            var top = Math.Log10(all.Max()) + 0.5;
            plot.Axes.SetLimitsY(floor, top);
        }
        else
        {
            plot.Axes.Margins(bottom: 0);
        }

        plot.Axes.SetLimitsX(-0.6, groups.Length - 0.4);
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
