using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mrq.Client;
using Mrq.Configuration;
using Mrq.Context;
using Mrq.Diagnostics;
using Mrq.Jobs;
using Mrq.Maintenance;
using Mrq.Scheduling;
using Mrq.Storage;
using Mrq.Tasks;

namespace Mrq.Workers;

/// <summary>
/// The worker. At-least-once protocol, as numbered checkpoints (what recovery does after a crash at each):
/// <list type="number">
/// <item>Claimed: the store moved the job queued → started for this worker id. A crash now leaves it started;
/// maintenance requeues started jobs whose worker stopped reporting (embedded: on reopen of the file).</item>
/// <item>Started: an executor took it from the channel and runs the task. A graceful stop before this point still
/// runs a job claimed for a greenlet that was free at the claim (MRQ runs what it dequeued) and releases a job claimed
/// ahead (started → queued, keeping its place); an abort releases both; a crash is handled as in 1.
/// Up to greenlets + the jobs claimed ahead (<see cref="ClaimAheadPolicy"/>: a fixed prefetch, or by default only jobs
/// expected to start within a few milliseconds) are claimed at once, so the channel may hold jobs waiting for a greenlet.</item>
/// <item>Performed: the task ended; the outcome is in the completion batcher. A crash now leaves it started, so it
/// runs again after recovery: at least once.</item>
/// <item>Acknowledged: the outcome was saved with a compare-and-set on started + worker. A job that reached
/// success is never run again by recovery, because recovery only requeues started jobs. An outcome the storage
/// refuses for good (too large) is saved <c>failed</c> instead; one that cannot be saved before an abort gives up
/// stays started (logged with its id) for recovery.</item>
/// </list>
/// Within a live process: a stop during a claim round hands the jobs already claimed to the executors, which run or
/// release them by the rule of checkpoint 2 (raw members not stored are pushed back to their raw queue); a
/// max_concurrency lock error releases the job (acquire) or leaves the lock to expire (release); and every
/// own_claims_check_interval the fetch loop releases jobs stored started with this worker's id that it neither runs
/// nor is saving (a lost claim reply).
/// </summary>
internal sealed partial class Worker : IMrqWorker, IDisposable
{
    private readonly MrqStorage _storage;
    private readonly JobRuntime _runtime;
    private readonly TaskRegistry _registry;
    private readonly MrqOptions _options;
    private readonly IServiceScopeFactory _scopes;
    private readonly JobCompletionHub _completions;
    private readonly MaintenanceRunner _maintenance;
    private readonly MrqScheduler? _scheduler;
    private readonly ILogger _logger;
    private readonly ILogger _jobLogger;
    private readonly ILogger _endingLogger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<JobId, RunningJob> _running = new();
    private readonly DateTime _dateStarted;
    private ClaimWindow? _window;
    private ClaimAheadPolicy? _claimAhead;
    private Channel<ClaimedJob>? _channel;
    private CompletionBatcher? _batcher;
    private long _claimedCount;
    private long _emptyClaimPasses;
    private long _doneJobs;
    private int _started;
    private volatile string _status = "init";
    private readonly JobLogFormat _logFormat;
    private readonly CancellationTokenSource _memoryStop = new();

    public Worker(
        MrqStorage storage,
        JobRuntime runtime,
        IOptions<MrqOptions> options,
        IServiceScopeFactory scopes,
        JobCompletionHub completions,
        MaintenanceRunner maintenance,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        MrqScheduler? scheduler = null)
    {
        _scheduler = scheduler;
        _storage = storage;
        _runtime = runtime;
        _registry = runtime.Registry;
        _options = options.Value;
        _scopes = scopes;
        _completions = completions;
        _maintenance = maintenance;
        _logger = loggerFactory.CreateLogger("Mrq.Worker");
        _jobLogger = loggerFactory.CreateLogger("Mrq.Job");
        _endingLogger = loggerFactory.CreateLogger(WorkerLog.Category);
        _time = time;
        _dateStarted = Now;
        Id = JobId.TryParse(_options.WorkerId, out var configured) ? configured.ToString() : JobId.NewId(_dateStarted).ToString();
        _logFormat = ParseLogFormat(_options.LogFormat);
        Name = _options.Name ?? $"{Environment.MachineName}.{Environment.ProcessId}";
        Queues = _options.EffectiveQueues;
    }

    public string Id { get; }

    public string Name { get; }

    public IReadOnlyList<string> Queues { get; }

    public int Greenlets => _options.Greenlets;

    public long DoneJobs => Interlocked.Read(ref _doneJobs);

    public string Status => _status;

    /// <summary>Raised with every report before it is stored (the command line's <c>--report_file</c>).</summary>
    public event Action<WorkerReport>? Reported;

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    public async Task<WorkerExitReason> RunAsync(CancellationToken stopping, CancellationToken aborting)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A worker runs once; create another with IMrqWorkerFactory.");
        }

        ValidateOptions();
        await _storage.InitializeAsync(stopping).ConfigureAwait(false);

        using var maxTime = _options.MaxTime > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(_options.MaxTime), _time) : new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping, aborting, maxTime.Token, _memoryStop.Token);
        using var background = new CancellationTokenSource();
        using var giveUp = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);

        _claimAhead = new ClaimAheadPolicy(_options.Greenlets, _options.Prefetch, ClaimAheadClock ?? _time);
        _window = new ClaimWindow(_options.Greenlets, _claimAhead);
        _channel = Channel.CreateUnbounded<ClaimedJob>(new UnboundedChannelOptions { SingleWriter = true });
        _batcher = new CompletionBatcher(_storage, _completions, _runtime.Metrics, _logger, Math.Max(1024, _options.Greenlets * 4), Settled, giveUp.Token);

        // Report before the first claim, so maintenance elsewhere sees this worker alive before it owns a job.
        await ReportAsync(background.Token).ConfigureAwait(false);
        _logger.LogInformation("Worker {Name} ({Id}) started: queues {Queues}, {Greenlets} greenlets, storage {Storage}.",
            Name, Id, string.Join(" ", Queues), _options.Greenlets, _storage.Capabilities.Name);

        var stopToken = stop.Token;
        var executors = Enumerable.Range(0, _options.Greenlets).Select(i => Task.Run(() => ExecuteLoopAsync(i, stopToken, aborting))).ToArray();
        var reporter = Task.Run(() => ReportLoopAsync(background.Token));
        var maintenance = _options.Maintenance ? Task.Run(() => MaintenanceLoopAsync(background.Token)) : Task.CompletedTask;
        var scheduler = _scheduler is { } s ? Task.Run(() => s.RunAsync(background.Token)) : Task.CompletedTask;
        var dueRetries = _options.RetryTimer ? Task.Run(() => DueRetryLoopAsync(background.Token)) : Task.CompletedTask;
        var cancelWatch = Task.Run(() => CancelWatchLoopAsync(background.Token));

        // From an abort on (SIGTERM, even one after a SIGINT), the worker has abort_timeout to save what it holds; then
        // it exits whatever its storage calls are doing, naming the jobs it could not save.
        using var abortDeadline = aborting.Register(() => giveUp.CancelAfter(TimeSpan.FromSeconds(_options.AbortTimeout)));
        var reason = WorkerExitReason.Aborted;
        try
        {
            reason = await RunUntilStoppedAsync(new StopTokens(stopping, aborting, maxTime.Token, stop.Token, giveUp.Token), executors, [reporter, maintenance, scheduler, dueRetries, cancelWatch], background)
                .WaitAsync(giveUp.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
        {
            // Past the abort deadline with storage calls still pending: they are abandoned, and so are their jobs.
            await background.CancelAsync().ConfigureAwait(false);
        }

        ThrowIfOutcomesUnsaved();
        _logger.LogInformation("Worker {Name} ({Id}) stopped ({Reason}) after {Done} jobs.", Name, Id, reason, DoneJobs);
        return reason;
    }

    /// <summary>The fetch loop's window (null until the worker runs): tests observe claims ahead through it.</summary>
    internal ClaimWindow? Window => _window;

    /// <summary>The clock run times are measured with for claims ahead, when not the worker's (tests set a fake one before running).</summary>
    internal TimeProvider? ClaimAheadClock { get; set; }

    /// <summary>Claim passes that found no job (tests wait for the fetch loop to go idle with it).</summary>
    internal long EmptyClaimPasses => Interlocked.Read(ref _emptyClaimPasses);

    public void Dispose()
    {
        _memoryStop.Dispose();
    }

    /// <summary>An invalid format is reported by <see cref="ValidateOptions"/> when the worker runs; until then the default stands in.</summary>
    private static JobLogFormat ParseLogFormat(string format)
    {
        try
        {
            return JobLogFormat.Parse(format);
        }
        catch (FormatException)
        {
            return JobLogFormat.Default;
        }
    }

    private void ValidateOptions()
    {
        var errors = MrqOptionsValidator.Errors(_options);
        if (_options.Scheduler && _storage.Schedules is null)
        {
            errors.Add($"scheduler: the {_storage.Capabilities.Name} storage keeps no scheduler state.");
        }

        foreach (var queue in Queues)
        {
            if (QueueNames.IsRaw(queue))
            {
                var root = QueueNames.Root(queue);
                if (!_options.RawQueues.TryGetValue(root, out var raw) || raw.JobFactory is null)
                {
                    errors.Add($"raw queue '{root}' has no job factory: register it with AddRawQueue(\"{root}\", member => new RawJob(path, params)).");
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(MrqOptions), typeof(MrqOptions), errors);
        }
    }

    private async Task MaintenanceLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.MaintenanceInterval), _time);
        do
        {
            try
            {
                await _maintenance.RunAllAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                EngineLog.MaintenanceFailed(_logger, ex, _options.MaintenanceInterval);
            }
        }
        while (await WaitTickAsync(timer, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitTickAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A job being executed, for reports and progress saves.</summary>
    private sealed record RunningJob(JobRecord Job, JobContext? Context);
}
