using Microsoft.Extensions.Hosting;

namespace Mrq.Samples;

/// <summary><c>dotnet run --project Mrq.Samples</c>: the README demo.</summary>
internal static class Program
{
    private const string NoWait = "--no-wait";

    private const string HostCommand = "host";

    /// <summary>
    /// Runs the demo, then keeps its dashboard up until Ctrl+C unless <c>--no-wait</c> is given; with
    /// <c>observability</c>, serves <see cref="ObservabilitySample"/> until Ctrl+C instead; with
    /// <c>host &lt;file&gt;</c>, runs <see cref="SampleHost"/> on that LiteDB file, queueing nothing, until Ctrl+C
    /// (an application holding the file, for trying the mrq command on it from another shell).
    /// </summary>
    public static Task<int> Main(string[] args) => args.FirstOrDefault() switch
    {
        ObservabilitySample.Command => RunObservabilityAsync(args[1..]),
        HostCommand when args.Length > 1 => RunHostAsync(args[1], args[2..]),
        HostCommand => Usage(),
        _ => SampleDemo.RunAsync(
            DemoDatabasePath(),
            [.. args.Where(a => a != NoWait)],
            Console.Out,
            keepServing: !args.Contains(NoWait)),
    };

    private static async Task<int> RunHostAsync(string databasePath, string[] args)
    {
        // Disposed asynchronously, as the storage closes its file (and removes its control socket) that way.
        var host = (IAsyncDisposable)SampleHost.Build(databasePath, args);
        await using (host.ConfigureAwait(false))
        {
            var app = (IHost)host;
            await app.StartAsync().ConfigureAwait(false);
            Console.WriteLine($"Mrq dashboard: {SampleHost.DashboardUrl(app)} (Ctrl+C to stop)");
            await app.WaitForShutdownAsync().ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<int> Usage()
    {
        await Console.Error.WriteLineAsync("usage: Mrq.Samples host <litedb-file> [host arguments]").ConfigureAwait(false);
        return 2;
    }

    private static async Task<int> RunObservabilityAsync(string[] args)
    {
        await using var app = ObservabilitySample.Build(Path.Combine(Path.GetDirectoryName(DemoDatabasePath())!, "observability.db"), args);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>A per-user file (~/.local/share/mrq-samples/demo.db on Linux), so users of one machine never share it.</summary>
    private static string DemoDatabasePath()
    {
        var folder = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        if (folder.Length == 0)
        {
            folder = Path.Combine(Path.GetTempPath(), $"mrq-samples-{Environment.UserName}");
        }

        var directory = Path.Combine(folder, "mrq-samples");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, "demo.db");
    }
}
