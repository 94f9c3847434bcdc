namespace Mrq.Samples;

/// <summary><c>dotnet run --project Mrq.Samples</c>: the README demo.</summary>
internal static class Program
{
    private const string NoWait = "--no-wait";

    /// <summary>
    /// Runs the demo, then keeps its dashboard up until Ctrl+C unless <c>--no-wait</c> is given; with
    /// <c>observability</c>, serves <see cref="ObservabilitySample"/> until Ctrl+C instead.
    /// </summary>
    public static Task<int> Main(string[] args) => args.FirstOrDefault() == ObservabilitySample.Command
        ? RunObservabilityAsync(args[1..])
        : SampleDemo.RunAsync(
            DemoDatabasePath(),
            [.. args.Where(a => a != NoWait)],
            Console.Out,
            keepServing: !args.Contains(NoWait));

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
