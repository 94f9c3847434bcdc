namespace Mrq.Health;

/// <summary>What the Mrq health checks (<c>AddHealthChecks</c> on the Mrq builder) consider healthy.</summary>
public sealed class MrqHealthCheckOptions
{
    /// <summary>How long a storage probe may take before the storage counts as unreachable. Default 5 s.</summary>
    public TimeSpan StorageTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How old the hosted worker's last stored report may be before it counts as not reporting. Default null:
    /// three report intervals plus 30 s.
    /// </summary>
    public TimeSpan? MaxReportAge { get; set; }

    /// <summary>
    /// When set, a queue whose oldest queued job waited longer than this is reported (see <see cref="QueueAgeStatus"/>).
    /// Default null: no queue-age check is registered.
    /// </summary>
    public TimeSpan? MaxQueuedAge { get; set; }

    /// <summary>The queues the queue-age check looks at. Default empty: the worker's configured queues.</summary>
    public IList<string> Queues { get; } = [];

    /// <summary>How a queue over <see cref="MaxQueuedAge"/> is reported. Default degraded (the app still serves).</summary>
    public Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus QueueAgeStatus { get; set; } = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded;

    /// <summary>Tags added to every Mrq check (for <c>MapHealthChecks(..., new() { Predicate = r =&gt; r.Tags.Contains("mrq") })</c>).</summary>
    public IList<string> Tags { get; } = ["mrq"];
}
