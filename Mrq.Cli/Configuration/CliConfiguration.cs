using System.Globalization;
using Microsoft.Extensions.Configuration;
using Mrq.Configuration;

namespace Mrq.Cli.Configuration;

/// <summary>
/// The command line's layered configuration, lowest precedence first: MRQ's defaults, the file (<c>--config</c>: JSON,
/// or an MRQ Python config module ending in <c>.py</c>; else <c>mrq.json</c> in the current directory when present), <c>MRQ_*</c> environment
/// variables, then command-line flags. Keys are MRQ's snake_case names, case-insensitive.
/// </summary>
internal sealed class CliConfiguration
{
    private CliConfiguration(IConfigurationRoot root, string? file)
    {
        Root = root;
        File = file;
    }

    /// <summary>The merged configuration.</summary>
    public IConfigurationRoot Root { get; }

    /// <summary>The configuration file read (JSON or Python), if any (full path).</summary>
    public string? File { get; }

    /// <summary>Builds the layers.</summary>
    /// <param name="configFile">The <c>--config</c> file; it must exist. Null reads <c>mrq.json</c> from <paramref name="directory"/> if present.</param>
    /// <param name="flags">Values given as flags, by configuration key (lists as <c>key:0</c>, <c>key:1</c>…).</param>
    /// <param name="directory">The current directory.</param>
    /// <param name="environment">The environment variables to read; null reads the process's <c>MRQ_*</c> variables.</param>
    /// <exception cref="CliUsageException">The file is missing, not valid JSON, or (a <c>.py</c> file) not literal settings.</exception>
    public static CliConfiguration Load(
        string? configFile,
        IReadOnlyDictionary<string, string?> flags,
        string directory,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var builder = new ConfigurationBuilder();
        string? file = null;
        if (configFile is not null)
        {
            file = Path.GetFullPath(configFile, directory);
            if (!System.IO.File.Exists(file))
            {
                throw new CliUsageException($"config file '{file}' not found.");
            }
        }
        else if (System.IO.File.Exists(Path.Combine(directory, ConfigKeys.DefaultFile)))
        {
            file = Path.Combine(directory, ConfigKeys.DefaultFile);
        }

        if (file is not null && IsPython(file))
        {
            // MRQ's config module: its literal settings, at the JSON file's precedence.
            builder.AddInMemoryCollection(PythonConfigReader.Read(file));
        }
        else if (file is not null)
        {
            builder.AddJsonFile(file, optional: false, reloadOnChange: false);
        }

        if (environment is null)
        {
            builder.AddEnvironmentVariables(ConfigKeys.EnvironmentPrefix);
        }
        else
        {
            builder.AddInMemoryCollection(environment
                .Where(e => e.Key.StartsWith(ConfigKeys.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
                .Select(e => KeyValuePair.Create(e.Key[ConfigKeys.EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), e.Value)));
        }

        builder.AddInMemoryCollection(flags);
        try
        {
            var configuration = new CliConfiguration(builder.Build(), file);
            configuration.RejectUnknownFileKeys();
            return configuration;
        }
        catch (InvalidDataException ex)
        {
            throw new CliUsageException($"config file '{file}' is not valid JSON: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        catch (FormatException ex)
        {
            throw new CliUsageException($"config file '{file}' is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>True for an MRQ Python config module (<c>mrq_config.py</c>), read by <see cref="PythonConfigReader"/>.</summary>
    private static bool IsPython(string file) => file.EndsWith(".py", StringComparison.OrdinalIgnoreCase);

    /// <summary>A scalar value, or null when no layer sets it.</summary>
    public string? Get(string key) => Root[key] is { Length: > 0 } value ? value : null;

    /// <summary>An integer value.</summary>
    /// <exception cref="CliUsageException">The value is not an integer.</exception>
    public int GetInt(string key, int defaultValue) => Get(key) is not { } text
        ? defaultValue
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliUsageException($"{key} must be an integer (got '{text}').");

    /// <summary>
    /// A list value from the highest layer that sets it, or null when none does. A layer sets a list as children
    /// (<c>key:0</c>, <c>key:1</c>: a JSON array or repeated flags) or as one string split on spaces and commas
    /// (<c>MRQ_QUEUES="high default"</c>). Unlike plain binding, a higher layer replaces a lower one's list.
    /// </summary>
    public IReadOnlyList<string>? GetList(string key)
    {
        foreach (var provider in Root.Providers.Reverse())
        {
            var children = provider.GetChildKeys([], key)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(k => (Key: k, Index: int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue))
                .OrderBy(k => k.Index)
                .ToList();
            if (children.Count > 0)
            {
                return children
                    .Select(c => provider.TryGet(key + ConfigurationPath.KeyDelimiter + c.Key, out var v) ? v : null)
                    .OfType<string>()
                    .ToList();
            }

            if (provider.TryGet(key, out var text) && text is not null)
            {
                return text.Split([' ', ',', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
        }

        return null;
    }

    /// <summary>
    /// Sets the list options from <see cref="GetList"/>, replacing what binding did (binding appends a lower
    /// layer's list, and the defaults, to a higher one's).
    /// </summary>
    public void ApplyLists(MrqOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Queues = GetList(ConfigKeys.Queues)?.ToList() ?? ["default"];
        options.TaskWhitelist = GetList(ConfigKeys.TaskWhitelist)?.ToList() ?? [];
        options.TaskBlacklist = GetList(ConfigKeys.TaskBlacklist)?.ToList() ?? [];
    }

    /// <summary>Binds a fresh <see cref="MrqOptions"/> the way the engine will (for checks made before a host exists).</summary>
    /// <exception cref="CliUsageException">A value has the wrong type.</exception>
    public MrqOptions BindOptions()
    {
        var options = new MrqOptions();
        Bind(options);
        return options;
    }

    /// <summary>
    /// Binds every layer onto <paramref name="options"/> under MRQ's names or .NET's (<c>MRQ_MAX_JOBS</c>,
    /// <c>MaxJobs</c> in the file), then the lists (<see cref="ApplyLists"/>). Keys of the environment and flags that
    /// name no option are left alone (other tools use <c>MRQ_*</c> variables too); the file's were refused at load.
    /// </summary>
    /// <exception cref="CliUsageException">A value has the wrong type.</exception>
    public void Bind(MrqOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            MrqConfigurationKeys.BindPairs(MrqConfigurationKeys.Normalize(Root, ConfigKeys.CommandLineKeys).Pairs, options);
        }
        catch (InvalidOperationException ex)
        {
            throw new CliUsageException($"invalid configuration: {ex.Message}", ex);
        }

        ApplyLists(options);
    }

    /// <summary>
    /// Which layer set each key (<c>file</c>, <c>environment</c> or <c>flag</c>), by MRQ's key name; keys no layer
    /// sets keep their defaults and are not listed.
    /// </summary>
    public IReadOnlyDictionary<string, string> Sources()
    {
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var providers = Root.Providers.ToList();
        for (var i = 0; i < providers.Count; i++)
        {
            var label = i == providers.Count - 1 ? "flag" : File is not null && i == 0 ? "file" : "environment";
            var layer = LayerOf(providers[i]);
            foreach (var (key, _) in MrqConfigurationKeys.Normalize(layer, ConfigKeys.CommandLineKeys).Pairs)
            {
                sources[OptionKey(key)] = label;
            }

            foreach (var key in ConfigKeys.CommandLineKeys.Where(k => layer[k] is not null))
            {
                sources[key] = label;
            }
        }

        return sources;
    }

    private void RejectUnknownFileKeys()
    {
        if (File is null)
        {
            return;
        }

        var layer = LayerOf(Root.Providers.First());
        var others = ConfigKeys.CommandLineKeys.Concat(NamedRedisUrls(layer).Keys);
        var unknown = MrqConfigurationKeys.Normalize(layer, others).Unknown;
        if (unknown.Count > 0)
        {
            throw new CliUsageException($"config file '{File}': unknown key {string.Join("; ", unknown)}.");
        }
    }

    /// <summary>
    /// MRQ's extra Redis connections: a top-level <c>redis_&lt;name&gt;</c> key holding a <c>redis://</c> or
    /// <c>rediss://</c> URL (<c>REDIS_SECOND = "redis://…/1"</c> in a config module) is what MRQ's tasks reach as
    /// <c>connections.redis_second</c>; here tasks get it as <c>context.Connections.Get&lt;IConnectionMultiplexer&gt;("redis_second")</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> NamedRedisUrls() => NamedRedisUrls(Root);

    private static Dictionary<string, string> NamedRedisUrls(IConfiguration configuration) =>
        configuration.GetChildren()
            .Where(c => c.Key.StartsWith(ConfigKeys.Redis + "_", StringComparison.OrdinalIgnoreCase)
                && c.Value is { } url
                && (url.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase)))
            .ToDictionary(c => c.Key.ToLowerInvariant(), c => c.Value!, StringComparer.Ordinal);

    /// <summary>One layer alone, as a configuration of its own.</summary>
    private static IConfiguration LayerOf(IConfigurationProvider provider) =>
        new ConfigurationBuilder().AddInMemoryCollection(Flatten(provider, null)).Build();

    private static IEnumerable<KeyValuePair<string, string?>> Flatten(IConfigurationProvider provider, string? parent)
    {
        foreach (var key in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var path = parent is null ? key : ConfigurationPath.Combine(parent, key);
            if (provider.TryGet(path, out var value) && value is not null)
            {
                yield return KeyValuePair.Create(path, (string?)value);
            }

            foreach (var child in Flatten(provider, path))
            {
                yield return child;
            }
        }
    }

    /// <summary><c>queues:0</c> → <c>queues</c>: a list is one setting.</summary>
    private static string OptionKey(string key) =>
        ConfigurationPath.GetSectionKey(key) is { } last && int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? OptionKey(ConfigurationPath.GetParentPath(key)!)
            : key;
}
