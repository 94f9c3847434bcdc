using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mrq.Cli.Hosting;
using Mrq.Cli.Output;
using Mrq.Jobs;

namespace Mrq.Cli.Commands;

/// <summary><c>mrq queues</c>: job counts by queue and status (raw queues: their size, under queued).</summary>
internal sealed class QueuesCommand
{
    private readonly GlobalOptions _globals;
    private readonly CliConsole _console;
    private readonly Option<bool> _json = new("--json") { Description = "Print JSON: {queue: {status: count}}." };

    public QueuesCommand(GlobalOptions globals, CliConsole console)
    {
        _globals = globals;
        _console = console;
        Command = new Command("queues", "Show job counts by queue and status.");
        Command.Options.Add(_json);
        Command.SetAction(RunAsync);
    }

    /// <summary>The command.</summary>
    public Command Command { get; }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var session = CliSession.Create(parse, _globals, null, null, _console, LogLevel.Warning);
        await using var host = CliHost.Create(session);
        _ = host.Options;
        var counts = await host.Client.GetQueueStatsAsync(cancellationToken).ConfigureAwait(false);
        var byQueue = counts
            .Where(c => c.Count > 0)
            .GroupBy(c => c.Queue, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        if (parse.GetValue(_json))
        {
            var json = new JsonObject();
            foreach (var queue in byQueue)
            {
                json[queue.Key] = new JsonObject(queue.GroupBy(c => c.Status).Select(s => KeyValuePair.Create(s.Key.ToMrqName(), (JsonNode?)s.Sum(c => c.Count))));
            }

            await _console.Out.WriteLineAsync(json.ToJsonString()).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var statuses = JobStatusNames.All.Where(s => byQueue.Any(q => q.Any(c => c.Status == s))).ToList();
        var table = new TextTable([.. statuses.Select(s => s.ToMrqName().ToUpperInvariant()).Prepend("QUEUE").Append("TOTAL")]);
        foreach (var queue in byQueue)
        {
            var cells = new List<string> { queue.Key };
            cells.AddRange(statuses.Select(s => queue.Where(c => c.Status == s).Sum(c => c.Count).ToString(CultureInfo.InvariantCulture)));
            cells.Add(queue.Sum(c => c.Count).ToString(CultureInfo.InvariantCulture));
            table.Add([.. cells]);
        }

        table.WriteTo(_console.Out);
        if (table.Count == 0)
        {
            await _console.Out.WriteLineAsync("(no jobs)").ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }
}
