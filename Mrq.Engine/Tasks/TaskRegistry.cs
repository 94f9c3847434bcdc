using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Mrq.Configuration;

namespace Mrq.Tasks;

/// <summary>Task path → registration, and each path's resolved options (cached; options are fixed for a process).</summary>
internal sealed class TaskRegistry : IMrqTaskCatalog
{
    private readonly Dictionary<string, TaskRegistration> _tasks;
    private readonly IOptions<MrqOptions> _options;
    private readonly ConcurrentDictionary<string, ResolvedTaskOptions> _resolved = new(StringComparer.Ordinal);

    public TaskRegistry(IEnumerable<TaskRegistration> registrations, IOptions<MrqOptions> options)
    {
        _options = options;
        _tasks = new Dictionary<string, TaskRegistration>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            // Later registrations win, so an application can replace a task registered by a library.
            _tasks[registration.Path] = registration;
        }
    }

    public IReadOnlyCollection<string> Paths => _tasks.Keys;

    public bool Contains(string path) => _tasks.ContainsKey(path);

    public bool TryGet(string path, out TaskRegistration registration) => _tasks.TryGetValue(path, out registration!);

    public ResolvedTaskOptions OptionsFor(string path) => _resolved.GetOrAdd(path, static (p, self) =>
    {
        var options = self._options.Value;
        options.Tasks.TryGetValue(p, out var configured);
        var code = self._tasks.TryGetValue(p, out var registration) ? registration.CodeOptions : null;
        return ResolvedTaskOptions.Resolve(configured, code, options);
    }, this);
}
