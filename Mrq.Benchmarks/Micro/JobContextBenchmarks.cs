using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mrq.Context;
using Mrq.Jobs;

namespace Mrq.Benchmarks.Micro;

/// <summary>
/// What the worker sets up around every execution before the task's code runs: a DI scope, the timeout token linked
/// with the abort token, the job log, the <see cref="JobContext"/> and the AsyncLocal current job — and tears down after.
/// </summary>
[MemoryDiagnoser]
public class JobContextBenchmarks
{
    private ServiceProvider _services = null!;
    private IServiceScopeFactory _scopes = null!;
    private JobRuntime _runtime = null!;
    private JobRecord _job = null!;
    private ILogger _logger = null!;
    private readonly CancellationTokenSource _aborting = new();
    private readonly WorkerStub _worker = new();

    /// <summary>A host on the in-memory storage.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddMrq(b => b.UseInMemoryStorage());
        _services = services.BuildServiceProvider();
        _scopes = _services.GetRequiredService<IServiceScopeFactory>();
        _runtime = _services.GetRequiredService<JobRuntime>();
        _logger = NullLogger.Instance;
        _job = MicroJobs.Job(1);
    }

    /// <summary>Disposes the host.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _aborting.Dispose();
    }

    /// <summary>Scope + linked timeout token + log + context + AsyncLocal, then disposal (Worker.RunTaskAsync's setup).</summary>
    [Benchmark]
    public async Task<JobContext> ContextSetup()
    {
        var scope = _scopes.CreateAsyncScope();
        using var timeout = new CancellationTokenSource(TimeSpan.FromHours(1), TimeProvider.System);
        using var jobToken = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _aborting.Token);
        var log = new JobLog(_logger, TimeProvider.System);
        var context = new JobContext(_job, _runtime, _worker, scope.ServiceProvider, log, jobToken.Token);
        JobContextAccessor.Current = context;
        JobContextAccessor.Current = null;
        await scope.DisposeAsync().ConfigureAwait(false);
        return context;
    }

    private sealed class WorkerStub : IWorkerInfo
    {
        public string Id => "000000000000000000000000";

        public string Name => "micro";

        public IReadOnlyList<string> Queues => ["bench"];

        public int Greenlets => 8;

        public long DoneJobs => 0;
    }
}
