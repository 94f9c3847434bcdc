using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Mrq.Diagnostics;
using Mrq.Jobs;

namespace Mrq.Workers;

/// <summary>
/// Own-claim reconciliation: jobs stored <c>started</c> with this worker's id that it neither runs nor is saving
/// (a claim whose reply was lost, or any path that failed to hand a claimed job on) are released to <c>queued</c>.
/// </summary>
internal sealed partial class Worker
{
    private const int OwnClaimsPage = 500;

    // Jobs whose outcome is in the completion batcher: no longer in _running, still stored started until saved.
    private readonly ConcurrentDictionary<JobId, byte> _saving = new();
    private DateTime _ownClaimsCheckedAt = DateTime.MinValue;

    /// <summary>
    /// Runs from the fetch loop between claim rounds, so no claim of this worker is in flight. Only jobs started before
    /// the previous check are considered: a job claimed since then is still on its way to an executor.
    /// </summary>
    private async Task ReleaseStrandedOwnClaimsAsync()
    {
        var now = Now;
        if (_options.OwnClaimsCheckInterval <= 0 || now - _ownClaimsCheckedAt < TimeSpan.FromSeconds(_options.OwnClaimsCheckInterval))
        {
            return;
        }

        var previous = _ownClaimsCheckedAt;
        _ownClaimsCheckedAt = now;
        if (previous == DateTime.MinValue)
        {
            return;
        }

        try
        {
            var filter = new JobFilter { Worker = Id, Statuses = [JobStatus.Started], DateStartedBefore = previous };
            var stored = await _storage.Jobs.QueryAsync(filter, 0, OwnClaimsPage, CancellationToken.None).ConfigureAwait(false);
            var stranded = stored.Where(j => !_running.ContainsKey(j.Id) && !_saving.ContainsKey(j.Id)).ToArray();
            if (stranded.Length == 0)
            {
                return;
            }

            _logger.LogWarning("Releasing {Count} jobs stored started by this worker that it does not run (a claim reply was lost): {Ids}",
                stranded.Length, string.Join(", ", stranded.Select(j => j.Id)));
            foreach (var job in stranded)
            {
                var outcome = new JobOutcome { Id = job.Id, Worker = Id, DateStarted = job.DateStarted, Status = JobStatus.Queued, DateUpdated = now, DateQueued = job.DateQueued };
                await HandOverAsync(new PendingOutcome(outcome, job.Id, job.Queue, job.RawQueue is null, null, JobStatus.Queued)).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            EngineLog.OwnClaimsCheckFailed(_logger, ex, _options.OwnClaimsCheckInterval);
        }
    }

    /// <summary>Hands an outcome to the batcher, marking the job as being saved until the batcher settles it.</summary>
    private ValueTask HandOverAsync(PendingOutcome pending)
    {
        _saving[pending.JobId] = 0;
        return _batcher!.EnqueueAsync(pending);
    }

    private void Settled(JobId id) => _saving.TryRemove(id, out _);
}
