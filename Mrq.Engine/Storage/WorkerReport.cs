namespace Mrq.Storage;

/// <summary>A worker's report, in MRQ's <c>mrq_workers</c> shape (reference §2.3).</summary>
public sealed record WorkerReport
{
    /// <summary><c>_id</c>: the worker id (24 hex characters, an ObjectId).</summary>
    public required string Id { get; init; }

    /// <summary><c>name</c>: host.pid unless configured.</summary>
    public required string Name { get; init; }

    /// <summary><c>status</c>: init, wait, spawn, full, join, kill, stop…</summary>
    public required string Status { get; init; }

    /// <summary>The status a worker reports once it has stopped (its started jobs are orphans).</summary>
    public const string StopStatus = "stop";

    /// <summary><c>config</c>: max_jobs, processes, queues, dequeue_strategy, greenlets, name…</summary>
    public required WorkerReportConfig Config { get; init; }

    /// <summary><c>done_jobs</c>.</summary>
    public long DoneJobs { get; init; }

    /// <summary><c>datestarted</c>.</summary>
    public required DateTime DateStarted { get; init; }

    /// <summary><c>datereported</c>.</summary>
    public required DateTime DateReported { get; init; }

    /// <summary><c>process</c>: pid, cpu and memory.</summary>
    public required WorkerProcessInfo Process { get; init; }

    /// <summary><c>jobs</c>: what runs now.</summary>
    public IReadOnlyList<RunningJobReport> Jobs { get; init; } = [];

    /// <summary><c>usage_avg</c>: the recent average share of the greenlets in use (0 to 1), as MRQ's.</summary>
    public double UsageAvg { get; init; }
}

/// <summary>The <c>config</c> part of a worker report.</summary>
/// <param name="Queues">Queues as given to the worker.</param>
/// <param name="Greenlets">Concurrent executions.</param>
/// <param name="MaxJobs">max_jobs (0 = off).</param>
/// <param name="Processes">processes.</param>
/// <param name="DequeueStrategy">sequential, parallel or burst.</param>
/// <param name="Name">The worker name.</param>
/// <param name="LocalIp">The host's name or address.</param>
public sealed record WorkerReportConfig(
    IReadOnlyList<string> Queues, int Greenlets, int MaxJobs, int Processes, string DequeueStrategy, string Name, string LocalIp)
{
    /// <summary><c>worker_group</c> (MRQ's agents; empty when none).</summary>
    public string WorkerGroup { get; init; } = string.Empty;

    /// <summary><c>agent_id</c> (empty when none).</summary>
    public string AgentId { get; init; } = string.Empty;

    /// <summary><c>external_ip</c>, null when not configured.</summary>
    public string? ExternalIp { get; init; }

    /// <summary><c>scheduler</c>: the worker runs the scheduler.</summary>
    public bool Scheduler { get; init; }

    /// <summary><c>max_memory</c> in MB (0 = no limit).</summary>
    public int MaxMemory { get; init; }
}

/// <summary>The <c>process</c> part of a worker report.</summary>
/// <param name="Pid">Process id.</param>
/// <param name="CpuUser">User CPU seconds.</param>
/// <param name="CpuSystem">System CPU seconds.</param>
/// <param name="MemRss">Resident memory in bytes.</param>
public sealed record WorkerProcessInfo(int Pid, double CpuUser, double CpuSystem, long MemRss)
{
    /// <summary><c>cpu.percent</c>: CPU use since the previous report, in percent of one core.</summary>
    public double CpuPercent { get; init; }

    /// <summary><c>mem.swap</c>: swapped-out bytes.</summary>
    public long MemSwap { get; init; }

    /// <summary><c>mem.total</c>: resident plus swapped bytes, as MRQ's (the figure <c>max_memory</c> is checked against).</summary>
    public long MemTotal => MemRss + MemSwap;
}

/// <summary>An entry of a worker report's <c>jobs</c>.</summary>
/// <param name="Id">Job id.</param>
/// <param name="Path">Task path.</param>
/// <param name="DateStarted">When it started.</param>
/// <param name="Time">Seconds running.</param>
public sealed record RunningJobReport(string Id, string Path, DateTime DateStarted, double Time)
{
    /// <summary><c>switches</c>: times the job's code was resumed (at least 1 once it runs).</summary>
    public int Switches { get; init; }

    /// <summary><c>stack</c>: where the job is, as text lines (empty when not known).</summary>
    public IReadOnlyList<string> Stack { get; init; } = [];
}
