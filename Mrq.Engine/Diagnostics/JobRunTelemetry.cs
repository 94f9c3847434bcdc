using System.Diagnostics;
using Mrq.Jobs;

namespace Mrq.Diagnostics;

/// <summary>
/// The traces and metrics of one job run, started when an executor takes the job: the <c>process</c> span (current
/// while the task runs), <c>mrq.jobs.started</c>, <c>mrq.jobs.active</c> and <c>mrq.job.queue_wait</c>. <see cref="Ended"/>
/// records the outcome; disposing ends the span and the active count whether or not the run reached an outcome (a
/// job released unrun counts in neither <c>mrq.jobs.ended</c> nor <c>mrq.job.duration</c>).
/// </summary>
internal sealed class JobRunTelemetry : IDisposable
{
    private readonly MrqMetrics _metrics;
    private readonly Activity? _activity;
    private readonly string _queue;
    private readonly string _task;
    private string? _status;
    private TimeSpan _duration;

    private JobRunTelemetry(MrqMetrics metrics, JobRecord job, string workerId, DateTime utcNow)
    {
        _metrics = metrics;
        _queue = job.Queue;
        _task = job.Path;
        _activity = JobTracing.StartProcess(job, workerId);
        metrics.RunStarted(_queue, _task, (job.DateStarted ?? utcNow) - job.DateQueued);
    }

    /// <summary>Starts the telemetry of a run of <paramref name="job"/> on worker <paramref name="workerId"/>.</summary>
    public static JobRunTelemetry Start(MrqMetrics metrics, JobRecord job, string workerId, DateTime utcNow) => new(metrics, job, workerId, utcNow);

    /// <summary>The run reached <paramref name="outcome"/>; <paramref name="exception"/> is the task's, when it threw.</summary>
    public void Ended(JobOutcome outcome, Exception? exception)
    {
        _status = outcome.Status.ToMrqName();
        _duration = TimeSpan.FromSeconds(outcome.TotalTime ?? 0);
        JobTracing.Ended(_activity, outcome.Status, outcome.ExceptionType, exception);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _metrics.RunEnded(_queue, _task, _status, _duration);
        _activity?.Dispose();
    }
}
