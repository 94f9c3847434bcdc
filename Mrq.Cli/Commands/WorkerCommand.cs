using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mrq.Cli.Admin;
using Mrq.Cli.Configuration;
using Mrq.Cli.Control;
using Mrq.Cli.Hosting;
using Mrq.Cli.Output;
using Mrq.Cli.Signals;
using Mrq.Cli.Supervisor;
using Mrq.Configuration;
using Mrq.Storage;
using Mrq.Workers;

namespace Mrq.Cli.Commands;

/// <summary><c>mrq worker [queues…]</c>: runs a worker (or supervises N worker processes) until stopped.</summary>
internal sealed class WorkerCommand
{
    private readonly GlobalOptions _globals;
    private readonly CliConsole _console;
    private readonly IReadOnlyList<string> _args;
    private readonly FlagMap _flags = new();
    private readonly Argument<string[]> _queues = new("queues") { Description = "Queues to listen to, highest priority first (default: default).", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<int> _processes;
    private readonly Option<bool> _printConfig = new("--print-config") { Description = "Print the effective configuration as JSON and exit." };
    private readonly MrqWorkerFlags _mrq;
    private readonly Option<string> _dashboard = new("--dashboard") { Description = $"Also serve the web dashboard, on 127.0.0.1:{DashboardServer.DefaultPort} or the address given (port, address or address:port; not loopback: needs --dashboard-token).", HelpName = "address", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string> _dashboardToken = new("--dashboard-token") { Description = $"The dashboard's access token (default: ${DashboardServer.TokenVariable}).", HelpName = "secret" };

    public WorkerCommand(GlobalOptions globals, CliConsole console, IReadOnlyList<string> args)
    {
        _globals = globals;
        _console = console;
        _args = args;
        Command = new Command("worker", "Run a worker: claim jobs from the queues and run them, until SIGINT (finish running jobs) or SIGTERM / a second SIGINT (interrupt them).");
        Command.Arguments.Add(_queues);
        Add(_flags.Scalar(new Option<int>("--greenlets", "--gevent", "-g") { Description = "Jobs run concurrently (default 1).", HelpName = "n" }, "greenlets"));
        Add(_flags.Scalar(new Option<int>("--prefetch") { Description = "Jobs claimed ahead of free greenlets, fixed (0 = MRQ's: started means running). Default: adaptive, only jobs expected to start within ~5 ms by recent run times (short jobs in batches, long jobs never ahead).", HelpName = "n" }, "prefetch"));
        _processes = _flags.Scalar(new Option<int>("--processes", "-p") { Description = "Supervise N worker processes, restarting dead ones (0: run in this process).", HelpName = "n" }, ConfigKeys.Processes);
        Add(_processes);
        Add(_flags.Scalar(
            new Option<string>("--dequeue-strategy", "--dequeue_strategy") { Description = "How queues are consumed: sequential (priority order), parallel, burst (exit when idle).", HelpName = "strategy" }
                .AcceptOnlyFromAmong("sequential", "parallel", "burst"),
            "dequeue_strategy"));
        Add(_flags.Scalar(new Option<int>("--max-jobs", "--max_jobs") { Description = "Exit after this many jobs (0: no limit).", HelpName = "n" }, "max_jobs"));
        Add(_flags.Scalar(new Option<double>("--max-time", "--max_time") { Description = "Exit after this many seconds (0: no limit).", HelpName = "seconds" }, "max_time"));
        Add(_flags.Scalar(new Option<double>("--max-latency", "--max_latency") { Description = "Longest wait before polling idle queues again (default 1).", HelpName = "seconds" }, "max_latency"));
        Add(_flags.Scalar(new Option<double>("--report-interval", "--report_interval") { Description = "Seconds between worker reports (default 10).", HelpName = "seconds" }, "report_interval"));
        Add(_flags.List(new Option<string[]>("--task-whitelist", "--task_whitelist") { Description = "Only run these task paths (comma-separated, or the flag repeated; MRQ: one comma-separated value).", HelpName = "paths" }, ConfigKeys.TaskWhitelist));
        Add(_flags.List(new Option<string[]>("--task-blacklist", "--task_blacklist") { Description = "Never run these task paths (comma-separated, or the flag repeated).", HelpName = "paths" }, ConfigKeys.TaskBlacklist));
        Add(_flags.Scalar(new Option<string>("--name") { Description = "Worker name (default host.pid).", HelpName = "name" }, "name"));
        Add(_flags.Scalar(new Option<double>("--default-job-timeout", "--default_job_timeout") { Description = "Default job timeout (default 3600).", HelpName = "seconds" }, "default_job_timeout"));
        Add(_flags.Scalar(new Option<double>("--shutdown-timeout", "--shutdown_timeout") { Description = "After SIGINT, interrupt jobs still running after this long (0: wait for them).", HelpName = "seconds" }, "shutdown_timeout"));
        Add(_flags.Scalar(new Option<bool>("--scheduler") { Description = "Run MRQ's scheduler in this worker: queue scheduler_tasks when due." }, "scheduler"));
        Add(_flags.Scalar(new Option<double>("--scheduler-interval", "--scheduler_interval") { Description = "Seconds between scheduler checks (default 60).", HelpName = "seconds" }, "scheduler_interval"));
        Command.Options.Add(_printConfig);
        _mrq = new MrqWorkerFlags(Command, _flags);
        Command.Options.Add(_dashboard);
        Command.Options.Add(_dashboardToken);
        Command.SetAction((parse, _) => RunAsync(parse));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    private void Add(Option option) => Command.Options.Add(option);

    private async Task<int> RunAsync(ParseResult parse)
    {
        if (parse.GetValue(_mrq.Version))
        {
            _console.Out.WriteLine($"mrq (Mrq for .NET) {typeof(WorkerCommand).Assembly.GetName().Version}");
            return ExitCodes.Ok;
        }

        var extra = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        _mrq.Collect(parse, extra);
        var queues = parse.GetValue(_queues) ?? [];
        if (queues.FirstOrDefault(q => q.StartsWith('-')) is { } unknown)
        {
            // An unknown flag lands among the queue arguments; no queue name starts with '-'.
            throw new CliUsageException($"unrecognized option '{unknown}' (see mrq worker --help).");
        }

        for (var i = 0; i < queues.Length; i++)
        {
            extra[ConfigKeys.Queues + ":" + i.ToString(CultureInfo.InvariantCulture)] = queues[i];
        }

        var dashboardAddress = parse.GetResult(_dashboard) is null ? null : DashboardServer.ParseAddress(parse.GetValue(_dashboard), "--dashboard");
        var dashboardToken = dashboardAddress is null ? null : DashboardServer.RequireToken(dashboardAddress, parse.GetValue(_dashboardToken), _console, "--dashboard", "--dashboard-token");
        var session = CliSession.Create(parse, _globals, _flags, extra, _console, LogLevel.Information);
        var storesLogs = MrqWorkerFlags.StoresLogs(session.Configuration);
        await using var host = CliHost.Create(session, o => o.StoreLogs &= storesLogs);
        var options = host.Options;
        var processes = _console.IsSubprocess ? 0 : session.Configuration.GetInt(ConfigKeys.Processes, 0);
        if (parse.GetValue(_printConfig))
        {
            PrintConfig(session, options, processes);
            return ExitCodes.Ok;
        }

        var logger = host.Logging.CreateLogger("Mrq.Cli");
        foreach (var (flag, why) in _mrq.IgnoredGiven(parse))
        {
            logger.LogDebug("Ignoring MRQ's {Flag}: {Why}.", flag, why);
        }

        if (processes < 0)
        {
            throw new CliUsageException($"processes must be 0 or positive (got {processes}).");
        }

        if (processes > 1 && !session.Storage.IsDistributed)
        {
            throw new CliUsageException(
                $"--processes {processes} needs distributed mode (--mongodb-jobs + --redis): a LiteDB file serves one process. " +
                "Use --processes 1 to supervise one worker, or --greenlets for concurrency in one process.");
        }

        using var signals = new ShutdownSignals(logger, _console.IsSubprocess);
        if (processes > 0)
        {
            // One dashboard: served by the only child, or by the supervisor over the storage its children share.
            var supervisorDashboard = processes > 1 ? dashboardAddress : null;
            await using var served = supervisorDashboard is null ? null : await StartDashboardAsync(host, session, supervisorDashboard, dashboardToken).ConfigureAwait(false);
            if (supervisorDashboard is not null && served is null)
            {
                return ExitCodes.Failure;
            }

            var supervisor = new ProcessSupervisor(processes, ChildArguments(supervisorDashboard is not null), options.DequeueStrategy == DequeueStrategy.Burst, logger);
            return await supervisor.RunAsync(signals).ConfigureAwait(false);
        }

        try
        {
            // Opened before the worker starts, so the control endpoint can serve other mrq commands from the start.
            await host.OpenHeldFileAsync(session.Storage, signals.Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (signals.Stopping.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }

        await using var dashboard = dashboardAddress is null ? null : await StartDashboardAsync(host, session, dashboardAddress, dashboardToken).ConfigureAwait(false);
        if (dashboardAddress is not null && dashboard is null)
        {
            return ExitCodes.Failure;
        }

        var worker = (Worker)host.Workers.Create();
        await using var admin = StartAdmin(session, worker, logger);
        if (session.Configuration.Get(ConfigKeys.ReportFile) is { } reportFile)
        {
            worker.Reported += report => WriteReportFile(reportFile, report, logger);
        }

        try
        {
            // The storage opens before anything is logged, so a storage that cannot be used is the first line printed.
            await host.Services.GetRequiredService<MrqStorage>().InitializeAsync(signals.Stopping).ConfigureAwait(false);
            logger.LogInformation("Storage: {Storage}. Tasks: {Count} from {Assemblies}.",
                session.Storage, session.Tasks.TaskPaths.Count, session.Tasks.Assemblies.Count == 0 ? "no assembly (--tasks <dll>)" : string.Join(", ", session.Tasks.Assemblies.Select(a => a.GetName().Name)));
            await using var progress = ProgressLine.StartIfInteractive(worker, _console);
            var reason = await worker.RunAsync(signals.Stopping, signals.Aborting).ConfigureAwait(false);
            logger.LogDebug("Worker exited: {Reason}.", reason);
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (signals.Stopping.IsCancellationRequested)
        {
            // Stopped while the storage was still opening: nothing was claimed.
            return ExitCodes.Ok;
        }
        finally
        {
            worker.Dispose();
        }
    }

    /// <summary>MRQ's admin port, when <c>admin_port</c> is set: this process's slot is added under a supervisor.</summary>
    private AdminServer? StartAdmin(CliSession session, Worker worker, ILogger logger)
    {
        var port = session.Configuration.GetInt(ConfigKeys.AdminPort, 0);
        if (port == 0)
        {
            return null;
        }

        var slotText = _console.Environment is null
            ? Environment.GetEnvironmentVariable(ConfigKeys.ProcessIndexVariable)
            : _console.Environment.GetValueOrDefault(ConfigKeys.ProcessIndexVariable);
        var slot = int.TryParse(slotText, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : 0;
        return AdminServer.Start(session.Configuration.Get(ConfigKeys.AdminIp) ?? "127.0.0.1", port + slot, worker, logger);
    }

    private static void WriteReportFile(string path, Storage.WorkerReport report, ILogger logger)
    {
        try
        {
            File.WriteAllText(path, AdminReportJson.Write(report));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Writing the report file {Path} failed: {Message}", path, ex.Message);
        }
    }

    private void PrintConfig(CliSession session, MrqOptions options, int processes)
    {
        var json = OptionsJson.ToJson(options)!.AsObject();
        json[ConfigKeys.Processes] = processes;
        json[ConfigKeys.Storage] = session.Storage.ToString();
        json["config_file"] = session.Configuration.File;
        json["sources"] = new System.Text.Json.Nodes.JsonObject(session.Configuration.Sources().Select(s => KeyValuePair.Create(s.Key, (System.Text.Json.Nodes.JsonNode?)s.Value)));
        json["task_paths"] = new System.Text.Json.Nodes.JsonArray([.. session.Tasks.TaskPaths.Order(StringComparer.Ordinal).Select(p => (System.Text.Json.Nodes.JsonNode)p)]);
        _console.Out.WriteLine(json.ToJsonString(JobJson.Indented));
    }

    private async Task<DashboardServer?> StartDashboardAsync(CliHost host, CliSession session, System.Net.IPEndPoint address, string? token)
    {
        var dashboard = await DashboardServer.StartAsync(host, session.LogLevel, address, token, readOnly: false, _console, CancellationToken.None).ConfigureAwait(false);
        if (dashboard is not null)
        {
            await _console.Out.WriteLineAsync($"Mrq dashboard: {dashboard.Url}").ConfigureAwait(false);
        }

        return dashboard;
    }

    /// <summary>
    /// This command line without <c>--processes</c>/<c>-p</c> (children also ignore it through <c>MRQ_IS_SUBPROCESS</c>),
    /// and without <c>--dashboard</c> when the supervisor serves it.
    /// </summary>
    private List<string> ChildArguments(bool withoutDashboard)
    {
        var result = new List<string>();
        for (var i = 0; i < _args.Count; i++)
        {
            var arg = _args[i];
            if (arg is "--processes" or "-p")
            {
                i++;
                continue;
            }

            if (withoutDashboard && arg.StartsWith("--dashboard", StringComparison.Ordinal) && !arg.StartsWith("--dashboard-token", StringComparison.Ordinal))
            {
                // Its optional value is the next argument when that parses as an address (a queue name does not).
                if (arg == "--dashboard" && i + 1 < _args.Count && IsAddress(_args[i + 1]))
                {
                    i++;
                }

                continue;
            }

            if (arg.StartsWith("--processes=", StringComparison.Ordinal) || arg.StartsWith("--processes:", StringComparison.Ordinal)
                || arg.StartsWith("-p=", StringComparison.Ordinal) || arg.StartsWith("-p:", StringComparison.Ordinal))
            {
                continue;
            }

            result.Add(arg);
        }

        return result;
    }

    private static bool IsAddress(string text)
    {
        try
        {
            _ = DashboardServer.ParseAddress(text, "--dashboard");
            return !string.IsNullOrWhiteSpace(text);
        }
        catch (CliUsageException)
        {
            return false;
        }
    }
}
