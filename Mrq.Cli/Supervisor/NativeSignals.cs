using System.Diagnostics;
using System.Globalization;
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

    /// <summary>
    /// Linux: when <paramref name="signal"/> was inherited as ignored (a background job of a non-interactive shell
    /// ignores SIGINT), resets it to its default action, so that .NET's handler can be installed: MRQ workers always
    /// obey SIGINT. Does nothing elsewhere or when the signal is not ignored (resetting a handled signal would drop
    /// .NET's own handler).
    /// </summary>
    /// <returns>True when the signal was ignored and has been reset.</returns>
    public static bool RestoreDefaultIfIgnored(int signal)
    {
        if (!OperatingSystem.IsLinux() || !IsIgnored(signal))
        {
            return false;
        }

        return Signal(signal, IntPtr.Zero) != -1;
    }

    private static bool IsIgnored(int signal)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("SigIgn:", StringComparison.Ordinal)
                    && ulong.TryParse(line.AsSpan("SigIgn:".Length).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask))
                {
                    return (mask & (1UL << (signal - 1))) != 0;
                }
            }
        }
        catch (IOException)
        {
            // No /proc: leave the signal as it is.
        }

        return false;
    }

    [LibraryImport("libc", EntryPoint = "signal", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial IntPtr Signal(int signal, IntPtr handler);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Kill(int pid, int signal);
}
