using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.LiteDb;
using NUnit.Framework;

namespace Mrq.Tests.Storage.LiteDb;

/// <summary>
/// A full disk under the LiteDB storage (<see cref="SimulatedDisk"/> fails LiteDB's own writes, as ENOSPC does): a
/// failed commit used to leave LiteDB's engine unusable ("page must be writable") until the process restarted.
/// Now the write gets a clear error naming the file, what was saved stays, and writes resume once space returns.
/// </summary>
[TestFixture]
[Category("litedb")]
public sealed class LiteDbDiskFullTests
{
    private string _folder = "";
    private string _path = "";
    private SimulatedDisk _disk = null!;
    private LiteDbDatabase _database = null!;
    private LiteDbJobStore _jobs = null!;

    [SetUp]
    public async Task OpenAsync()
    {
        _folder = LiteDbTestStorage.NewFolder();
        _path = Path.Combine(_folder, "jobs.db");
        _disk = new SimulatedDisk();
        _database = new LiteDbDatabase(new LiteDbStorageOptions { Path = _path, Hooks = _disk.Hooks });
        _jobs = new LiteDbJobStore(_database);
        await _database.InitializeAsync(default);
    }

    [TearDown]
    public async Task CloseAsync()
    {
        await _database.DisposeAsync();
        LiteDbTestStorage.DeleteFolder(_folder);
    }

    private static JobRecord NewJob() => JobRecord.NewQueued("tests.Noop", new JsonObject { ["n"] = 1 }, "q", DateTime.UtcNow);

    [Test]
    public async Task Insert_DiskFull_SaysNoSpaceNamingFileThenResumesWhenSpaceReturns()
    {
        var saved = NewJob();
        await _jobs.InsertAsync([saved], default);

        _disk.Full = true;
        var refused = NewJob();
        var error = Assert.ThrowsAsync<MrqStorageException>(async () => await _jobs.InsertAsync([refused], default));
        Assert.That(error!.Message, Does.Contain("no space left on device").And.Contain(_path));
        Assert.That(error.IsPermanent, Is.False, "a full disk may pass: callers retry");

        // While the disk stays full, writes are refused without reaching LiteDB again; reads keep working.
        var refusedWrites = _disk.RefusedWrites;
        Assert.ThrowsAsync<MrqStorageException>(async () => await _jobs.InsertAsync([NewJob()], default));
        Assert.That(_disk.RefusedWrites, Is.EqualTo(refusedWrites));
        Assert.That(await _jobs.GetAsync([saved.Id], default), Has.Count.EqualTo(1));

        _disk.Full = false;
        var later = NewJob();
        await _jobs.InsertAsync([later], default);
        var stored = await _jobs.GetAsync([saved.Id, refused.Id, later.Id], default);
        Assert.That(stored.Select(j => j.Id), Is.EquivalentTo(new[] { saved.Id, later.Id }));
    }

    [Test]
    public async Task Insert_DiskFull_CommittedJobsSurviveAFreshOpenAndTheFailedOneIsNotThere()
    {
        var saved = Enumerable.Range(0, 20).Select(_ => NewJob()).ToArray();
        await _jobs.InsertAsync(saved, default);
        _disk.Full = true;
        var refused = NewJob();
        Assert.ThrowsAsync<MrqStorageException>(async () => await _jobs.InsertAsync([refused], default));
        _disk.Full = false;
        var later = NewJob();
        await _jobs.InsertAsync([later], default);
        await _database.DisposeAsync();

        // A plain open of the file (as the next process does) sees exactly what was acknowledged.
        _database = new LiteDbDatabase(new LiteDbStorageOptions { Path = _path });
        _jobs = new LiteDbJobStore(_database);
        await _database.InitializeAsync(default);
        var all = saved.Select(j => j.Id).Append(refused.Id).Append(later.Id).ToArray();
        var stored = await _jobs.GetAsync(all, default);
        Assert.That(stored.Select(j => j.Id), Is.EquivalentTo(saved.Select(j => j.Id).Append(later.Id)));
        Assert.That(stored.Select(j => j.Status), Is.All.EqualTo(JobStatus.Queued));
    }

    [Test]
    public async Task Insert_DiskFullThenStillFullAfterBackoff_KeepsFailingCleanlyAndResumes()
    {
        _disk.Full = true;
        for (var i = 0; i < 3; i++)
        {
            var error = Assert.ThrowsAsync<MrqStorageException>(async () => await _jobs.InsertAsync([NewJob()], default));
            Assert.That(error!.Message, Does.Contain("no space left on device"));
            await Task.Delay(300);
        }

        _disk.Full = false;
        var later = NewJob();
        await _jobs.InsertAsync([later], default);
        Assert.That(await _jobs.GetAsync([later.Id], default), Has.Count.EqualTo(1));
    }
}
