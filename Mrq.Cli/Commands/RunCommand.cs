using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mrq.Cli.Hosting;
using Mrq.Cli.Signals;
using Mrq.Configuration;
using Mrq.Jobs;
using Mrq.Tasks;

namespace Mrq.Cli.Commands;

/// <summary>
/// <c>mrq run &lt;path&gt; '&lt;json&gt;'</c>: runs one job now, in this process, and prints its JSON result. The job
/// is stored like any other (on a private queue, run by a one-greenlet burst worker), so it has a real job context
/// and shows in <c>mrq jobs</c>. With <c>--queue Q</c> it is only queued, and its id printed.
/// </summary>
internal sealed class RunCommand
{
    private readonly GlobalOptions _globals;
    private readonly CliConsole _console;
    private readonly Argument<string> _path = new("path") { Description = "The task path (e.g. samples.Add)." };
    private readonly Argument<string> _params = new("params") { Description = "The params, a JSON object (default {}).", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string> _queue = new("--queue") { Description = "Only queue the job on this queue and print its id.", HelpName = "queue" };

    public RunCommand(GlobalOptions globals, CliConsole console)
    {
        _globals = globals;
        _console = console;
        Command = new Command("run", "Run a task now and print its JSON result, or queue it with --queue and print the job id.");
        Command.Arguments.Add(_path);
        Command.Arguments.Add(_params);
        Command.Options.Add(_queue);
        Command.SetAction((parse, _) => RunAsync(parse));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

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
            parameters = MrqJson.ParseParams(parse.GetValue(_params) ?? "{}");
        }
        catch (FormatException ex)
        {
            throw new CliUsageException(ex.Message, ex);
        }

        var queue = parse.GetValue(_queue);
        var session = CliSession.Create(parse, _globals, null, null, _console, LogLevel.Warning);
        if (queue is not null)
        {
            await using var queueHost = CliHost.Create(session);
            _ = queueHost.Options;
            var queued = await Queue(() => queueHost.Client.QueueJobAsync(path, parameters, queue)).ConfigureAwait(false);
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
        });
        _ = host.Options;
        if (!host.TaskPaths.Contains(path))
        {
            throw new CliUsageException(host.TaskPaths.Count == 0
                ? $"no task is registered at '{path}': give the assembly with --tasks <dll> (or queue it for another worker with --queue)."
                : $"no task is registered at '{path}'. Known tasks: {string.Join(", ", host.TaskPaths.Order(StringComparer.Ordinal))}.");
        }

        var id = await Queue(() => host.Client.QueueJobAsync(path, parameters, privateQueue)).ConfigureAwait(false);
        var worker = host.Workers.Create();
        try
        {
            using var signals = new ShutdownSignals(host.Logging.CreateLogger("Mrq.Cli"));
            await worker.RunAsync(signals.Stopping, signals.Aborting).ConfigureAwait(false);
        }
        finally
        {
            (worker as IDisposable)?.Dispose();
        }

        var job = await host.Client.GetJobAsync(id).ConfigureAwait(false);
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
