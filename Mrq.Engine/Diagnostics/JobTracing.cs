using System.Diagnostics;
using Mrq.Jobs;

namespace Mrq.Diagnostics;

/// <summary>
/// The spans of the job lifecycle. Each call costs nothing beyond a null check when no listener samples the
/// <c>Mrq</c> source, except that the caller's own trace context (an ASP.NET Core request, say) is still stored with
/// queued jobs so a worker that does listen can join that trace.
/// </summary>
internal static class JobTracing
{
    public static readonly ActivitySource Source = new(MrqTracing.ActivitySourceName);

    /// <summary>
    /// Runs <paramref name="insert"/> inside a <c>send {queue}</c> Producer span and stamps each job with the trace
    /// context it is created in: the span's own when it is recorded, else the caller's current activity. The send span
    /// is the creation context of every job of the batch (no per-job <c>create</c> span: batches run to thousands).
    /// </summary>
    public static async ValueTask SendAsync(string queue, IReadOnlyList<JobRecord> jobs, Func<IReadOnlyList<JobRecord>, ValueTask> insert)
    {
        using var activity = Source.StartActivity($"send {queue}", ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            SetCommon(activity, "send", queue);
            if (jobs.Count == 1)
            {
                activity.SetTag("messaging.message.id", jobs[0].Id.ToString());
                activity.SetTag("mrq.task.path", jobs[0].Path);
            }
            else
            {
                activity.SetTag("messaging.batch.message_count", jobs.Count);
            }
        }

        Stamp(jobs, activity ?? Activity.Current);
        await RunAsync(activity, () => insert(jobs)).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="push"/> inside a <c>send {queue}</c> Producer span. Raw members cannot carry a trace
    /// context (the member is the payload that the raw queue's job factory parses, in MRQ too), so their runs start
    /// new traces.
    /// </summary>
    public static async ValueTask SendRawAsync(string queue, int count, Func<ValueTask> push)
    {
        using var activity = Source.StartActivity($"send {queue}", ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            SetCommon(activity, "send", queue);
            activity.SetTag("messaging.batch.message_count", count);
        }

        await RunAsync(activity, push).ConfigureAwait(false);
    }

    private static async ValueTask RunAsync(Activity? activity, Func<ValueTask> operation)
    {
        try
        {
            await operation().ConfigureAwait(false);
        }
        catch (Exception ex) when (activity is not null)
        {
            Fail(activity, ex, ex.GetType().FullName);
            throw;
        }
    }

    /// <summary>
    /// Starts the <c>process {queue}</c> Consumer span of a job run, a child of the trace context stored with the job
    /// (a root when it has none: raw jobs, jobs queued by Python MRQ or by untraced code). It becomes
    /// <see cref="Activity.Current"/>, so what the task traces (HTTP calls, database queries) nests under it.
    /// </summary>
    public static Activity? StartProcess(JobRecord job, string workerId)
    {
        // The executor loop's own ambient activity (whatever was current when the worker started) is never a parent.
        Activity.Current = null;
        ActivityContext.TryParse(job.TraceParent, job.TraceState, isRemote: true, out var parent);
        var activity = Source.StartActivity($"process {job.Queue}", ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            SetCommon(activity, "process", job.Queue);
            activity.SetTag("messaging.message.id", job.Id.ToString());
            activity.SetTag("mrq.task.path", job.Path);
            activity.SetTag("mrq.worker.id", workerId);
            if (job.RetryCount > 0)
            {
                activity.SetTag("mrq.job.retry_count", job.RetryCount);
            }

            if (job.RawQueue is { } raw)
            {
                activity.SetTag("mrq.raw_queue", raw);
            }
        }

        return activity;
    }

    /// <summary>
    /// Records how a run ended: <c>mrq.job.status</c>; for any status but success, requeue and retry, the span's status
    /// is Error with <c>error.type</c> = MRQ's exception type and, when there is one, the exception as an
    /// <c>exception</c> event.
    /// </summary>
    public static void Ended(Activity? activity, JobStatus status, string? exceptionType, Exception? exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("mrq.job.status", status.ToMrqName());
        if (status is JobStatus.Success or JobStatus.Queued)
        {
            return;
        }

        if (status is JobStatus.Retry)
        {
            // A retry is the task's own request, not a failure of the run; its cause stays visible.
            if (exception is not null)
            {
                activity.AddException(exception);
            }

            activity.SetTag("error.type", exceptionType);
            return;
        }

        Fail(activity, exception, exceptionType ?? status.ToMrqName());
    }

    private static void Fail(Activity activity, Exception? exception, string? errorType)
    {
        activity.SetTag("error.type", errorType);
        activity.SetStatus(ActivityStatusCode.Error, exception?.Message ?? errorType);
        if (exception is not null)
        {
            activity.AddException(exception);
        }
    }

    private static void SetCommon(Activity activity, string operation, string queue)
    {
        activity.SetTag("messaging.system", MrqTracing.MessagingSystem);
        activity.SetTag("messaging.operation.name", operation);
        activity.SetTag("messaging.operation.type", operation);
        activity.SetTag("messaging.destination.name", queue);
    }

    private static void Stamp(IReadOnlyList<JobRecord> jobs, Activity? context)
    {
        if (context is not { IdFormat: ActivityIdFormat.W3C } || context.Id is not { } traceParent)
        {
            return;
        }

        var traceState = context.TraceStateString;
        foreach (var job in jobs)
        {
            job.TraceParent = traceParent;
            job.TraceState = traceState;
        }
    }
}
