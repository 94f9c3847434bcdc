using BenchmarkDotNet.Running;

namespace Mrq.Benchmarks.Micro;

/// <summary>Runs the BenchmarkDotNet micro-suites (in process, MemoryDiagnoser on).</summary>
internal static class MicroSuites
{
    public static int Run(string[] args)
    {
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(MicroSuites).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args, MicroConfig.Create());
        return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
    }
}
