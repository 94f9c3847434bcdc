namespace Mrq.Cli;

/// <summary>The command's standard output and error, and its environment (replaceable in tests).</summary>
/// <param name="Out">Results: ids, JSON, tables.</param>
/// <param name="Error">Error messages (logs go to the process's stderr through the console logger).</param>
/// <param name="IsInteractive">True when results go to a terminal (progress lines are shown).</param>
/// <param name="Environment">Environment variables to read instead of the process's; null reads the process's.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool IsInteractive, IReadOnlyDictionary<string, string?>? Environment = null)
{
    /// <summary>The process's console.</summary>
    public static CliConsole System => new(global::System.Console.Out, global::System.Console.Error, !global::System.Console.IsOutputRedirected);

    /// <summary>True in a worker process started by <c>mrq worker --processes N</c>.</summary>
    public bool IsSubprocess => (Environment is null
        ? global::System.Environment.GetEnvironmentVariable(Configuration.ConfigKeys.IsSubprocessVariable)
        : Environment.GetValueOrDefault(Configuration.ConfigKeys.IsSubprocessVariable)) == "1";
}
