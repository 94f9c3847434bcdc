using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mrq.Cli.Hosting;
using Mrq.Cli.Output;
using Mrq.Cli.Signals;
using Mrq.Client;
using Mrq.Configuration;
using Mrq.Jobs;
using Mrq.Maintenance;
using Mrq.Storage;
using Mrq.Tasks;

namespace Mrq.Cli.Commands;

/// <summary>
/// <c>mrq run &lt;path&gt; '&lt;json&gt;'</c> (or MRQ's <c>mrq run &lt;path&gt; key value …</c>): runs one job now, in
/// this process, and prints its JSON result. The job runs with a real job context (stored on a private queue, run by
/// a one-greenlet burst worker) and is deleted with its logs once it has ended, so nothing is left behind, as MRQ's
/// <c>mrq-run</c> stores nothing. With <c>--queue Q</c> it is only queued, and its id printed; <c>--delay</c> or
/// <c>--run-at</c> then make it a delayed job, and <c>--unique-key</c> a unique one.
/// </summary>
internal sealed class RunCommand
{
    /// <summary>At most this many worker runs for one job (each retry takes one).</summary>
    private const int MaxRounds = 100;

    private static readonly TimeSpan s_statusInterval = TimeSpan.FromMilliseconds(250);

    private readonly GlobalOptions _globals;
    private readonly CliConsole _console;
    private readonly Argument<string> _path = new("path") { Description = "The task path (e.g. samples.Add)." };
    private readonly Argument<string[]> _params = new("params")
    {
        Description = "The params: a JSON object (default {}), or MRQ's key value pairs (a 1 b x: numbers, true, false and null are JSON, other values strings).",
        Arity = ArgumentArity.ZeroOrMore,
    };
    private readonly Option<string> _paramsFile = new("--params-file")
    {
        Description = "Read the params (a JSON object) from this file, or from standard input with '-': for payloads over the OS's argument size limit.",
        HelpName = "file",
    };

    private readonly Option<string> _queue = new("--queue") { Description = "Only queue the job on this queue and print its id.", HelpName = "queue" };
    private readonly Option<string> _delay = new("--delay")
    {
        Description = "With --queue: start the job no earlier than this long from now (e.g. 30s, 5m, 2h, 1d, or 00:10:00).",
        HelpName = "duration",
    };

    private readonly Option<string> _runAt = new("--run-at")
    {
        Description = "With --queue: start the job no earlier than this time (ISO 8601, e.g. 2026-12-24T18:00:00Z; no offset means UTC).",
        HelpName = "time",
    };

    private readonly Option<string> _uniqueKey = new("--unique-key")
    {
        Description = "With --queue: while a job with this key is queued, delayed, running or interrupted, print its id instead of queueing another.",
        HelpName = "key",
    };

    public RunCommand(GlobalOptions globals, CliConsole console)
    {
        _globals = globals;
        _console = console;
        Command = new Command("run", "Run a task now and print its JSON result, or queue it with --queue and print the job id.");
        Command.Arguments.Add(_path);
        Command.Arguments.Add(_params);
        Command.Options.Add(_paramsFile);
        Command.Options.Add(_queue);
        Command.Options.Add(_delay);
        Command.Options.Add(_runAt);
        Command.Options.Add(_uniqueKey);
        Command.SetAction((parse, _) => RunAsync(parse));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    /// <summary>The params text: the argument, the <c>--params-file</c> (or stdin for <c>-</c>), or <c>{}</c>.</summary>
    /// <exception cref="CliUsageException">Both are given, or the file cannot be read.</exception>
    private async Task<string> ReadParamsAsync(ParseResult parse)
    {
        var inline = ParamsText(parse.GetValue(_params) ?? []);
        var file = parse.GetValue(_paramsFile);
        if (file is null)
        {
            return inline ?? "{}";
        }

        if (inline is not null)
        {
            throw new CliUsageException("give the params either as an argument or with --params-file, not both.");
        }

        try
        {
            if (file == "-")
            {
                using var stdin = new StreamReader(Console.OpenStandardInput());
                return await stdin.ReadToEndAsync().ConfigureAwait(false);
            }

            return await File.ReadAllTextAsync(file).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"cannot read --params-file '{file}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The params argument(s) as JSON text: one argument is the JSON itself; pairs are MRQ's <c>key value …</c> form.
    /// MRQ passes every value as a string; here a value that reads as a JSON number, <c>true</c>, <c>false</c> or
    /// <c>null</c> is that JSON value, so typed params bind (quote it, <c>'"1"'</c>, to pass a string).
    /// </summary>
    /// <exception cref="CliUsageException">An odd number of key/value arguments.</exception>
    internal static string? ParamsText(IReadOnlyList<string> arguments)
    {
        if (arguments.Count <= 1)
        {
            return arguments.Count == 0 ? null : arguments[0];
        }

        if (arguments.Count % 2 != 0)
        {
            throw new CliUsageException($"params as key value pairs need an even number of arguments; got {arguments.Count}: {string.Join(' ', arguments)}.");
        }

        var parameters = new JsonObject();
        for (var i = 0; i < arguments.Count; i += 2)
        {
            parameters[arguments[i]] = PairValue(arguments[i + 1]);
        }

        return parameters.ToJsonString();
    }

    private static JsonNode? PairValue(string text)
    {
        try
        {
            var node = JsonNode.Parse(text);
            return node is JsonValue or null ? node : JsonValue.Create(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    private async Task<int> RunAsync(ParseResult parse)
    {
        var path = parse.GetValue(_path)!;
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliUsageException("the task path must not be empty.");
        }

        JsonObject parameters;
        try
        {
            parameters = MrqJson.ParseParams(await ReadParamsAsync(parse).ConfigureAwait(false));
        }
        catch (FormatException ex)
        {
            throw new CliUsageException(ex.Message, ex);
        }

        var queue = parse.GetValue(_queue);
        var when = ParseWhen(parse.GetValue(_delay), parse.GetValue(_runAt));
        var uniqueKey = parse.GetValue(_uniqueKey);
        if (queue is null && (when.Delay is not null || when.RunAt is not null || uniqueKey is not null))
        {
            throw new CliUsageException("--delay, --run-at and --unique-key only apply with --queue (mrq run without --queue runs the job now).");
        }

        var session = CliSession.Create(parse, _globals, null, null, _console, LogLevel.Warning);
        if (queue is not null)
        {
            await using var queueHost = await CliHost.CreateSharedAsync(session, CancellationToken.None).ConfigureAwait(false);
            _ = queueHost.Options;
            var options = new QueueJobOptions { Queue = queue, Delay = when.Delay, RunAt = when.RunAt, UniqueKey = uniqueKey };
            var queued = await Queue(() => queueHost.Client.QueueJobAsync(path, parameters, options)).ConfigureAwait(false);
            await _console.Out.WriteLineAsync(queued.ToString()).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        // A private queue, so no other worker takes the job and this burst worker takes no other job.
        var privateQueue = $"mrq_run_{Guid.NewGuid():N}";
        await using var host = CliHost.Create(session, options =>
        {
            options.Queues = [privateQueue];
            options.Greenlets = 1;
            options.DequeueStrategy = DequeueStrategy.Burst;
            options.MaxJobs = 0;
            options.MaxTime = 0;
            options.Maintenance = false;
            options.TaskWhitelist = [];
            options.TaskBlacklist = [];
        }, reportsJobEndings: true);
        _ = host.Options;
        if (!host.TaskPaths.Contains(path))
        {
            throw new CliUsageException(host.TaskPaths.Count == 0
                ? $"no task is registered at '{path}': give the assembly with --tasks <dll> (or queue it for another worker with --queue)."
                : $"no task is registered at '{path}'. Known tasks: {string.Join(", ", host.TaskPaths.Order(StringComparer.Ordinal))}.");
        }

        var id = await Queue(() => host.Client.QueueJobAsync(path, parameters, privateQueue)).ConfigureAwait(false);
        using var signals = new ShutdownSignals(host.Logging.CreateLogger("Mrq.Cli"));
        JobRecord? job;
        var clock = Stopwatch.StartNew();
        await using (LiveStatus.StartIfTerminal(_console, ct => RunStatusAsync(host, id, path, clock, ct), s_statusInterval))
        {
            job = await RunToEndAsync(host, id, signals).ConfigureAwait(false);
        }

        await DeleteRunJobAsync(host, id).ConfigureAwait(false);
        if (job?.Status == JobStatus.Success)
        {
            await _console.Out.WriteLineAsync(job.Result?.ToJsonString() ?? "null").ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var status = job?.Status.ToMrqName() ?? "missing";
        await _console.Error.WriteLineAsync($"mrq: job {id} ({path}) ended {status}{(job?.ExceptionType is { } type ? $": {type}" : string.Empty)}").ConfigureAwait(false);
        if (job?.Traceback is { } traceback)
        {
            await _console.Error.WriteLineAsync(traceback).ConfigureAwait(false);
        }

        return ExitCodes.Failure;
    }

    /// <summary>
    /// Runs burst workers on the private queue until the job has ended: a retry with no delay puts it back on the
    /// queue (possibly after the burst worker saw it empty), and a delayed retry is requeued when due, as
    /// maintenance would. Stops early on SIGINT/SIGTERM.
    /// </summary>
    private static async Task<JobRecord?> RunToEndAsync(CliHost host, JobId id, ShutdownSignals signals)
    {
        JobRecord? job = null;
        for (var round = 0; round < MaxRounds && !signals.Stopping.IsCancellationRequested; round++)
        {
            var worker = host.Workers.Create();
            try
            {
                await worker.RunAsync(signals.Stopping, signals.Aborting).ConfigureAwait(false);
            }
            finally
            {
                (worker as IDisposable)?.Dispose();
            }

            job = await host.Client.GetJobAsync(id, CancellationToken.None).ConfigureAwait(false);
            if (job?.Status == JobStatus.Retry && job.DateRetry is { } due)
            {
                var wait = DateTime.SpecifyKind(due, DateTimeKind.Utc) - DateTime.UtcNow;
                try
                {
                    await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, signals.Stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                await host.Services.GetRequiredService<IMrqMaintenance>().RequeueRetryJobsAsync(CancellationToken.None).ConfigureAwait(false);
            }
            else if (job?.Status != JobStatus.Queued)
            {
                break;
            }
        }

        return job;
    }

    /// <summary>The terminal status of the running job: its path, status, time and progress.</summary>
    internal static async ValueTask<string> RunStatusAsync(CliHost host, JobId id, string path, Stopwatch clock, CancellationToken cancellationToken)
    {
        var job = await host.Client.GetJobAsync(id, cancellationToken).ConfigureAwait(false);
        return RunStatusText(path, job?.Status, job?.Progress, clock.Elapsed);
    }

    /// <summary>E.g. "samples.Fetch started, 3.2 s, 40 %".</summary>
    internal static string RunStatusText(string path, JobStatus? status, double? progress, TimeSpan elapsed) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{path} {status?.ToMrqName() ?? "queued"}, {elapsed.TotalSeconds:0.0} s{(progress is { } p ? $", {p * 100:0} %" : string.Empty)}");

    /// <summary>
    /// Deletes the job <c>mrq run</c> ran, and its logs, so no private queue is left per call. A job still
    /// <c>started</c> (its outcome could not be saved) is kept by the store, and recovered by maintenance.
    /// </summary>
    private static async Task DeleteRunJobAsync(CliHost host, JobId id)
    {
        var storage = host.Services.GetRequiredService<MrqStorage>();
        if (await storage.Jobs.DeleteJobsAsync([id], CancellationToken.None).ConfigureAwait(false) > 0)
        {
            await storage.Logs.DeleteJobLogsAsync([id], CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The <c>--delay</c> and <c>--run-at</c> values, checked.</summary>
    /// <exception cref="CliUsageException">Both given, or one cannot be read.</exception>
    private static (TimeSpan? Delay, DateTimeOffset? RunAt) ParseWhen(string? delay, string? runAt)
    {
        if (delay is not null && runAt is not null)
        {
            throw new CliUsageException("give either --delay or --run-at, not both.");
        }

        if (delay is not null)
        {
            return (ParseDuration(delay) ?? throw new CliUsageException($"--delay '{delay}' is not a duration: use e.g. 30s, 5m, 2h, 1d or 00:10:00."), null);
        }

        if (runAt is not null)
        {
            if (!DateTimeOffset.TryParse(runAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                throw new CliUsageException($"--run-at '{runAt}' is not a date and time: use ISO 8601, e.g. 2026-12-24T18:00:00Z.");
            }

            return (null, at);
        }

        return (null, null);
    }

    /// <summary>A non-negative duration: a number with a unit (<c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>; none = seconds) or <c>[d.]hh:mm:ss</c>.</summary>
    private static TimeSpan? ParseDuration(string text)
    {
        text = text.Trim();
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero ? span : null;
        }

        var unitStart = text.Length;
        while (unitStart > 0 && char.IsAsciiLetter(text[unitStart - 1]))
        {
            unitStart--;
        }

        Func<double, TimeSpan>? unit = text[unitStart..].ToLowerInvariant() switch
        {
            "ms" => TimeSpan.FromMilliseconds,
            "" or "s" => TimeSpan.FromSeconds,
            "m" => TimeSpan.FromMinutes,
            "h" => TimeSpan.FromHours,
            "d" => TimeSpan.FromDays,
            _ => null,
        };
        return unit is not null
            && double.TryParse(text[..unitStart], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
            && amount >= 0 && double.IsFinite(amount)
            ? unit(amount)
            : null;
    }

    private static async Task<JobId> Queue(Func<Task<JobId>> queue)
    {
        try
        {
            return await queue().ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException(ex.Message, ex);
        }
    }
}
