using System.Globalization;
using System.Text;

namespace Mrq.Tests.WorkerTasks;

/// <summary>
/// Records executions as lines <c>"&lt;job id&gt; &lt;pid&gt; &lt;tag&gt;\n"</c> in <c>&lt;dir&gt;/&lt;pid&gt;.log</c>: one file per
/// process, written under a process-wide lock, so lines of several processes and executors never interleave
/// (.NET's <see cref="FileMode.Append"/> does not open with O_APPEND, so several processes must not share a file).
/// </summary>
public static class ExecutionLog
{
    private static readonly Lock s_gate = new();

    /// <summary>The suffix of the per-process files.</summary>
    public const string FileSuffix = ".log";

    /// <summary>Appends one line for an execution and flushes it to the file.</summary>
    /// <param name="directory">The directory of the per-process files.</param>
    /// <param name="jobId">The job's id.</param>
    /// <param name="tag">A word identifying the execution (e.g. the raw member); no spaces.</param>
    public static void Append(string directory, string jobId, string tag)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var line = Encoding.UTF8.GetBytes($"{jobId} {pid} {tag}\n");
        lock (s_gate)
        {
            using var stream = new FileStream(Path.Combine(directory, pid + FileSuffix), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            stream.Write(line);
            stream.Flush(flushToDisk: false);
        }
    }
}
