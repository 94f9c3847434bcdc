using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.LiteDb;
using NUnit.Framework;

namespace Mrq.Tests.Storage.LiteDb;

/// <summary>
/// The writer's group commit, made deterministic: a first operation holds the writer thread while the next ones
/// queue up, so they are committed as one group when it is released.
/// </summary>
[TestFixture]
[Category("litedb")]
public sealed class LiteDbWriterTests
{
    private string _folder = "";
    private LiteDbDatabase _database = null!;
    private LiteDbJobStore _jobs = null!;

    [SetUp]
    public async Task OpenAsync()
    {
        _folder = LiteDbTestStorage.NewFolder();
        _database = new LiteDbDatabase(new LiteDbStorageOptions { Path = Path.Combine(_folder, "jobs.db") });
        _jobs = new LiteDbJobStore(_database);
        await _database.InitializeAsync(default);
    }

    [TearDown]
    public async Task CloseAsync()
    {
        await _database.DisposeAsync();
        LiteDbTestStorage.DeleteFolder(_folder);
    }

    /// <summary>Occupies the writer until the returned gate is set, so later writes form one group.</summary>
    private (Task Blocker, ManualResetEventSlim Gate) HoldWriter()
    {
        var gate = new ManualResetEventSlim();
        var blocker = _database.WriteAsync(_ => gate.Wait(TimeSpan.FromMinutes(1)), default);
        return (blocker, gate);
    }

    private static JobRecord NewJob() => JobRecord.NewQueued("tests.Noop", new JsonObject { ["n"] = 1 }, "q", DateTime.UtcNow);

    [Test]
    public async Task WriteAsync_GroupWithFailingOperation_OthersCommittedFailureReported()
    {
        var jobs = Enumerable.Range(0, 3).Select(_ => NewJob()).ToArray();
        var (blocker, gate) = HoldWriter();
        using (gate)
        {
            var first = _jobs.InsertAsync([jobs[0]], default).AsTask();
            var failing = _database.WriteAsync<int>(_ => throw new InvalidOperationException("boom"), default);
            var last = _jobs.InsertAsync([jobs[1], jobs[2]], default).AsTask();
            gate.Set();
            await blocker;

            await first;
            await last;
            var error = Assert.ThrowsAsync<InvalidOperationException>(async () => await failing);
            Assert.That(error!.Message, Is.EqualTo("boom"));
        }

        Assert.That(await _jobs.GetAsync(jobs.Select(j => j.Id).ToArray(), default), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task WriteAsync_GroupRolledBack_ClaimsUndoneThenRedoneOnce()
    {
        var queued = Enumerable.Range(0, 5).Select(_ => NewJob()).ToArray();
        await _jobs.InsertAsync(queued, default);
        var (blocker, gate) = HoldWriter();
        IReadOnlyList<JobRecord> firstClaim;
        IReadOnlyList<JobRecord> secondClaim;
        using (gate)
        {
            var claim = _jobs.ClaimAsync(new ClaimRequest("q", 10, "aaaaaaaaaaaaaaaaaaaaaaaa", DateTime.UtcNow), default).AsTask();
            var failing = _database.WriteAsync<int>(_ => throw new InvalidOperationException("boom"), default);
            var claimAgain = _jobs.ClaimAsync(new ClaimRequest("q", 10, "bbbbbbbbbbbbbbbbbbbbbbbb", DateTime.UtcNow), default).AsTask();
            gate.Set();
            await blocker;

            firstClaim = await claim;
            secondClaim = await claimAgain;
            Assert.That(async () => await failing, Throws.InvalidOperationException);
        }

        // Without the undo, the first claim's rerun would find its own uncommitted claims and take nothing.
        Assert.That(firstClaim.Select(j => j.Id), Is.EqualTo(queued.Select(j => j.Id)));
        Assert.That(secondClaim, Is.Empty);
        var stored = await _jobs.GetAsync(queued.Select(j => j.Id).ToArray(), default);
        Assert.That(stored.Select(j => j.Worker), Is.All.EqualTo("aaaaaaaaaaaaaaaaaaaaaaaa"));
    }

    [Test]
    public async Task WriteAsync_ManyQueuedWhileBusy_CommittedTogetherInOrder()
    {
        var order = new List<int>();
        var (blocker, gate) = HoldWriter();
        using (gate)
        {
            var writes = Enumerable.Range(0, 50).Select(i => _database.WriteAsync(_ =>
            {
                order.Add(i);
                return i;
            }, default)).ToArray();
            gate.Set();
            await blocker;

            Assert.That(await Task.WhenAll(writes), Is.EqualTo(Enumerable.Range(0, 50)));
        }

        Assert.That(order, Is.EqualTo(Enumerable.Range(0, 50)));
    }

    [Test]
    public async Task WriteAsync_AfterDispose_ThrowsObjectDisposed()
    {
        await _database.DisposeAsync();

        Assert.That(() => _database.WriteAsync(_ => 1, default), Throws.InstanceOf<InvalidOperationException>().Or.InstanceOf<ObjectDisposedException>());
    }
}
