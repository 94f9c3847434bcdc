using System.Collections.Concurrent;
using System.Globalization;

namespace Mrq.Jobs;

/// <summary>
/// The text stored as a job's <c>traceback</c>: the exception as .NET prints it, with the source line of each frame
/// that names a readable file shown under it, as Python's tracebacks show them (MRQ's users and its tests read the
/// failing line, e.g. <c>raise</c> or a marker comment, in the dashboard). A file that cannot be read adds nothing.
/// </summary>
internal static class TracebackText
{
    private const string LineMarker = ":line ";
    private const int MaxFiles = 64;
    private const long MaxFileBytes = 1 << 20;

    // Source files by path (null when unreadable); bounded, cleared when full: only failing jobs read it.
    private static readonly ConcurrentDictionary<string, string[]?> s_files = new(StringComparer.Ordinal);

    /// <summary>The traceback of <paramref name="exception"/>.</summary>
    public static string Of(Exception exception)
    {
        var text = exception.ToString();
        if (!text.Contains(LineMarker, StringComparison.Ordinal))
        {
            return text;
        }

        var output = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            output.Add(line);
            if (SourceOf(line.TrimEnd('\r')) is { } source)
            {
                output.Add("      " + source);
            }
        }

        return string.Join('\n', output);
    }

    /// <summary>The trimmed source line a frame line (<c>   at M() in /src/File.cs:line 42</c>) points at, or null.</summary>
    private static string? SourceOf(string frame)
    {
        var marker = frame.LastIndexOf(LineMarker, StringComparison.Ordinal);
        var inAt = marker < 0 ? -1 : frame.LastIndexOf(" in ", marker, StringComparison.Ordinal);
        if (inAt < 0 || !int.TryParse(frame.AsSpan(marker + LineMarker.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return null;
        }

        var path = frame[(inAt + 4)..marker];
        var source = ReadLines(path);
        return source is not null && number <= source.Length && source[number - 1].Trim() is { Length: > 0 } line ? line : null;
    }

    private static string[]? ReadLines(string path)
    {
        if (s_files.TryGetValue(path, out var cached))
        {
            return cached;
        }

        string[]? lines = null;
        try
        {
            var file = new FileInfo(path);
            if (file.Exists && file.Length <= MaxFileBytes)
            {
                lines = File.ReadAllLines(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // Not readable here (another machine's build path): the frame stays as .NET printed it.
        }

        if (s_files.Count >= MaxFiles)
        {
            s_files.Clear();
        }

        s_files[path] = lines;
        return lines;
    }
}
