using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Mrq.Cli.Commands;

/// <summary>
/// Maps flags to configuration keys, so flags become the top layer of the configuration and override the file
/// and the environment for exactly the keys given.
/// </summary>
internal sealed class FlagMap
{
    private readonly List<(Option Option, string Key, bool IsList)> _entries = [];

    /// <summary>Maps a single-valued flag to <paramref name="key"/>.</summary>
    public Option<T> Scalar<T>(Option<T> option, string key)
    {
        _entries.Add((option, key, false));
        return option;
    }

    /// <summary>Maps a repeatable flag to the list <paramref name="key"/>.</summary>
    public Option<string[]> List(Option<string[]> option, string key)
    {
        _entries.Add((option, key, true));
        return option;
    }

    /// <summary>Adds this map's entries to <paramref name="other"/>.</summary>
    public void CopyTo(FlagMap other)
    {
        ArgumentNullException.ThrowIfNull(other);
        other._entries.AddRange(_entries);
    }

    /// <summary>The values of the flags given on the command line, by configuration key.</summary>
    public void Collect(ParseResult parse, IDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (option, key, isList) in _entries)
        {
            // A switch (--scheduler) has no token: given means true.
            if (parse.GetResult(option) is not { Implicit: false } result || result.Tokens.Count == 0 && !isList && option is not Option<bool>)
            {
                continue;
            }

            var value = result.GetValueOrDefault<object?>();
            if (isList)
            {
                var items = ((string[]?)value ?? []).SelectMany(v => v.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
                for (var i = 0; i < items.Length; i++)
                {
                    values[key + ConfigurationPath.KeyDelimiter + i.ToString(CultureInfo.InvariantCulture)] = items[i];
                }
            }
            else
            {
                values[key] = Convert.ToString(value, CultureInfo.InvariantCulture);
            }
        }
    }
}
