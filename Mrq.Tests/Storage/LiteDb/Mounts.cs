using System.Diagnostics;

namespace Mrq.Tests.Storage.LiteDb;

/// <summary>Runs mount/umount for the tests that need a small or read-only file system.</summary>
internal static class Mounts
{
    /// <summary>Runs the command; false when it fails or cannot be started (not root, no mount).</summary>
    public static async Task<bool> RunAsync(string command, params string[] args)
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            await process.WaitForExitAsync();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
