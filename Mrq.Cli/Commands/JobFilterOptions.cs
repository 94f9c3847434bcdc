using System.CommandLine;
using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Tasks;

namespace Mrq.Cli.Commands;

/// <summary>The job filters of <c>mrq jobs</c>, <c>jobs cancel</c> and <c>jobs requeue</c> (MRQ JobAction's filters).</summary>
internal sealed class JobFilterOptions
{
    private readonly Option<string> _queue = new("--queue") { Description = "Only this queue (a trailing / includes its subqueues).", HelpName = "queue" };
    private readonly Option<string[]> _status = new("--status") { Description = "Only these statuses (repeatable or comma-separated: queued, started, success, failed, …).", HelpName = "status", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string[]> _path = new("--path") { Description = "Only these task paths (repeatable).", HelpName = "path", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string> _worker = new("--worker") { Description = "Only jobs claimed by this worker id.", HelpName = "id" };
    private readonly Option<string> _exceptionType = new("--exceptiontype", "--exception-type") { Description = "Only jobs that failed with this exception type.", HelpName = "type" };
    private readonly Option<string> _params = new("--params") { Description = "Only jobs whose params contain these keys with equal values (a JSON object, e.g. '{\"user\": 42}').", HelpName = "json" };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_queue);
        command.Options.Add(_status);
        command.Options.Add(_path);
        command.Options.Add(_worker);
        command.Options.Add(_exceptionType);
        command.Options.Add(_params);
    }

    /// <summary>The filter, with <paramref name="ids"/> when given.</summary>
    /// <exception cref="CliUsageException">An unknown status or a malformed id.</exception>
    public JobFilter Read(ParseResult parse, IReadOnlyList<string>? ids = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new JobFilter
        {
            Ids = ids is { Count: > 0 } ? [.. ids.Select(ParseId)] : null,
            Queue = parse.GetValue(_queue),
            Statuses = Split(parse.GetValue(_status)) is { Count: > 0 } statuses ? [.. statuses.Select(ParseStatus)] : null,
            Paths = Split(parse.GetValue(_path)) is { Count: > 0 } paths ? paths : null,
            Worker = parse.GetValue(_worker),
            ExceptionType = parse.GetValue(_exceptionType),
            Params = parse.GetValue(_params) is { } json ? ParseParams(json) : null,
        };
    }

    /// <summary>True when the filter selects something narrower than every job.</summary>
    public static bool IsNarrowed(JobFilter filter) =>
        filter.Ids is not null || filter.Queue is not null || filter.Statuses is not null || filter.Paths is not null || filter.Worker is not null || filter.ExceptionType is not null || filter.Params is not null;

    /// <summary>Parses a job id.</summary>
    /// <exception cref="CliUsageException">Not 24 hexadecimal characters.</exception>
    public static JobId ParseId(string text) => JobId.TryParse(text, out var id)
        ? id
        : throw new CliUsageException($"'{text}' is not a job id (24 hexadecimal characters expected).");

    private static JsonObject ParseParams(string json)
    {
        try
        {
            return MrqJson.ParseParams(json);
        }
        catch (FormatException ex)
        {
            throw new CliUsageException($"--params: {ex.Message}", ex);
        }
    }

    private static JobStatus ParseStatus(string text) => JobStatusNames.TryParse(text, out var status)
        ? status
        : throw new CliUsageException($"'{text}' is not a job status; expected one of: {string.Join(", ", JobStatusNames.All.Select(s => s.ToMrqName()))}.");

    private static List<string> Split(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
