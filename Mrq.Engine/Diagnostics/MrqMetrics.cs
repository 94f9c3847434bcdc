using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mrq.Storage;

namespace Mrq.Diagnostics;

/// <summary>
/// Mrq's metrics: a <see cref="Meter"/> named <c>Mrq</c> (jobs by status, enqueued and dequeued by queue, job
/// duration and queue wait, active jobs, queue depth, claim batch sizes, storage errors and the task-defined metrics
/// of <c>Helpers.Metric</c>; the README's "Observability" section lists names and units), plus an optional hook that
/// receives the counters as MRQ's <c>METRIC_HOOK</c> does (<c>jobs.status.success</c>, <c>queues.default.dequeued</c>…).
/// </summary>
public sealed class MrqMetrics : IDisposable
{
    /// <summary>The meter name to listen to (<c>dotnet-counters monitor --counters Mrq</c>).</summary>
    public const string MeterName = "Mrq";

    // Jobs last from milliseconds to hours: the OpenTelemetry messaging buckets, extended to an hour.
    private static readonly InstrumentAdvice<double> s_durationAdvice = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 300, 900, 3600],
    };

    private readonly Meter _meter;
    private readonly Counter<long> _jobs;
    private readonly Counter<long> _queued;
    private readonly Counter<long> _dequeued;
    private readonly Counter<double> _custom;
    private readonly Counter<long> _started;
    private readonly Counter<long> _ended;
    private readonly UpDownCounter<long> _active;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<long> _claimBatch;
    private readonly Counter<long> _storageErrors;
    private readonly Action<string, double>? _hook;
    private QueueDepthSampler? _queueDepth;

    /// <summary>Creates the metrics with an optional hook.</summary>
    public MrqMetrics(Action<string, double>? hook = null)
    {
        _hook = hook;
        _meter = new Meter(MeterName);
        _jobs = _meter.CreateCounter<long>("mrq.jobs.completed", description: "Jobs ended, by status.");
        _queued = _meter.CreateCounter<long>("mrq.jobs.enqueued", description: "Jobs queued, by queue.");
        _dequeued = _meter.CreateCounter<long>("mrq.jobs.dequeued", description: "Jobs claimed, by queue.");
        _custom = _meter.CreateCounter<double>("mrq.metric", description: "Task-defined metrics (Helpers.Metric), by name.");
        _started = _meter.CreateCounter<long>("mrq.jobs.started", "{job}", "Job runs started by a worker, by queue and task.");
        _ended = _meter.CreateCounter<long>("mrq.jobs.ended", "{job}", "Job runs ended, by queue, task and status (counted when the run ends; mrq.jobs.completed counts saved outcomes).");
        _active = _meter.CreateUpDownCounter<long>("mrq.jobs.active", "{job}", "Jobs running now in this process, by queue and task.");
        _duration = _meter.CreateHistogram("mrq.job.duration", "s", "How long a job run took, by queue, task and status.", tags: null, s_durationAdvice);
        _queueWait = _meter.CreateHistogram("mrq.job.queue_wait", "s", "Time from datequeued to the start of the run, by queue and task.", tags: null, s_durationAdvice);
        _claimBatch = _meter.CreateHistogram<long>("mrq.claim.batch_size", "{job}", "Jobs taken by one non-empty claim, by queue.");
        _storageErrors = _meter.CreateCounter<long>("mrq.storage.errors", "{error}", "Storage calls that failed, by operation and error.type.");
        _meter.CreateObservableGauge("mrq.queue.depth", ObserveQueueDepth, "{job}", "Queued jobs per regular queue, sampled at most every few seconds (never a storage call per collection).");
    }

    /// <summary>
    /// The metrics of a service provider: its metric hook, and <c>mrq.queue.depth</c> sampled from its storage every
    /// <see cref="QueueDepthSampler.DefaultInterval"/> at most.
    /// </summary>
    internal static MrqMetrics Create(Action<string, double>? hook, IServiceProvider services)
    {
        var metrics = new MrqMetrics(hook);
        var sampler = new QueueDepthSampler(
            services.GetRequiredService<MrqStorage>,
            services.GetRequiredService<TimeProvider>(),
            QueueDepthSampler.DefaultInterval,
            ex => metrics.StorageError("queue_depth", ex),
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Mrq.Metrics"));
        return metrics.WithQueueDepth(sampler);
    }

    /// <summary>The meter (tests listen to this instance only).</summary>
    internal Meter Meter => _meter;

    /// <summary>Feeds <c>mrq.queue.depth</c> from <paramref name="sampler"/>; returns this instance.</summary>
    internal MrqMetrics WithQueueDepth(QueueDepthSampler sampler)
    {
        _queueDepth = sampler;
        return this;
    }

    private IEnumerable<Measurement<long>> ObserveQueueDepth() =>
        _queueDepth?.Observe() ?? [];

    /// <summary>A job run starts: counts it, adds it to the active jobs and records how long it waited.</summary>
    internal void RunStarted(string queue, string task, TimeSpan queueWait)
    {
        var tags = new TagList { { "queue", queue }, { "task", task } };
        _started.Add(1, tags);
        _active.Add(1, tags);
        _queueWait.Record(Math.Max(0, queueWait.TotalSeconds), tags);
    }

    /// <summary>A job run ends: removes it from the active jobs; with a status (null when it was released unrun), counts it and records its duration.</summary>
    internal void RunEnded(string queue, string task, string? status, TimeSpan duration)
    {
        var tags = new TagList { { "queue", queue }, { "task", task } };
        _active.Add(-1, tags);
        if (status is null)
        {
            return;
        }

        tags.Add("status", status);
        _ended.Add(1, tags);
        _duration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>A storage call failed (it may be retried).</summary>
    internal void StorageError(string operation, Exception error) =>
        _storageErrors.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("error.type", error.GetType().FullName));

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

            // MRQ's queue_jobs counts the jobs it stores queued; a raw queue holds no job documents yet.
            if (!QueueNames.IsRaw(queue))
            {
                _hook("jobs.status.queued", count);
            }
        }
    }

    internal void Dequeued(string queue, int count)
    {
        _dequeued.Add(count, new KeyValuePair<string, object?>("queue", queue));
        _claimBatch.Record(count, new KeyValuePair<string, object?>("queue", queue));
        if (_hook is not null)
        {
            _hook("queues." + queue + ".dequeued", count);
            _hook("queues.all.dequeued", count);

            // Every dequeued job starts (MRQ sends this per job as it dequeues or fetches a raw job).
            _hook("jobs.status.started", count);
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
