using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Mrq.Benchmarks.Micro;

/// <summary>
/// The micro-suites' configuration: in process (the benchmark project is built with warnings as errors, which a
/// generated child project would inherit), a short job (2 warm-ups, 6 iterations), MemoryDiagnoser for allocated
/// bytes per operation. Suites that process many jobs per invocation set OperationsPerInvoke, so every figure is per job.
/// </summary>
internal static class MicroConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true))
            .WithWarmupCount(2)
            .WithIterationCount(6)
            .WithId("InProcess"))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.JoinSummary);
}
