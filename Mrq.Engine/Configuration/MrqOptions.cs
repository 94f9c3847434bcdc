using Mrq.Jobs;
using Microsoft.Extensions.Configuration;

namespace Mrq.Configuration;

/// <summary>
/// Mrq's configuration, with MRQ's option names and defaults (reference §1.11). Bound from configuration by the
/// snake_case MRQ key (<c>greenlets</c>, <c>max_jobs</c>…): in <c>mrq.json</c>, in <c>MRQ_*</c> environment variables,
/// or under the <c>Mrq</c> section of an application's configuration.
/// </summary>
public sealed class MrqOptions
{
    /// <summary>Worker name (<c>name</c>); default <c>host.pid</c>.</summary>
    [ConfigurationKeyName("name")]
    public string? Name { get; set; }

    /// <summary>Queues a worker listens to, in priority order (<c>queues</c>); empty means <c>default</c>.</summary>
    /// <remarks>Empty by default rather than holding <c>default</c>, because configuration binding appends to a list.</remarks>
    [ConfigurationKeyName("queues")]
    public IList<string> Queues { get; set; } = [];

    /// <summary>The queues a worker listens to: <see cref="Queues"/>, or <c>default</c> when none is given.</summary>
    public IReadOnlyList<string> EffectiveQueues => Queues.Count > 0 ? Queues.ToArray() : ["default"];

    /// <summary>Concurrent executions per worker (<c>greenlets</c>).</summary>
    [ConfigurationKeyName("greenlets")]
    public int Greenlets { get; set; } = 1;

    /// <summary>
    /// Jobs a worker claims ahead of its free greenlets (<c>prefetch</c>). Unset (the default): adaptive — the worker
    /// claims ahead only the jobs its greenlets are expected to start within about 5 ms, judged by their recent run
    /// times (greenlets × 5 ms ÷ mean run time, at most 128). Very short jobs are then claimed in batches, so the
    /// greenlets do not wait for a storage round trip between jobs; longer jobs are not claimed ahead (8 greenlets
    /// running 100 ms jobs: none), and a greenlet whose job runs well past its usual time stops counting at once, so
    /// for them <c>started</c> means running, as in MRQ.
    /// Set a number to fix it: 0 is MRQ's behaviour (claim only for free greenlets), a larger N always claims up to N
    /// ahead. A job claimed ahead is <c>started</c> for this worker while it waits for a greenlet, so MRQ's guarantees
    /// that rely on "started = running" loosen for it: a job requeued meanwhile, or a job of another queue under the
    /// <c>parallel</c> strategy, may run after it. A stop (graceful or not) releases jobs claimed ahead back to
    /// <c>queued</c>, keeping their place (raw members not stored are pushed back to their raw queue).
    /// </summary>
    [ConfigurationKeyName("prefetch")]
    public int? Prefetch { get; set; }

    /// <summary>How free slots are filled from several queues (<c>dequeue_strategy</c>).</summary>
    [ConfigurationKeyName("dequeue_strategy")]
    public DequeueStrategy DequeueStrategy { get; set; } = DequeueStrategy.Sequential;

    /// <summary>Stop after this many jobs (<c>max_jobs</c>, 0 = no limit).</summary>
    [ConfigurationKeyName("max_jobs")]
    public int MaxJobs { get; set; }

    /// <summary>Stop after this many seconds (<c>max_time</c>, 0 = no limit).</summary>
    [ConfigurationKeyName("max_time")]
    public double MaxTime { get; set; }

    /// <summary>Longest an idle worker waits before polling again, in seconds (<c>max_latency</c>).</summary>
    [ConfigurationKeyName("max_latency")]
    public double MaxLatency { get; set; } = 1.0;

    /// <summary>Seconds between worker reports (<c>report_interval</c>).</summary>
    [ConfigurationKeyName("report_interval")]
    public double ReportInterval { get; set; } = 10;

    /// <summary>
    /// Seconds a cancelled job (timeout or SIGTERM) is given to observe its token and run its <c>finally</c> blocks
    /// before it is called abandoned and its outcome saved while its code still runs (<c>abandon_grace</c>).
    /// </summary>
    [ConfigurationKeyName("abandon_grace")]
    public double AbandonGrace { get; set; } = 1.5;

    /// <summary>
    /// Seconds a worker told to abort (SIGTERM, a second SIGINT) has to save the outcomes it holds before it exits
    /// anyway (<c>abort_timeout</c>). Outcomes not saved by then (the storage is unreachable) are logged with their ids;
    /// those jobs stay <c>started</c> and are requeued by recovery (maintenance, or the next open of a LiteDB file).
    /// </summary>
    [ConfigurationKeyName("abort_timeout")]
    public double AbortTimeout { get; set; } = 10;

    /// <summary>
    /// Seconds between checks for jobs stored <c>started</c> by this worker that it does not run (a lost claim reply),
    /// which are released to <c>queued</c> (<c>own_claims_check_interval</c>, 0 = off).
    /// </summary>
    [ConfigurationKeyName("own_claims_check_interval")]
    public double OwnClaimsCheckInterval { get; set; } = 10;

    /// <summary>Most characters of log lines stored per job; later lines are replaced by one marker line (<c>max_job_log_chars</c>).</summary>
    [ConfigurationKeyName("max_job_log_chars")]
    public int MaxJobLogChars { get; set; } = 1024 * 1024;

    /// <summary>Only run jobs whose path is listed (<c>task_whitelist</c>).</summary>
    [ConfigurationKeyName("task_whitelist")]
    public IList<string> TaskWhitelist { get; set; } = [];

    /// <summary>Never run jobs whose path is listed (<c>task_blacklist</c>).</summary>
    [ConfigurationKeyName("task_blacklist")]
    public IList<string> TaskBlacklist { get; set; } = [];

    /// <summary>Seconds between subqueue discoveries for <c>queue/</c> workers (<c>subqueues_refresh_interval</c>, 0 = off).</summary>
    [ConfigurationKeyName("subqueues_refresh_interval")]
    public double SubqueuesRefreshInterval { get; set; } = 60;

    /// <summary>Seconds between paused-queue refreshes (<c>paused_queues_refresh_interval</c>, 0 = pausing ignored).</summary>
    [ConfigurationKeyName("paused_queues_refresh_interval")]
    public double PausedQueuesRefreshInterval { get; set; } = 10;

    /// <summary>Default job timeout in seconds (<c>default_job_timeout</c>).</summary>
    [ConfigurationKeyName("default_job_timeout")]
    public double DefaultJobTimeout { get; set; } = 3600;

    /// <summary>Default retries before <c>maxretries</c> (<c>default_job_max_retries</c>).</summary>
    [ConfigurationKeyName("default_job_max_retries")]
    public int DefaultJobMaxRetries { get; set; } = 3;

    /// <summary>Default retry delay in seconds (<c>default_job_retry_delay</c>).</summary>
    [ConfigurationKeyName("default_job_retry_delay")]
    public double DefaultJobRetryDelay { get; set; } = 3;

    /// <summary>Seconds a successful job is kept (<c>default_job_result_ttl</c>).</summary>
    [ConfigurationKeyName("default_job_result_ttl")]
    public double DefaultJobResultTtl { get; set; } = 604800;

    /// <summary>Seconds an aborted job is kept (<c>default_job_abort_ttl</c>).</summary>
    [ConfigurationKeyName("default_job_abort_ttl")]
    public double DefaultJobAbortTtl { get; set; } = 86400;

    /// <summary>Seconds a cancelled job is kept (<c>default_job_cancel_ttl</c>).</summary>
    [ConfigurationKeyName("default_job_cancel_ttl")]
    public double DefaultJobCancelTtl { get; set; } = 86400;

    /// <summary>Seconds other ended jobs are kept after being queued (<c>default_job_ttl</c>, 180 days).</summary>
    [ConfigurationKeyName("default_job_ttl")]
    public double DefaultJobTtl { get; set; } = 15552000;

    /// <summary>Seconds queuesize counters live (<c>queue_ttl</c>).</summary>
    [ConfigurationKeyName("queue_ttl")]
    public double QueueTtl { get; set; } = 86400;

    /// <summary>Run the maintenance loops (requeue retry/interrupted/stale jobs, delete expired) in this worker (<c>maintenance</c>).</summary>
    [ConfigurationKeyName("maintenance")]
    public bool Maintenance { get; set; } = true;

    /// <summary>
    /// Requeue jobs whose <c>dateretry</c> has come (delayed jobs, delayed retries) as soon as they are due, in every
    /// worker (<c>retry_timer</c>). Off, due jobs stay <c>retry</c> until a maintenance pass or MRQ's
    /// <c>mrq.basetasks.cleaning.RequeueRetryJobs</c> requeues them, as with Python MRQ's workers.
    /// </summary>
    [ConfigurationKeyName("retry_timer")]
    public bool RetryTimer { get; set; } = true;

    /// <summary>Seconds between maintenance passes (<c>maintenance_interval</c>).</summary>
    [ConfigurationKeyName("maintenance_interval")]
    public double MaintenanceInterval { get; set; } = 60;

    /// <summary>
    /// Seconds the maintenance lock lives without renewal (<c>maintenance_lock_ttl</c>); a pass renews it every third
    /// of that. A worker killed during a pass delays the next pass elsewhere by at most this long.
    /// </summary>
    [ConfigurationKeyName("maintenance_lock_ttl")]
    public double MaintenanceLockTtl { get; set; } = 30;

    /// <summary>Extra seconds past a task's timeout before a started job of a live worker counts as stale (RequeueStartedJobs' <c>timeout</c>).</summary>
    [ConfigurationKeyName("started_jobs_grace")]
    public double StartedJobsGrace { get; set; } = 300;

    /// <summary>
    /// Seconds without a report after which a worker counts as dead and its started jobs are requeued
    /// (<c>worker_lease</c>). MRQ's own rule is "the worker document is gone", which its TTL index does an hour after
    /// the last report, so the default is that hour; a worker that reported <c>stop</c>, or whose report is deleted, is
    /// dead at once. Judged on the storage's clock (MongoDB's server time), never on a worker's.
    /// </summary>
    [ConfigurationKeyName("worker_lease")]
    public double WorkerLease { get; set; } = 3600;

    /// <summary>
    /// How many times a job may be found <c>started</c> by a dead worker (or far past its timeout) before it ends
    /// <c>failed</c> with exceptiontype <c>WorkerLost</c> instead of being requeued again (<c>max_lost</c>; the count is
    /// kept in the job's <c>lost_count</c>, a field Python MRQ ignores).
    /// </summary>
    [ConfigurationKeyName("max_lost")]
    public int MaxLost { get; set; } = WorkerLost.DefaultLimit;

    /// <summary>Seconds a graceful stop waits for running jobs before interrupting them (<c>shutdown_timeout</c>, 0 = wait for ever).</summary>
    [ConfigurationKeyName("shutdown_timeout")]
    public double ShutdownTimeout { get; set; }

    /// <summary>Run MRQ's scheduler in this worker (<c>scheduler</c>): queue <see cref="SchedulerTasks"/> when due.</summary>
    [ConfigurationKeyName("scheduler")]
    public bool Scheduler { get; set; }

    /// <summary>Seconds between scheduler checks (<c>scheduler_interval</c>, MRQ's default 60).</summary>
    [ConfigurationKeyName("scheduler_interval")]
    public double SchedulerInterval { get; set; } = 60;

    /// <summary>The scheduler's entries (MRQ's <c>SCHEDULER_TASKS</c>); see <see cref="Scheduling.ScheduledTask"/>.</summary>
    [ConfigurationKeyName("scheduler_tasks")]
    public IList<Scheduling.ScheduledTask> SchedulerTasks { get; set; } = [];

    /// <summary>Worker group shown in reports (<c>worker_group</c>, MRQ's agents).</summary>
    [ConfigurationKeyName("worker_group")]
    public string WorkerGroup { get; set; } = string.Empty;

    /// <summary>Id of the MRQ agent that started this worker, shown in reports (<c>agent_id</c>).</summary>
    [ConfigurationKeyName("agent_id")]
    public string AgentId { get; set; } = string.Empty;

    /// <summary>The worker's id (<c>worker_id</c>, 24 hex characters); empty generates one.</summary>
    [ConfigurationKeyName("worker_id")]
    public string WorkerId { get; set; } = string.Empty;

    /// <summary>Local address shown in reports (<c>local_ip</c>); empty uses the host's first IPv4 address.</summary>
    [ConfigurationKeyName("local_ip")]
    public string LocalIp { get; set; } = string.Empty;

    /// <summary>External address shown in reports (<c>external_ip</c>); empty reports null, as MRQ does.</summary>
    [ConfigurationKeyName("external_ip")]
    public string ExternalIp { get; set; } = string.Empty;

    /// <summary>Write each job's CPU seconds (<c>time</c>) and thread switches (<c>switches</c>) on it, as MRQ's <c>trace_greenlets</c>.</summary>
    [ConfigurationKeyName("trace_greenlets")]
    public bool TraceGreenlets { get; set; }

    /// <summary>Stop gracefully once the process's resident memory passes this many MB (<c>max_memory</c>, 0 = no limit).</summary>
    [ConfigurationKeyName("max_memory")]
    public int MaxMemory { get; set; }

    /// <summary>
    /// Format of the lines stored in <c>mrq_logs</c> (<c>log_format</c>), with Python logging's fields
    /// <c>%(asctime)s</c>, <c>%(levelname)s</c>, <c>%(message)s</c> and <c>%(name)s</c>, as MRQ writes them.
    /// </summary>
    [ConfigurationKeyName("log_format")]
    public string LogFormat { get; set; } = "%(asctime)s [%(levelname)s] %(message)s";

    /// <summary>Store job and worker log lines in the storage's <c>mrq_logs</c> (<c>mongodb_logs</c> other than <c>0</c>).</summary>
    [ConfigurationKeyName("store_logs")]
    public bool StoreLogs { get; set; } = true;

    /// <summary>Per-task options by task path (MRQ's <c>TASKS</c>).</summary>
    [ConfigurationKeyName("tasks")]
    public IDictionary<string, TaskOptions> Tasks { get; set; } = new Dictionary<string, TaskOptions>(StringComparer.Ordinal);

    /// <summary>Raw queue settings by queue name (MRQ's <c>RAW_QUEUES</c>); the job factory is set in code.</summary>
    [ConfigurationKeyName("raw_queues")]
    public IDictionary<string, RawQueueOptions> RawQueues { get; set; } = new Dictionary<string, RawQueueOptions>(StringComparer.Ordinal);
}
