namespace Mrq.Storage;

/// <summary>The paused-queue set (MRQ's <c>s:paused</c>).</summary>
public interface IQueueStateStore
{
    /// <summary>Pauses a queue (and so every subqueue under it). Idempotent.</summary>
    ValueTask PauseAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Resumes a paused queue. Idempotent.</summary>
    ValueTask ResumeAsync(string queue, CancellationToken cancellationToken);

    /// <summary>The paused queue names.</summary>
    ValueTask<IReadOnlySet<string>> GetPausedAsync(CancellationToken cancellationToken);
}
