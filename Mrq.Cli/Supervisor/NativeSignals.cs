using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Mrq.Cli.Supervisor;

/// <summary>Sends POSIX signals to child processes (SIGINT / SIGTERM; .NET only offers SIGKILL).</summary>
internal static partial class NativeSignals
{
    /// <summary>SIGINT.</summary>
    public const int SigInt = 2;

    /// <summary>SIGTERM.</summary>
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/> to the process. On Windows, SIGTERM kills it and SIGINT is not supported.</summary>
    /// <returns>False when the process is gone or the signal could not be sent.</returns>
    public static bool Send(Process process, int signal)
    {
        ArgumentNullException.ThrowIfNull(process);
        try
        {
            if (process.HasExited)
            {
                return false;
            }

            if (OperatingSystem.IsWindows())
            {
                if (signal == SigTerm)
                {
                    process.Kill();
                    return true;
                }

                return false;
            }

            return Kill(process.Id, signal) == 0;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Kill(int pid, int signal);
}
