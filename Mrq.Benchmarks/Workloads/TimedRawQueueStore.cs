using System.Diagnostics;
using Mrq.Storage;

namespace Mrq.Benchmarks.Workloads;

/// <summary>Wraps a raw queue store and times push and pop (see <see cref="TimedJobStore"/>).</summary>
internal sealed class TimedRawQueueStore(IRawQueueStore inner, JobStoreTimer timer) : IRawQueueStore
{
    public async ValueTask PushAsync(string queue, IReadOnlyList<RawQueueItem> items, DateTime now, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        await inner.PushAsync(queue, items, now, cancellationToken).ConfigureAwait(false);
        timer.Add("raw.push", items.Count, start);
    }

    public async ValueTask<IReadOnlyList<string>> PopAsync(string queue, int maxCount, DateTime now, TimeSpan? pushback, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var popped = await inner.PopAsync(queue, maxCount, now, pushback, cancellationToken).ConfigureAwait(false);
        timer.Add("raw.pop", popped.Count, start);
        return popped;
    }

    public ValueTask<long> SizeAsync(string queue, CancellationToken cancellationToken) => inner.SizeAsync(queue, cancellationToken);

    public ValueTask<IReadOnlyList<RawQueueItem>> ListAsync(string queue, int skip, int limit, CancellationToken cancellationToken) =>
        inner.ListAsync(queue, skip, limit, cancellationToken);

    public ValueTask<long> RemoveAsync(string queue, IReadOnlyList<string> members, CancellationToken cancellationToken) =>
        inner.RemoveAsync(queue, members, cancellationToken);

    public ValueTask<IReadOnlyList<string>> KnownSubqueuesAsync(string root, CancellationToken cancellationToken) =>
        inner.KnownSubqueuesAsync(root, cancellationToken);

    public ValueTask<bool> ForgetSubqueueAsync(string rootQueue, string subqueue, CancellationToken cancellationToken) =>
        inner.ForgetSubqueueAsync(rootQueue, subqueue, cancellationToken);
}
