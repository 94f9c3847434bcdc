using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Storage;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Contract;

/// <summary>
/// The contract of <see cref="IJobStore"/>: every backend's job store must pass it. Split into partials by concern
/// (round trip, claims, outcomes, actions, queries).
/// </summary>
public abstract partial class JobStoreContract : StorageContract<IJobStore>
{
    protected const string WorkerA = "aaaaaaaaaaaaaaaaaaaaaaaa";
    protected const string WorkerB = "bbbbbbbbbbbbbbbbbbbbbbbb";

    private byte[] _idRandom = [];
    private int _idCounter;

    /// <summary>The test's base time: now, truncated to the millisecond, UTC.</summary>
    protected DateTime T0 { get; private set; }

    /// <summary>The time claims are made at.</summary>
    protected DateTime ClaimTime => T0.AddSeconds(10);

    [SetUp]
    public void ResetClockAndIds()
    {
        T0 = Ms(DateTime.UtcNow);
        _idRandom = RandomNumberGenerator.GetBytes(5);
        _idCounter = 0;
    }

    /// <summary>Truncates to the millisecond, as every backend must keep at least that.</summary>
    protected static DateTime Ms(DateTime value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    /// <summary>A new id, greater than every id made before it in this test.</summary>
    protected JobId NextId()
    {
        var bytes = new byte[12];
        var seconds = (uint)(T0 - DateTime.UnixEpoch).TotalSeconds;
        bytes[0] = (byte)(seconds >> 24);
        bytes[1] = (byte)(seconds >> 16);
        bytes[2] = (byte)(seconds >> 8);
        bytes[3] = (byte)seconds;
        _idRandom.CopyTo(bytes, 4);
        var counter = ++_idCounter;
        bytes[9] = (byte)(counter >> 16);
        bytes[10] = (byte)(counter >> 8);
        bytes[11] = (byte)counter;
        return JobId.FromBytes(bytes);
    }

    protected JobRecord NewJob(string queue = "default", string path = "tests.Noop", JsonObject? parameters = null, DateTime? dateQueued = null)
    {
        var id = NextId();
        return new JobRecord
        {
            Id = id,
            Path = path,
            Params = parameters ?? new JsonObject { ["n"] = _idCounter },
            Queue = queue,
            Status = JobStatus.Queued,
            DateQueued = dateQueued ?? T0,
        };
    }

    protected async Task<JobRecord[]> InsertJobsAsync(params JobRecord[] jobs)
    {
        await Part.InsertAsync(jobs, Ct);
        return jobs;
    }

    protected async Task<JobRecord> InsertJobAsync(JobRecord job)
    {
        await Part.InsertAsync([job], Ct);
        return job;
    }

    protected async Task<JobRecord> GetJobAsync(JobId id)
    {
        var found = await Part.GetAsync([id], Ct);
        Assert.That(found, Has.Count.EqualTo(1), $"job {id} should exist");
        return found[0];
    }

    protected ClaimRequest Claim(string queue = "default", int maxCount = 100, string worker = WorkerA) =>
        new(queue, maxCount, worker, ClaimTime);

    /// <summary>Inserts a job on its own queue and claims it for <paramref name="worker"/>.</summary>
    protected async Task<JobRecord> InsertStartedAsync(string worker = WorkerA, string? queue = null, string path = "tests.Noop")
    {
        queue ??= "started-" + Guid.NewGuid().ToString("N");
        var job = await InsertJobAsync(NewJob(queue, path));
        var claimed = await Part.ClaimAsync(Claim(queue, 1, worker), Ct);
        Assert.That(claimed, Has.Count.EqualTo(1));
        return claimed[0];
    }

    protected static void AssertSameJson(JsonNode? actual, JsonNode? expected)
    {
        Assert.That(
            JsonNode.DeepEquals(actual, expected),
            Is.True,
            $"expected {expected?.ToJsonString() ?? "null"} but was {actual?.ToJsonString() ?? "null"}");
    }

    protected static void AssertUtc(DateTime? actual, DateTime? expected, string field)
    {
        Assert.That(actual, Is.EqualTo(expected), field);
        if (actual is { } value)
        {
            Assert.That(value.Kind, Is.EqualTo(DateTimeKind.Utc), field + " kind");
        }
    }

    /// <summary>Asserts every field of <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    protected static void AssertSameRecord(JobRecord actual, JobRecord expected)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(actual.Id, Is.EqualTo(expected.Id), "_id");
            Assert.That(actual.Path, Is.EqualTo(expected.Path), "path");
            AssertSameJson(actual.Params, expected.Params);
            Assert.That(actual.Queue, Is.EqualTo(expected.Queue), "queue");
            Assert.That(actual.Status, Is.EqualTo(expected.Status), "status");
            AssertUtc(actual.DateQueued, expected.DateQueued, "datequeued");
            AssertUtc(actual.DateStarted, expected.DateStarted, "datestarted");
            AssertUtc(actual.DateUpdated, expected.DateUpdated, "dateupdated");
            AssertUtc(actual.DateExpires, expected.DateExpires, "dateexpires");
            AssertUtc(actual.DateRetry, expected.DateRetry, "dateretry");
            Assert.That(actual.Worker, Is.EqualTo(expected.Worker), "worker");
            AssertSameJson(actual.Result, expected.Result);
            Assert.That(actual.Progress, Is.EqualTo(expected.Progress), "progress");
            Assert.That(actual.RetryCount, Is.EqualTo(expected.RetryCount), "retry_count");
            Assert.That(actual.ExceptionType, Is.EqualTo(expected.ExceptionType), "exceptiontype");
            Assert.That(actual.Traceback, Is.EqualTo(expected.Traceback), "traceback");
            Assert.That(actual.TracebackHistory, Is.EqualTo(expected.TracebackHistory), "traceback_history");
            Assert.That(actual.RawQueue, Is.EqualTo(expected.RawQueue), "raw_queue");
            Assert.That(actual.TotalTime, Is.EqualTo(expected.TotalTime), "totaltime");
        }
    }

    [Test]
    public async Task InsertAsync_EveryField_RoundTripsThroughGet()
    {
        var job = new JobRecord
        {
            Id = NextId(),
            Path = "tests.tasks.Everything",
            Params = JsonNode.Parse("""
                {"s": "text é ✓", "i": 42, "neg": -7, "l": 9007199254740993, "d": 1.25, "t": true, "f": false, "n": null,
                 "a": [1, "two", [3.5, null], {"k": "v"}], "o": {"nested": {"deep": [true, {"x": -0.5}]}, "empty": {}}, "ea": []}
                """)!.AsObject(),
            Queue = "round/trip",
            Status = JobStatus.Failed,
            DateQueued = T0.AddMilliseconds(-1234),
            DateStarted = T0.AddMilliseconds(-1001),
            DateUpdated = T0.AddMilliseconds(-7),
            DateExpires = T0.AddDays(180).AddMilliseconds(3),
            DateRetry = T0.AddSeconds(3).AddMilliseconds(999),
            Worker = WorkerA,
            Result = JsonNode.Parse("""{"r": [1, 2.5, "x", null, {"y": false}]}"""),
            Progress = 0.75,
            RetryCount = 2,
            ExceptionType = "System.InvalidOperationException",
            Traceback = "Traceback\n  at X\n  at Y",
            TracebackHistory =
            [
                new TracebackEntry(T0.AddMilliseconds(-500), JobStatus.Retry, "System.TimeoutException", "tb1", null, WorkerB),
                new TracebackEntry(T0.AddMilliseconds(-8), JobStatus.Failed, "System.InvalidOperationException", "tb2", "inner tb", WorkerA),
            ],
            RawQueue = "source_raw",
            TotalTime = 0.994,
        };

        await InsertJobAsync(job);

        AssertSameRecord(await GetJobAsync(job.Id), job);
    }

    [Test]
    public async Task InsertAsync_MinimalQueuedJob_RoundTripsWithAbsentOptionalFields()
    {
        var job = await InsertJobAsync(NewJob(parameters: []));

        var stored = await GetJobAsync(job.Id);

        AssertSameRecord(stored, job);
        Assert.That(stored.TracebackHistory, Is.Empty);
    }

    [TestCase("\"text\"")]
    [TestCase("42")]
    [TestCase("-3000000000")]
    [TestCase("2.5")]
    [TestCase("true")]
    [TestCase("false")]
    [TestCase("[1, \"a\", null, [2]]")]
    [TestCase("{\"a\": {\"b\": [1, 2]}, \"c\": null}")]
    [TestCase("[]")]
    [TestCase("{}")]
    public async Task InsertAsync_ResultOfEachJsonKind_RoundTrips(string json)
    {
        var job = NewJob();
        job.Status = JobStatus.Success;
        job.Result = JsonNode.Parse(json);
        await InsertJobAsync(job);

        var stored = await GetJobAsync(job.Id);

        AssertSameJson(stored.Result, job.Result);
    }

    [Test]
    public async Task InsertAsync_ManyJobs_AllReadable()
    {
        var jobs = Enumerable.Range(0, 250).Select(_ => NewJob()).ToArray();
        await InsertJobsAsync(jobs);

        var found = await Part.GetAsync(jobs.Select(j => j.Id).ToArray(), Ct);

        Assert.That(found.Select(j => j.Id), Is.EquivalentTo(jobs.Select(j => j.Id)));
    }

    [Test]
    public async Task GetAsync_MissingIds_LeftOut()
    {
        var job = await InsertJobAsync(NewJob());

        var found = await Part.GetAsync([NextId(), job.Id, NextId()], Ct);

        Assert.That(found.Select(j => j.Id), Is.EqualTo(new[] { job.Id }));
    }

    [Test]
    public async Task GetAsync_NoIds_ReturnsEmpty()
    {
        await InsertJobAsync(NewJob());

        Assert.That(await Part.GetAsync([], Ct), Is.Empty);
    }
}
