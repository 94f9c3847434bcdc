using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mrq.Cli.Hosting;
using Mrq.Cli.Output;
using Mrq.Jobs;
using Mrq.Monitoring;

namespace Mrq.Cli.Commands;

/// <summary>
/// <c>mrq queues</c>: job counts by queue and status (raw queues: their size, under queued), read through the
/// monitor the dashboard uses; <c>mrq queues pause|resume &lt;queue&gt;</c>.
/// </summary>
internal sealed class QueuesCommand
{
    private readonly GlobalOptions _globals;
    private readonly CliConsole _console;
    private readonly Option<bool> _json = new("--json") { Description = "Print JSON: {queue: {status: count}}." };

    public QueuesCommand(GlobalOptions globals, CliConsole console)
    {
        _globals = globals;
        _console = console;
        Command = new Command("queues", "Show job counts by queue and status (see also: queues pause, queues resume).");
        Command.Options.Add(_json);
        Command.SetAction(RunAsync);
        Command.Subcommands.Add(Pause("pause", "Pause a queue (and its subqueues): workers stop taking its jobs.", pause: true));
        Command.Subcommands.Add(Pause("resume", "Resume a paused queue.", pause: false));
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        await using var host = await CreateHostAsync(parse, cancellationToken).ConfigureAwait(false);
        var overview = await host.Monitor.GetOverviewAsync(cancellationToken).ConfigureAwait(false);
        var byQueue = overview.Queues.Select(Counts).Where(q => q.Counts.Count > 0).ToList();
        if (parse.GetValue(_json))
        {
            var json = new JsonObject();
            foreach (var (name, counts) in byQueue)
            {
                json[name] = new JsonObject(counts.Select(c => KeyValuePair.Create(c.Key.ToMrqName(), (JsonNode?)c.Value)));
            }

            await _console.Out.WriteLineAsync(json.ToJsonString()).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var statuses = JobStatusNames.All.Where(s => byQueue.Any(q => q.Counts.ContainsKey(s))).ToList();
        var table = new TextTable([.. statuses.Select(s => s.ToMrqName().ToUpperInvariant()).Prepend("QUEUE").Append("TOTAL")]);
        foreach (var (name, counts) in byQueue)
        {
            var paused = overview.Queues.First(q => q.Name == name).Paused;
            var cells = new List<string> { paused ? name + " (paused)" : name };
            cells.AddRange(statuses.Select(s => counts.GetValueOrDefault(s).ToString(CultureInfo.InvariantCulture)));
            cells.Add(counts.Values.Sum().ToString(CultureInfo.InvariantCulture));
            table.Add([.. cells]);
        }

        table.WriteTo(_console.Out);
        if (table.Count == 0)
        {
            await _console.Out.WriteLineAsync("(no jobs)").ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    /// <summary>A queue's non-zero counts per status; a raw queue's members count as queued.</summary>
    private static (string Name, Dictionary<JobStatus, long> Counts) Counts(QueueSummary queue)
    {
        var counts = queue.IsRaw
            ? new Dictionary<JobStatus, long> { [JobStatus.Queued] = queue.RawSize ?? 0 }
            : queue.Counts.ToDictionary();
        return (queue.Name, counts.Where(c => c.Value > 0).ToDictionary());
    }

    private Command Pause(string name, string description, bool pause)
    {
        var command = new Command(name, description);
        var queue = new Argument<string>("queue") { Description = "The queue." };
        command.Arguments.Add(queue);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var queueName = parse.GetValue(queue)!;
            await using var host = await CreateHostAsync(parse, cancellationToken).ConfigureAwait(false);
            try
            {
                await (pause
                    ? host.Client.PauseQueueAsync(queueName, cancellationToken)
                    : host.Client.ResumeQueueAsync(queueName, cancellationToken)).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                throw new CliUsageException(ex.Message.Split('\n')[0], ex);
            }

            await _console.Out.WriteLineAsync($"{(pause ? "paused" : "resumed")} {queueName}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private Task<CliHost> CreateHostAsync(ParseResult parse, CancellationToken cancellationToken) =>
        CliHost.CreateSharedAsync(parse, _globals, _console, cancellationToken);
}
