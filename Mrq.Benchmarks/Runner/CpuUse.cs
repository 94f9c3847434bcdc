namespace Mrq.Benchmarks.Runner;

/// <summary>CPU used over an interval, in percent of one core.</summary>
/// <param name="Self">This benchmark process.</param>
/// <param name="Servers">redis-server and the MongoDB-wire emulator.</param>
/// <param name="Others">Every other process on the machine.</param>
internal readonly record struct CpuUse(double Self, double Servers, double Others);
