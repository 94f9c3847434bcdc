using System.Text.Json.Nodes;
using Mrq.Jobs;
using Mrq.Storage.LiteDb;
using NUnit.Framework;

namespace Mrq.Tests.Storage.LiteDb;

/// <summary>LiteDB has no TTL index: expired queued jobs are found by a bounded scan that resumes across calls.</summary>
[TestFixture]
[Category("litedb")]
public sealed class LiteDbExpiryTests
{
    [Test]
    public async Task DeleteExpiredAsync_MoreQueuedJobsThanTheScanLimit_CoveredOverSeveralCallsEachReadingAtMostTheLimit()
    {
        await using var storage = await LiteDbTestStorage.CreateAsync();
        var store = (LiteDbJobStore)storage.Storage.Jobs;
        store.QueuedExpiryScanLimit = 3;
        var now = DateTime.UtcNow;
        var expiring = new[] { ("a", true), ("a", false), ("a", true), ("a", true), ("b", false), ("b", true), ("b", false), ("b", true) };
        var jobs = expiring.Select((item, i) =>
        {
            var job = JobRecord.NewQueued("tests.Noop", new JsonObject { ["i"] = i }, item.Item1, now.AddSeconds(i - 100));
            job.DateExpires = item.Item2 ? now.AddSeconds(-1) : now.AddDays(1);
            return job;
        }).ToArray();
        await store.InsertAsync(jobs, default);

        var deleted = new List<long>();
        for (var call = 0; call < 4; call++)
        {
            deleted.Add(await store.DeleteExpiredAsync(now, default));
        }

        // 8 queued jobs, 3 read per call: the third call reaches the last one and the fourth starts over.
        Assert.That(deleted, Is.EqualTo(new long[] { 2, 2, 1, 0 }));
        var kept = jobs.Where((_, i) => !expiring[i].Item2).Select(j => j.Id).ToArray();
        Assert.That((await store.GetAsync(jobs.Select(j => j.Id).ToArray(), default)).Select(j => j.Id), Is.EquivalentTo(kept));
    }
}
