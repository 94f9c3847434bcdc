using Microsoft.Extensions.Configuration;
using Mrq.Jobs;

namespace Mrq.Configuration;

/// <summary>A raw queue's settings (an entry of MRQ's <c>RAW_QUEUES</c>).</summary>
public sealed class RawQueueOptions
{
    /// <summary>Turns a raw member into the job to run (required; set in code).</summary>
    public Func<string, RawJob>? JobFactory { get; set; }

    /// <summary>The regular queue the job belongs to once popped (<c>retry_queue</c>).</summary>
    [ConfigurationKeyName("retry_queue")]
    public string RetryQueue { get; set; } = "default";

    /// <summary>Statuses not stored (<c>statuses_no_storage</c>, e.g. started and success): such jobs get a document only at their first stored status.</summary>
    [ConfigurationKeyName("statuses_no_storage")]
    public IList<JobStatus> StatusesNoStorage { get; set; } = [];

    /// <summary>Timed sets: re-score popped members this many seconds ahead instead of removing them (<c>pushback_seconds</c>).</summary>
    [ConfigurationKeyName("pushback_seconds")]
    public double? PushbackSeconds { get; set; }
}
