using BenchmarkDotNet.Attributes;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.LiteDb;

namespace Mrq.Benchmarks.Micro;

/// <summary>
/// The LiteDB job store's hot calls through the SPI, as the worker makes them: claim a batch of 100 queued jobs
/// (one group-committed transaction), complete a batch of 100 (one transaction), and both in turn (the storage side
/// of a worker's cycle). Each invocation handles 100 jobs, so every figure (time, allocations) is per job. Jobs are
/// queued (and, for completion, claimed) before each iteration and claimed jobs completed after it, outside the
/// measurement, so at most 400 claimed jobs are in flight, as in a busy worker.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(Invocations, 1)]
public class LiteDbStoreBenchmarks
{
    private const int Batch = 100;
    private const int Invocations = 4;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"mrq-micro-{Environment.ProcessId}");
    private readonly Queue<JobOutcome[]> _outcomes = new();
    private MrqStorage _storage = null!;
    private string _worker = "";

    /// <summary>Opens a fresh LiteDB file.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        Directory.CreateDirectory(_directory);
        var parts = new MrqStorageParts();
        LiteDbStorage.AddTo(parts, new LiteDbStorageOptions { Path = Path.Combine(_directory, "store.db"), FlushToDisk = false });
        _storage = parts.Build();
        await _storage.InitializeAsync().ConfigureAwait(false);
        _worker = JobId.NewId(DateTime.UtcNow).ToString();
    }

    /// <summary>Closes and deletes the file.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _storage.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_directory, recursive: true);
    }

    private readonly List<JobOutcome> _claimedInIteration = [];

    /// <summary>Queues enough jobs for the iteration's claims.</summary>
    [IterationSetup(Targets = [nameof(ClaimBatch), nameof(ClaimAndCompleteBatch)])]
    public void QueueForClaims() => Queue(Invocations * Batch);

    /// <summary>Completes what the iteration claimed, so claims never pile up across iterations.</summary>
    [IterationCleanup(Target = nameof(ClaimBatch))]
    public void CompleteClaimed()
    {
        _storage.Jobs.CompleteAsync(_claimedInIteration.ToArray(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _claimedInIteration.Clear();
    }

    /// <summary>Queues and claims enough jobs for the iteration's completions, with their outcomes ready.</summary>
    [IterationSetup(Target = nameof(CompleteBatch))]
    public void ClaimForCompletes()
    {
        Queue(Invocations * Batch);
        _outcomes.Clear();
        for (var i = 0; i < Invocations; i++)
        {
            var claimed = _storage.Jobs.ClaimAsync(new ClaimRequest("bench", Batch, _worker, DateTime.UtcNow), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            _outcomes.Enqueue(claimed.Select(Success).ToArray());
        }
    }

    /// <summary>Claims 100 queued jobs (queued → started) in one call.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<int> ClaimBatch()
    {
        var claimed = await _storage.Jobs.ClaimAsync(new ClaimRequest("bench", Batch, _worker, DateTime.UtcNow), CancellationToken.None).ConfigureAwait(false);
        _claimedInIteration.AddRange(claimed.Select(Success));
        return claimed.Count;
    }

    /// <summary>Claims 100 jobs, then completes them: the storage side of a worker's cycle.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<int> ClaimAndCompleteBatch()
    {
        var claimed = await _storage.Jobs.ClaimAsync(new ClaimRequest("bench", Batch, _worker, DateTime.UtcNow), CancellationToken.None).ConfigureAwait(false);
        var applied = await _storage.Jobs.CompleteAsync(claimed.Select(Success).ToArray(), CancellationToken.None).ConfigureAwait(false);
        return applied.Count;
    }

    /// <summary>Completes 100 started jobs (started → success, compare-and-set) in one call.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<int> CompleteBatch()
    {
        var applied = await _storage.Jobs.CompleteAsync(_outcomes.Dequeue(), CancellationToken.None).ConfigureAwait(false);
        return applied.Count;
    }

    private JobOutcome Success(JobRecord job) => new()
    {
        Id = job.Id,
        Worker = _worker,
        Status = JobStatus.Success,
        DateUpdated = DateTime.UtcNow,
        TotalTime = 0.001,
        DateExpires = DateTime.UtcNow.AddDays(7),
    };

    private void Queue(int count)
    {
        var jobs = Enumerable.Range(0, count).Select(i => MicroJobs.Job(i)).ToArray();
        _storage.Jobs.InsertAsync(jobs, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }
}
