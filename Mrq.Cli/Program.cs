using Mrq.Cli.Supervisor;

namespace Mrq.Cli;

/// <summary>The <c>mrq</c> executable.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        // Before anything registers a signal handler (the dashboard's web host does, before the command's own): .NET
        // leaves a signal inherited as ignored alone and marks it handled, so resetting it later gives back the
        // default action (exit 130 on SIGINT) instead of the graceful stop.
        NativeSignals.RestoreDefaultIfIgnored(NativeSignals.SigInt);
        NativeSignals.RestoreDefaultIfIgnored(NativeSignals.SigTerm);
        return MrqCli.RunAsync(args, CliConsole.System);
    }
}
