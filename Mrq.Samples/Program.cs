namespace Mrq.Samples;

/// <summary><c>dotnet run --project Mrq.Samples</c>: the README demo.</summary>
internal static class Program
{
    private const string NoWait = "--no-wait";

    /// <summary>Runs the demo, then keeps its dashboard up until Ctrl+C unless <c>--no-wait</c> is given.</summary>
    public static Task<int> Main(string[] args) =>
        SampleDemo.RunAsync(
            DemoDatabasePath(),
            [.. args.Where(a => a != NoWait)],
            Console.Out,
            keepServing: !args.Contains(NoWait));

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
