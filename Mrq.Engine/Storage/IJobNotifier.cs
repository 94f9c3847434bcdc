namespace Mrq.Storage;

/// <summary>Wakes idle workers when jobs are queued (MRQ's notify lists), so pickup does not wait for a poll.</summary>
public interface IJobNotifier
{
    /// <summary>Signals that <paramref name="count"/> jobs were queued on <paramref name="queue"/>.</summary>
    ValueTask NotifyAsync(string queue, int count, CancellationToken cancellationToken);

    /// <summary>Waits until a signal for one of the queues (by root name) arrives or the timeout passes.</summary>
    /// <returns>True when signalled.</returns>
    ValueTask<bool> WaitAsync(IReadOnlyList<string> queues, TimeSpan timeout, CancellationToken cancellationToken);
}
