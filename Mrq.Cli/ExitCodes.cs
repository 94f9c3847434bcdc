namespace Mrq.Cli;

/// <summary>The exit codes of the <c>mrq</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>Done, or a worker stopped normally (signal, max_jobs, max_time, burst done).</summary>
    public const int Ok = 0;

    /// <summary>
    /// The work failed: a storage cannot be used, <c>mrq run</c>'s job did not succeed, or a worker told to abort could
    /// not save every outcome within <c>abort_timeout</c> (those jobs stay started for recovery).
    /// </summary>
    public const int Failure = 1;

    /// <summary>Bad input: unknown flags, invalid options, params that are not a JSON object. Nothing was changed.</summary>
    public const int Usage = 2;
}
