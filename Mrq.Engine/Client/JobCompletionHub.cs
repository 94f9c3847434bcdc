using System.Collections.Concurrent;
using Mrq.Jobs;

namespace Mrq.Client;

/// <summary>
/// In-process wake-ups for <see cref="IJobClient.WaitAsync"/>: the worker of this process signals the ids whose
/// outcome it has saved, so a waiter in the same process returns without polling. Waiters still poll the storage
/// (slowly) for jobs run by other processes. It also holds the cancellation of the jobs this process runs, so that
/// <see cref="IJobClient.CancelAsync"/> in the same process stops a running job at once (other processes' workers
/// notice the <c>cancel</c> status within a second).
/// </summary>
internal sealed class JobCompletionHub
{
    private readonly ConcurrentDictionary<JobId, TaskCompletionSource> _waiters = new();
    private readonly ConcurrentDictionary<JobId, Action> _running = new();

    /// <summary>Registers how to cancel a job while it runs in this process; dispose the result when it ends.</summary>
    public IDisposable Running(JobId id, Action cancel)
    {
        _running[id] = cancel;
        return new Registration(this, id, cancel);
    }

    /// <summary>Cancels the job if it runs in this process; false when it does not.</summary>
    public bool CancelRunning(JobId id)
    {
        if (!_running.TryGetValue(id, out var cancel))
        {
            return false;
        }

        cancel();
        return true;
    }

    public Task WaitAsync(JobId id) =>
        _waiters.GetOrAdd(id, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Forget(JobId id) => _waiters.TryRemove(id, out _);

    public void Signal(JobId id)
    {
        if (!_waiters.IsEmpty && _waiters.TryRemove(id, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    private sealed class Registration(JobCompletionHub hub, JobId id, Action cancel) : IDisposable
    {
        public void Dispose() => hub._running.TryRemove(new KeyValuePair<JobId, Action>(id, cancel));
    }
}
