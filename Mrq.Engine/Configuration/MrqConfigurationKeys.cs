using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Mrq.Configuration;

/// <summary>
/// Reads Mrq's options from configuration under MRQ's snake_case names (<c>max_jobs</c>) and .NET's names
/// (<c>MaxJobs</c>, <c>Mrq__MaxJobs</c> in the environment) alike, and finds keys that name no option, so a typo is
/// an error at start instead of a silently ignored setting. Task paths and raw queue names are kept as written.
/// </summary>
internal static class MrqConfigurationKeys
{
    private const string TasksKey = "tasks";
    private const string RawQueuesKey = "raw_queues";
    private const string SchedulerTasksKey = "scheduler_tasks";

    private static readonly IReadOnlyDictionary<string, string> s_options = KeysOf(typeof(MrqOptions));
    private static readonly IReadOnlyDictionary<string, string> s_taskOptions = KeysOf(typeof(TaskOptions));
    private static readonly IReadOnlyDictionary<string, string> s_rawQueueOptions = KeysOf(typeof(RawQueueOptions));
    private static readonly IReadOnlyDictionary<string, string> s_scheduledTaskOptions = KeysOf(typeof(Scheduling.ScheduledTask));

    /// <summary>The keys of <paramref name="section"/> rewritten to MRQ's names, and the paths of keys that name no option.</summary>
    /// <param name="section">The section holding Mrq's options (the root of <c>mrq.json</c>, or <c>Mrq</c> in appsettings).</param>
    /// <param name="otherKeys">Top-level keys read by someone else (the CLI's <c>storage</c>, <c>redis</c>…): neither bound nor unknown.</param>
    public static (IReadOnlyList<KeyValuePair<string, string?>> Pairs, IReadOnlyList<string> Unknown) Normalize(IConfiguration section, IEnumerable<string>? otherKeys = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        var others = new HashSet<string>((otherKeys ?? []).Select(Loose), StringComparer.Ordinal);
        var pairs = new List<KeyValuePair<string, string?>>();
        var unknown = new List<string>();
        foreach (var child in section.GetChildren())
        {
            if (!s_options.TryGetValue(Loose(child.Key), out var name))
            {
                if (!others.Contains(Loose(child.Key)))
                {
                    unknown.Add(Describe(child, s_options.Values));
                }

                continue;
            }

            switch (name)
            {
                case TasksKey:
                    AddEntries(child, name, s_taskOptions, pairs, unknown);
                    break;
                case RawQueuesKey:
                    AddEntries(child, name, s_rawQueueOptions, pairs, unknown);
                    break;
                case SchedulerTasksKey:
                    AddEntries(child, name, s_scheduledTaskOptions, pairs, unknown);
                    break;
                default:
                    AddSubtree(child, name, pairs);
                    break;
            }
        }

        return (pairs, unknown);
    }

    /// <summary>Binds <paramref name="section"/> onto <paramref name="options"/>; a key that names no option is an error.</summary>
    /// <exception cref="InvalidOperationException">A key names no option (the message names it and the closest option), or a value has the wrong type.</exception>
    public static void Bind(IConfiguration section, MrqOptions options)
    {
        var (pairs, unknown) = Normalize(section);
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"unknown Mrq configuration key {string.Join("; ", unknown)}.");
        }

        BindPairs(pairs, options);
    }

    /// <summary>Binds already normalized pairs (see <see cref="Normalize"/>).</summary>
    public static void BindPairs(IEnumerable<KeyValuePair<string, string?>> pairs, MrqOptions options)
    {
        // Not ErrorOnUnknownConfiguration: the binder checks it against property names, ignoring ConfigurationKeyName;
        // Normalize already found every unknown key.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(pairs).Build();
        var schedulerTasks = configuration.GetSection(SchedulerTasksKey);
        if (schedulerTasks.GetChildren().Any())
        {
            // Read by hand: params are free-form JSON, which the binder cannot build.
            options.SchedulerTasks = Scheduling.ScheduledTaskConfiguration.Read(schedulerTasks);
            configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(pairs.Where(p => !p.Key.StartsWith(SchedulerTasksKey + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase)))
                .Build();
        }

        configuration.Bind(options);
    }

    private static void AddEntries(IConfigurationSection entries, string name, IReadOnlyDictionary<string, string> keys, List<KeyValuePair<string, string?>> pairs, List<string> unknown)
    {
        foreach (var entry in entries.GetChildren())
        {
            foreach (var option in entry.GetChildren())
            {
                if (keys.TryGetValue(Loose(option.Key), out var optionName))
                {
                    AddSubtree(option, ConfigurationPath.Combine(name, entry.Key, optionName), pairs);
                }
                else
                {
                    unknown.Add(Describe(option, keys.Values));
                }
            }
        }
    }

    private static void AddSubtree(IConfigurationSection section, string path, List<KeyValuePair<string, string?>> pairs)
    {
        if (section.Value is not null)
        {
            pairs.Add(KeyValuePair.Create(path, (string?)section.Value));
        }

        // Relative paths leave out the section's own value (added above).
        foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
        {
            pairs.Add(KeyValuePair.Create(ConfigurationPath.Combine(path, key), value));
        }
    }

    private static string Describe(IConfigurationSection section, IEnumerable<string> known)
    {
        var loose = Loose(section.Key);
        var closest = known.Select(k => (Key: k, Distance: Distance(loose, Loose(k)))).Where(k => k.Distance <= 2).OrderBy(k => k.Distance).FirstOrDefault().Key;
        return closest is null ? $"'{section.Path}'" : $"'{section.Path}' (did you mean '{closest}'?)";
    }

    private static Dictionary<string, string> KeysOf(Type type) => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Select(p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name)
        .OfType<string>()
        .ToDictionary(Loose, name => name, StringComparer.Ordinal);

    /// <summary><c>max_jobs</c>, <c>MaxJobs</c>, <c>maxJobs</c> and <c>max-jobs</c> are one key.</summary>
    private static string Loose(string key) => key.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
