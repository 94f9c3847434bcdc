namespace Mrq.Cli.Configuration;

/// <summary>
/// Configuration keys the command line reads besides the engine's <c>MrqOptions</c>: MRQ's names, usable in
/// <c>mrq.json</c>, as <c>MRQ_*</c> environment variables and as flags.
/// </summary>
internal static class ConfigKeys
{
    /// <summary>The embedded LiteDB file (embedded mode).</summary>
    public const string Storage = "storage";

    /// <summary>MRQ's <c>mongodb_jobs</c> URL (distributed mode, with <see cref="Redis"/>).</summary>
    public const string MongodbJobs = "mongodb_jobs";

    /// <summary>MRQ's <c>redis</c> URL (distributed mode, with <see cref="MongodbJobs"/>).</summary>
    public const string Redis = "redis";

    /// <summary>MRQ's <c>redis_prefix</c>.</summary>
    public const string RedisPrefix = "redis_prefix";

    /// <summary>MRQ's <c>processes</c>: supervise this many worker processes (0 = run the worker in this process).</summary>
    public const string Processes = "processes";

    /// <summary>MRQ's <c>log_level</c>.</summary>
    public const string LogLevel = "log_level";

    /// <summary>Queues a worker listens to.</summary>
    public const string Queues = "queues";

    /// <summary>Task paths a worker only runs.</summary>
    public const string TaskWhitelist = "task_whitelist";

    /// <summary>Task paths a worker never runs.</summary>
    public const string TaskBlacklist = "task_blacklist";

    /// <summary>MRQ's <c>admin_port</c>: the worker's admin HTTP port (0 = none).</summary>
    public const string AdminPort = "admin_port";

    /// <summary>MRQ's <c>admin_ip</c>: the address the admin port listens on (default 127.0.0.1).</summary>
    public const string AdminIp = "admin_ip";

    /// <summary>MRQ's <c>report_file</c>: a JSON copy of each worker report is written there.</summary>
    public const string ReportFile = "report_file";

    /// <summary>MRQ's <c>mongodb_logs</c>: <c>1</c> stores logs in the jobs database, <c>0</c> stores none.</summary>
    public const string MongodbLogs = "mongodb_logs";

    /// <summary>
    /// MRQ-compatibility mode (<c>--mrq-compat</c>, <c>MRQ_COMPAT=1</c>, or any MRQ-only flag): the storage defaults
    /// to MRQ's <c>mongodb://127.0.0.1:27017/mrq</c> + <c>redis://127.0.0.1:6379</c> instead of a LiteDB file.
    /// </summary>
    public const string Compat = "compat";

    /// <summary>MRQ's default <c>mongodb_jobs</c>.</summary>
    public const string MrqDefaultMongo = "mongodb://127.0.0.1:27017/mrq";

    /// <summary>MRQ's default <c>redis</c>.</summary>
    public const string MrqDefaultRedis = "redis://127.0.0.1:6379";

    /// <summary>The prefix of the environment variables read (<c>MRQ_MAX_JOBS</c> sets <c>max_jobs</c>).</summary>
    public const string EnvironmentPrefix = "MRQ_";

    /// <summary>Set to 1 in the environment of the worker processes a supervisor starts.</summary>
    public const string IsSubprocessVariable = "MRQ_IS_SUBPROCESS";

    /// <summary>
    /// The slot (0, 1…) of a worker process a supervisor starts: its admin port is <c>admin_port</c> + slot, so each
    /// process of <c>--processes N</c> has its own (with N = 1 the child has MRQ's port).
    /// </summary>
    public const string ProcessIndexVariable = "MRQ_PROCESS_INDEX";

    /// <summary>The configuration file read from the current directory when <c>--config</c> is not given.</summary>
    public const string DefaultFile = "mrq.json";

    /// <summary>The LiteDB file used when no storage is configured, in the current directory.</summary>
    public const string DefaultStorageFile = "mrq.db";

    /// <summary>Keys the command line reads itself (not engine options): accepted in <c>mrq.json</c> beside the options.</summary>
    public static IReadOnlyList<string> CommandLineKeys { get; } = [Storage, MongodbJobs, Redis, RedisPrefix, Processes, LogLevel, AdminPort, AdminIp, ReportFile, MongodbLogs, Compat];

    /// <summary>True for 1, true, yes and on (MRQ's environment gives switches as strings).</summary>
    public static bool IsTrue(string? value) => value?.Trim().ToUpperInvariant() is "1" or "TRUE" or "YES" or "ON";

    /// <summary>Keys whose value is a list: an array in JSON, repeated flags, or one space- or comma-separated string.</summary>
    public static IReadOnlyList<string> ListKeys { get; } = [Queues, TaskWhitelist, TaskBlacklist];
}
