namespace Mrq.Samples;

/// <summary><c>dotnet run --project Mrq.Samples</c>: the README demo.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) =>
        SampleDemo.RunAsync(Path.Combine(Path.GetTempPath(), "mrq-samples", "demo.db"), args, Console.Out);
}
