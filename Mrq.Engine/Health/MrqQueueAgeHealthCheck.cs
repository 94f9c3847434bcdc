using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Mrq.Configuration;
using Mrq.Jobs;
using Mrq.Storage;

namespace Mrq.Health;

/// <summary>
/// No queue holds a job queued longer than <see cref="MrqHealthCheckOptions.MaxQueuedAge"/>. Only jobs created before
/// the cutoff can be that old, so the query is bounded by id (the <c>_id</c> index) and their <c>datequeued</c> checked.
/// </summary>
internal sealed class MrqQueueAgeHealthCheck(MrqStorage storage, IOptions<MrqOptions> mrqOptions, MrqHealthCheckOptions options, TimeProvider time) : IHealthCheck
{
    private const int Sample = 50;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var maxAge = options.MaxQueuedAge ?? throw new InvalidOperationException("MaxQueuedAge is not set.");
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = now - maxAge;
        IEnumerable<string> queues = options.Queues.Count > 0 ? options.Queues : mrqOptions.Value.EffectiveQueues;
        var late = new Dictionary<string, object>();
        foreach (var queue in queues.Select(q => q.EndsWith(QueueNames.ReverseSuffix, StringComparison.Ordinal) ? q[..^QueueNames.ReverseSuffix.Length] : q)
                     .Where(q => !QueueNames.IsRaw(q)).Distinct(StringComparer.Ordinal))
        {
            var filter = new JobFilter { Queue = queue, Statuses = [JobStatus.Queued], MaxId = JobId.NewId(cutoff) };
            var candidates = await storage.Jobs.QueryAsync(filter, 0, Sample, cancellationToken).ConfigureAwait(false);
            var oldest = candidates.Where(j => j.DateQueued < cutoff).Select(j => (DateTime?)j.DateQueued).Min();
            if (oldest is { } queued)
            {
                late[queue] = Math.Round((now - queued).TotalSeconds);
            }
        }

        return late.Count == 0
            ? HealthCheckResult.Healthy($"no job queued longer than {maxAge.TotalSeconds:0} s")
            : new HealthCheckResult(options.QueueAgeStatus, $"jobs queued longer than {maxAge.TotalSeconds:0} s on {string.Join(", ", late.Keys)}", data: late);
    }
}
