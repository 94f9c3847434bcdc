using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mrq.Cli.Hosting;
using Mrq.Cli.Output;
using Mrq.Jobs;
using Mrq.Monitoring;

namespace Mrq.Cli.Commands;

/// <summary><c>mrq jobs</c>: list jobs, show one, cancel or requeue by id or by filter.</summary>
internal sealed class JobsCommand
{
    // The most jobs the monitor returns in one page.
    private const int MaxPage = 1000;

    private readonly GlobalOptions _globals;
    private readonly CliConsole _console;

    public JobsCommand(GlobalOptions globals, CliConsole console)
    {
        _globals = globals;
        _console = console;
        Command = new Command("jobs", "List jobs, newest first (see also: jobs show, jobs cancel, jobs requeue).");
        var filter = new JobFilterOptions();
        filter.AddTo(Command);
        var limit = new Option<int>("--limit") { Description = "At most this many jobs (default 50).", HelpName = "n", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print JSON (one object per line)." };
        Command.Options.Add(limit);
        Command.Options.Add(json);
        Command.SetAction((parse, cancellationToken) => ListAsync(parse, filter, limit, json, cancellationToken));
        Command.Subcommands.Add(Show());
        Command.Subcommands.Add(Action("cancel", "Cancel jobs by id or by filter; prints how many.", false));
        Command.Subcommands.Add(Action("requeue", "Requeue jobs by id or by filter (by default those not already queued); prints how many.", true));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    private async Task<int> ListAsync(ParseResult parse, JobFilterOptions filterOptions, Option<int> limitOption, Option<bool> jsonOption, CancellationToken cancellationToken)
    {
        var filter = filterOptions.Read(parse);
        var limit = parse.GetValue(limitOption);
        if (limit < 1)
        {
            throw new CliUsageException($"--limit must be at least 1 (got {limit}).");
        }

        await using var host = await CreateHostAsync(parse, cancellationToken).ConfigureAwait(false);
        var (jobs, total) = await ListAsync(host.Monitor, filter, limit, cancellationToken).ConfigureAwait(false);
        if (parse.GetValue(jsonOption))
        {
            foreach (var job in jobs)
            {
                await _console.Out.WriteLineAsync(JobJson.ToJson(job).ToJsonString()).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }

        var table = new TextTable("ID", "STATUS", "QUEUE", "PATH", "QUEUED (UTC)", "TIME");
        foreach (var job in jobs)
        {
            table.Add(
                job.Id.ToString(),
                job.Status.ToMrqName(),
                job.Queue,
                job.Path,
                JobJson.Date(job.DateQueued)?.Replace('T', ' ').TrimEnd('Z'),
                job.TotalTime is { } t ? t.ToString("0.000", CultureInfo.InvariantCulture) + " s" : null);
        }

        table.WriteTo(_console.Out);
        await _console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{jobs.Count} job(s){(total > jobs.Count ? $" of {total} (limit {limit}; use --limit for more)" : string.Empty)}")).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>The newest <paramref name="limit"/> jobs matching the filter (read in pages the monitor accepts) and how many match.</summary>
    private static async Task<(List<JobRecord> Jobs, long Total)> ListAsync(IMrqMonitor monitor, JobFilter filter, int limit, CancellationToken cancellationToken)
    {
        var search = new JobSearch { Filter = filter };
        var jobs = new List<JobRecord>();
        long total = 0;
        while (jobs.Count < limit)
        {
            var page = await monitor.SearchJobsAsync(search, jobs.Count, Math.Min(MaxPage, limit - jobs.Count), cancellationToken).ConfigureAwait(false);
            jobs.AddRange(page.Jobs);
            total = page.Total;
            if (page.Jobs.Count == 0 || jobs.Count >= total)
            {
                break;
            }
        }

        return (jobs, total);
    }

    private Command Show()
    {
        var command = new Command("show", "Show one job: params, result, traceback and logs.");
        var id = new Argument<string>("id") { Description = "The job id." };
        var json = new Option<bool>("--json") { Description = "Print the job as one JSON object." };
        command.Arguments.Add(id);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var jobId = JobFilterOptions.ParseId(parse.GetValue(id)!);
            await using var host = await CreateHostAsync(parse, cancellationToken).ConfigureAwait(false);
            var details = await host.Monitor.GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
            if (details is null)
            {
                await _console.Error.WriteLineAsync($"mrq: no job {jobId}.").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            var (job, logs) = details;
            if (parse.GetValue(json))
            {
                await _console.Out.WriteLineAsync(JobJson.ToJson(job, logs).ToJsonString()).ConfigureAwait(false);
            }
            else
            {
                WriteJob(_console.Out, job, logs);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private Command Action(string name, string description, bool requeue)
    {
        var command = new Command(name, description);
        var ids = new Argument<string[]>("ids") { Description = "Job ids (or use the filters).", Arity = ArgumentArity.ZeroOrMore };
        var filterOptions = new JobFilterOptions();
        var all = new Option<bool>("--all") { Description = "Act on every job when no id or filter is given." };
        var destination = new Option<string>("--destination-queue", "--destination_queue") { Description = "Requeue on this queue instead of each job's own.", HelpName = "queue" };
        command.Arguments.Add(ids);
        filterOptions.AddTo(command);
        command.Options.Add(all);
        if (requeue)
        {
            command.Options.Add(destination);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var filter = filterOptions.Read(parse, parse.GetValue(ids));
            if (!JobFilterOptions.IsNarrowed(filter) && !parse.GetValue(all))
            {
                throw new CliUsageException($"name job ids or give a filter (--queue, --status, --path, --worker, --exceptiontype); use --all to {name} every job.");
            }

            await using var host = await CreateHostAsync(parse, cancellationToken).ConfigureAwait(false);
            long count;
            try
            {
                count = requeue
                    ? await host.Client.RequeueJobsAsync(filter, parse.GetValue(destination), cancellationToken).ConfigureAwait(false)
                    : await host.Client.CancelJobsAsync(filter, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                throw new CliUsageException(ex.Message, ex);
            }

            var verb = requeue ? "requeued" : "cancelled";
            await _console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{verb} {count} job(s)")).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private Task<CliHost> CreateHostAsync(ParseResult parse, CancellationToken cancellationToken) =>
        CliHost.CreateSharedAsync(parse, _globals, _console, cancellationToken);

    private static void WriteJob(TextWriter writer, JobRecord job, string logs)
    {
        var json = JobJson.ToJson(job);
        foreach (var (key, value) in json)
        {
            if (key is "params" or "result" or "traceback" or "traceback_history")
            {
                continue;
            }

            writer.WriteLine($"{key + ":",-13} {Scalar(value)}");
        }

        writer.WriteLine("params:");
        WriteIndented(writer, job.Params.ToJsonString(JobJson.Indented));
        writer.WriteLine("result:");
        WriteIndented(writer, job.Result?.ToJsonString(JobJson.Indented) ?? "null");
        if (job.Traceback is not null)
        {
            writer.WriteLine("traceback:");
            WriteIndented(writer, job.Traceback);
        }

        if (job.TracebackHistory.Count > 1)
        {
            writer.WriteLine("traceback_history:");
            foreach (var entry in job.TracebackHistory)
            {
                WriteIndented(writer, $"{JobJson.Date(entry.Date)} {entry.Status.ToMrqName()} {entry.ExceptionType}");
            }
        }

        writer.WriteLine("logs:");
        WriteIndented(writer, string.IsNullOrEmpty(logs) ? "(none)" : logs.TrimEnd('\n'));
    }

    private static string Scalar(JsonNode? value) => value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "null";

    private static void WriteIndented(TextWriter writer, string text)
    {
        foreach (var line in text.Split('\n'))
        {
            writer.WriteLine("  " + line.TrimEnd('\r'));
        }
    }
}
