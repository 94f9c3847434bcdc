using Mrq.Benchmarks.Micro;
using Mrq.Benchmarks.Peers;
using Mrq.Benchmarks.Runner;
using Mrq.Benchmarks.Workloads;

namespace Mrq.Benchmarks;

/// <summary>
/// Entry point: <c>throughput [--quick] [--backend litedb|inmemory|redis|mongo|all]</c> runs the throughput runner and
/// writes <c>docs/benchmarks.md</c>, its charts and CSV; <c>micro [--filter *]</c> runs the BenchmarkDotNet suites;
/// <c>dashboard</c> times the dashboard's reads on a large store (<see cref="DashboardLatency"/>).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var command = args.Length > 0 ? args[0] : "";
        var rest = args.Skip(1).ToArray();
        switch (command)
        {
            case "throughput":
                RunnerOptions options;
                try
                {
                    options = RunnerOptions.Parse(rest);
                }
                catch (ArgumentException ex)
                {
                    await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                    await Console.Error.WriteLineAsync(RunnerOptions.Usage).ConfigureAwait(false);
                    return 2;
                }

                return await new ThroughputRunner(options).RunAsync().ConfigureAwait(false);
            case "peer-mrq-worker":
                return await ScaleOutWorker.RunChildAsync(rest).ConfigureAwait(false);
            case "peer-hangfire":
                return await HangfireProcess.RunChildAsync(rest).ConfigureAwait(false);
            case "micro":
                return MicroSuites.Run(rest);
            case "dashboard":
                return await DashboardLatency.RunAsync(rest).ConfigureAwait(false);
            default:
                await Console.Error.WriteLineAsync(
                    "usage: dotnet run -c Release --project Mrq.Benchmarks -- throughput [--quick] [--backend litedb|inmemory|redis|mongo|all]\n" +
                    "       dotnet run -c Release --project Mrq.Benchmarks -- micro [--filter *]\n" +
                    DashboardLatency.Usage + "\n\n" + RunnerOptions.Usage).ConfigureAwait(false);
                return command is "" or "-h" or "--help" or "help" ? 0 : 2;
        }
    }
}
