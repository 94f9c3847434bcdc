using System.CommandLine;
using Mrq.Cli.Configuration;

namespace Mrq.Cli.Commands;

/// <summary>
/// The rest of MRQ's 57 worker flags, in MRQ's spellings (a kebab-case alias each), so <c>mrq worker</c> runs with a
/// Python MRQ worker's command line: the ones with a meaning here map to configuration keys; MRQ's Python tracing
/// and profiling switches are accepted and ignored with one debug line each. Any MRQ-only flag turns on
/// MRQ-compatibility mode (<see cref="ConfigKeys.Compat"/>).
/// </summary>
internal sealed class MrqWorkerFlags
{
    private const string DefaultWorkerClass = "mrq.worker.Worker";
    private const string DefaultLogHandler = "mrq.logger.MongoHandler";

    private readonly List<(Option Option, string Key)> _switches = [];
    private readonly List<(Option Option, string Why)> _ignored = [];
    private readonly List<Option> _mrqOnly = [];
    private readonly Option<string> _workerClass;
    private readonly Option<string> _logHandler;

    /// <summary>Adds the flags to <paramref name="command"/>, valued ones mapped through <paramref name="flags"/>.</summary>
    public MrqWorkerFlags(Command command, FlagMap flags)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(flags);
        Version = new Option<bool>("--version", "-v") { Description = "Print the version and exit.", Arity = ArgumentArity.Zero };
        Compat = Switch("--mrq-compat", "MRQ-compatibility mode: storage defaults to MRQ's mongodb://127.0.0.1:27017/mrq + redis://127.0.0.1:6379.", ConfigKeys.Compat);
        NoMaintenance = new Option<bool>("--no-maintenance", "--no_maintenance")
        {
            Description = "Do not run the built-in maintenance (requeue retry/interrupted/lost jobs, delete expired) nor the due-retry timer in this worker: for fleets that schedule MRQ's mrq.basetasks.* instead.",
            Arity = ArgumentArity.Zero,
        };
        command.Options.Add(Version);
        command.Options.Add(Compat);
        command.Options.Add(NoMaintenance);

        Valued<double>("--queue_ttl", "Seconds queuesize counters live in Redis (default 86400).", "queue_ttl");
        Valued<double>("--default_job_ttl", "Seconds ended jobs are kept (default 180 days).", "default_job_ttl");
        Valued<double>("--default_job_result_ttl", "Seconds successful jobs are kept (default 7 days).", "default_job_result_ttl");
        Valued<double>("--default_job_abort_ttl", "Seconds aborted jobs are kept (default 1 day).", "default_job_abort_ttl");
        Valued<double>("--default_job_cancel_ttl", "Seconds cancelled jobs are kept (default 1 day).", "default_job_cancel_ttl");
        Valued<int>("--default_job_max_retries", "Retries before maxretries (default 3).", "default_job_max_retries");
        Valued<double>("--default_job_retry_delay", "Seconds before a retried job is requeued (default 3).", "default_job_retry_delay");
        Valued<double>("--subqueues_refresh_interval", "Seconds between subqueue discoveries (default 60).", "subqueues_refresh_interval");
        Valued<double>("--paused_queues_refresh_interval", "Seconds between paused-queue refreshes (default 10).", "paused_queues_refresh_interval");
        Valued<int>("--max_memory", "Stop gracefully past this many MB of memory (0: no limit).", "max_memory");
        Valued<string>("--worker_group", "Worker group shown in reports.", "worker_group");
        Valued<string>("--agent_id", "Agent id shown in reports.", "agent_id");
        Valued<string>("--worker_id", "This worker's id (24 hex characters; default: generated).", "worker_id");
        Valued<string>("--local_ip", "Local address shown in reports.", "local_ip");
        Valued<string>("--external_ip", "External address shown in reports.", "external_ip");
        Valued<string>("--log_format", "Format of the lines stored in mrq_logs (Python %(field)s syntax).", "log_format");
        Valued<string>("--report_file", "Write each worker report to this JSON file.", ConfigKeys.ReportFile);
        MrqOnly(Valued<int>("--admin_port", "Serve MRQ's admin HTTP endpoints on this port (0: none).", ConfigKeys.AdminPort));
        MrqOnly(Valued<string>("--admin_ip", "Address of the admin port (default 127.0.0.1).", ConfigKeys.AdminIp));
        MrqOnly(Valued<string>("--mongodb_logs", "1: store job logs in the jobs database (default); 0: store none.", ConfigKeys.MongodbLogs));
        _workerClass = MrqOnly(Add(new Option<string>("--worker_class") { Description = $"Only {DefaultWorkerClass} (MRQ's default) is accepted.", HelpName = "class" }));
        _logHandler = MrqOnly(Add(new Option<string>("--log_handler") { Description = $"Only {DefaultLogHandler} (MRQ's default) is accepted.", HelpName = "class" }));
        command.Options.Add(MrqOnly(Switch("--trace_greenlets", "Write each job's CPU seconds (time) and switches on it.", "trace_greenlets")));

        const string tracing = "Python tracing and profiling; nothing to trace here";
        foreach (var name in new[] { "--trace_io", "--trace_memory", "--print_mongodb", "--profile", "--no_import_patch", "--quiet" })
        {
            Ignore(Add(new Option<bool>(name) { Description = "Accepted for MRQ's command lines and ignored.", Arity = ArgumentArity.Zero }), tracing);
        }

        foreach (var name in new[] { "--trace_memory_type", "--trace_memory_output_dir", "--add_network_latency" })
        {
            Ignore(Add(new Option<string>(name) { Description = "Accepted for MRQ's command lines and ignored.", HelpName = "value" }), tracing);
        }

        Ignore(Add(new Option<int>("--redis_max_connections") { Description = "Accepted and ignored: one multiplexed Redis connection serves the worker.", HelpName = "n" }), "one multiplexed Redis connection serves the worker");
        Ignore(Add(new Option<double>("--redis_timeout") { Description = "Accepted and ignored: one multiplexed Redis connection serves the worker.", HelpName = "seconds" }), "one multiplexed Redis connection serves the worker");
        Ignore(Add(new Option<bool>("--ensure_indexes") { Description = "Accepted and ignored: the storage ensures its indexes at start.", Arity = ArgumentArity.Zero }), "the storage ensures its indexes at start");
        Ignore(Add(new Option<bool>("--use_large_job_ids") { Description = "Accepted and ignored: job ids in Redis are always full ObjectIds.", Arity = ArgumentArity.Zero }), "job ids in Redis are always full ObjectIds");

        T Add<T>(T option)
            where T : Option
        {
            command.Options.Add(option);
            return option;
        }

        Option<T> Valued<T>(string name, string description, string key) =>
            Add(flags.Scalar(new Option<T>(name, name.Replace('_', '-')) { Description = description, HelpName = "value" }, key));

        Option<bool> Switch(string name, string description, string key)
        {
            var option = new Option<bool>(name, name.Replace('_', '-')) { Description = description, Arity = ArgumentArity.Zero };
            _switches.Add((option, key));
            return option;
        }

        void Ignore(Option option, string why)
        {
            _ignored.Add((option, why));
            _mrqOnly.Add(option);
        }
    }

    /// <summary><c>--version</c>/<c>-v</c>.</summary>
    public Option<bool> Version { get; }

    /// <summary><c>--mrq-compat</c>.</summary>
    public Option<bool> Compat { get; }

    /// <summary><c>--no-maintenance</c>: sets <c>maintenance</c> and <c>retry_timer</c> to false.</summary>
    public Option<bool> NoMaintenance { get; }

    /// <summary>The values of the switches given, by configuration key, and <c>compat</c> when an MRQ-only flag is given.</summary>
    /// <exception cref="CliUsageException">A value asks for something MRQ does in Python that cannot be done here.</exception>
    public void Collect(ParseResult parse, IDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (option, key) in _switches)
        {
            if (Given(parse, option))
            {
                values[key] = "true";
            }
        }

        if (Given(parse, NoMaintenance))
        {
            values["maintenance"] = "false";
            // MRQ's workers never requeue due retries themselves: fleets scheduling RequeueRetryJobs count on that.
            values["retry_timer"] = "false";
        }

        if (_mrqOnly.Any(o => Given(parse, o)))
        {
            values[ConfigKeys.Compat] = "true";
        }

        RefuseOtherClass(parse.GetValue(_workerClass), "--worker_class", DefaultWorkerClass);
        RefuseOtherClass(parse.GetValue(_logHandler), "--log_handler", DefaultLogHandler);
    }

    /// <summary>Whether job logs are stored, from <c>mongodb_logs</c> in any layer (<c>1</c>, the default, or <c>0</c>).</summary>
    /// <exception cref="CliUsageException">The value is a URL other than the jobs database's.</exception>
    public static bool StoresLogs(CliConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var logs = configuration.Get(ConfigKeys.MongodbLogs);
        if (logs is null or "1")
        {
            return true;
        }

        if (logs == "0")
        {
            return false;
        }

        return string.Equals(logs, configuration.Get(ConfigKeys.MongodbJobs) ?? ConfigKeys.MrqDefaultMongo, StringComparison.Ordinal)
            ? true
            : throw new CliUsageException("mongodb_logs: a separate logs database is not supported; use 1 (mrq_logs in the jobs database) or 0 (no stored logs).");
    }

    /// <summary>The ignored flags given, each with why it is ignored (for one debug line each).</summary>
    public IEnumerable<(string Flag, string Why)> IgnoredGiven(ParseResult parse) =>
        _ignored.Where(i => Given(parse, i.Option)).Select(i => (i.Option.Name, i.Why));

    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    private static void RefuseOtherClass(string? value, string flag, string only)
    {
        if (value is not null && !string.Equals(value, only, StringComparison.Ordinal))
        {
            throw new CliUsageException($"{flag} '{value}': Python classes cannot run here; only {only} (MRQ's default) is accepted.");
        }
    }

    private T MrqOnly<T>(T option)
        where T : Option
    {
        _mrqOnly.Add(option);
        return option;
    }
}
