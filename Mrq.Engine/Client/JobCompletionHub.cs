using System.Collections.Concurrent;
using Mrq.Jobs;

namespace Mrq.Client;

/// <summary>
/// In-process wake-ups for <see cref="IJobClient.WaitAsync"/>: the worker of this process signals the ids whose
/// outcome it has saved, so a waiter in the same process returns without polling. Waiters still poll the storage
/// (slowly) for jobs run by other processes.
/// </summary>
internal sealed class JobCompletionHub
{
    private readonly ConcurrentDictionary<JobId, TaskCompletionSource> _waiters = new();

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
}
