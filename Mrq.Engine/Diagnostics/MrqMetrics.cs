using System.Diagnostics.Metrics;

namespace Mrq.Diagnostics;

/// <summary>
/// Mrq's metrics: a <see cref="Meter"/> named <c>Mrq</c> (jobs by status, enqueued and dequeued by queue, and the
/// task-defined metrics of <c>Helpers.Metric</c>), plus an optional hook that receives every metric as MRQ's
/// <c>METRIC_HOOK</c> does (<c>jobs.status.success</c>, <c>queues.default.dequeued</c>…).
/// </summary>
public sealed class MrqMetrics : IDisposable
{
    /// <summary>The meter name to listen to (<c>dotnet-counters monitor --counters Mrq</c>).</summary>
    public const string MeterName = "Mrq";

    private readonly Meter _meter;
    private readonly Counter<long> _jobs;
    private readonly Counter<long> _queued;
    private readonly Counter<long> _dequeued;
    private readonly Counter<double> _custom;
    private readonly Action<string, double>? _hook;

    /// <summary>Creates the metrics with an optional hook.</summary>
    public MrqMetrics(Action<string, double>? hook = null)
    {
        _hook = hook;
        _meter = new Meter(MeterName);
        _jobs = _meter.CreateCounter<long>("mrq.jobs.completed", description: "Jobs ended, by status.");
        _queued = _meter.CreateCounter<long>("mrq.jobs.enqueued", description: "Jobs queued, by queue.");
        _dequeued = _meter.CreateCounter<long>("mrq.jobs.dequeued", description: "Jobs claimed, by queue.");
        _custom = _meter.CreateCounter<double>("mrq.metric", description: "Task-defined metrics (Helpers.Metric), by name.");
    }

    internal void JobEnded(string status)
    {
        _jobs.Add(1, new KeyValuePair<string, object?>("status", status));
        _hook?.Invoke("jobs.status." + status, 1);
    }

    internal void Enqueued(string queue, int count)
    {
        _queued.Add(count, new KeyValuePair<string, object?>("queue", queue));
        if (_hook is not null)
        {
            _hook("queues." + queue + ".enqueued", count);
            _hook("queues.all.enqueued", count);
        }
    }

    internal void Dequeued(string queue, int count)
    {
        _dequeued.Add(count, new KeyValuePair<string, object?>("queue", queue));
        if (_hook is not null)
        {
            _hook("queues." + queue + ".dequeued", count);
            _hook("queues.all.dequeued", count);
        }
    }

    /// <summary>Records a task-defined metric.</summary>
    public void Record(string name, double increment)
    {
        _custom.Add(increment, new KeyValuePair<string, object?>("name", name));
        _hook?.Invoke(name, increment);
    }

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();
}
