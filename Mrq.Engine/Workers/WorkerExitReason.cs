namespace Mrq.Workers;

/// <summary>Why a worker's run ended.</summary>
public enum WorkerExitReason
{
    /// <summary>Stopped gracefully (SIGINT or host stop).</summary>
    Stopped,

    /// <summary>Stopped hard (SIGTERM or second SIGINT); running jobs were saved <c>interrupt</c>.</summary>
    Aborted,

    /// <summary>max_jobs reached.</summary>
    MaxJobs,

    /// <summary>max_time reached.</summary>
    MaxTime,

    /// <summary>Burst mode found nothing more to do.</summary>
    BurstDone,

    /// <summary>The process's memory passed max_memory: stopped gracefully, as MRQ's.</summary>
    MaxMemory,
}
