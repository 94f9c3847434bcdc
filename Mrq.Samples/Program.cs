namespace Mrq.Samples;

/// <summary><c>dotnet run --project Mrq.Samples</c>: the README demo.</summary>
internal static class Program
{
    private const string NoWait = "--no-wait";

    /// <summary>Runs the demo, then keeps its dashboard up until Ctrl+C unless <c>--no-wait</c> is given.</summary>
    public static Task<int> Main(string[] args) =>
        SampleDemo.RunAsync(
            Path.Combine(Path.GetTempPath(), "mrq-samples", "demo.db"),
            [.. args.Where(a => a != NoWait)],
            Console.Out,
            keepServing: !args.Contains(NoWait));
}
