using System.Globalization;
using Mrq.Tests.WorkerTasks;

namespace Mrq.Tests.Distributed;

/// <summary>Reads the executions the worker tasks recorded in a directory (one file per worker process).</summary>
internal static class ExecutionRecords
{
    /// <summary>Every complete line of every per-process file, in no particular order.</summary>
    public static IReadOnlyList<Execution> Read(string directory)
    {
        var result = new List<Execution>();
        foreach (var file in Directory.EnumerateFiles(directory, "*" + ExecutionLog.FileSuffix))
        {
            string text;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var reader = new StreamReader(stream))
            {
                text = reader.ReadToEnd();
            }

            // A line still being written has no newline yet: only whole lines count.
            var end = text.LastIndexOf('\n');
            if (end < 0)
            {
                continue;
            }

            foreach (var line in text[..end].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = line.Split(' ');
                if (parts.Length != 3)
                {
                    throw new FormatException($"Malformed execution record '{line}' in {file}.");
                }

                result.Add(new Execution(parts[0], int.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture), parts[2]));
            }
        }

        return result;
    }

    /// <summary>How many times each job id was executed.</summary>
    public static Dictionary<string, int> CountByJob(IEnumerable<Execution> executions) =>
        executions.GroupBy(e => e.JobId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
