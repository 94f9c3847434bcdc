using System.Net;
using Mrq.Dashboard.Tests.Support;
using Mrq.Jobs;
using NUnit.Framework;

namespace Mrq.Dashboard.Tests;

/// <summary>A smoke test on MongoDB + Redis (servers from tools/run-tests.sh): the views render and an action changes storage.</summary>
[TestFixture]
[Category("mongo")]
[Category("redis")]
[Category("distributed")]
public sealed class DistributedDashboardTests
{
    [Test]
    public async Task Views_render_and_cancel_changes_storage_on_mongo_and_redis()
    {
        await using var app = await DashboardApp.StartAsync(TestStorage.Distributed);
        var seed = await Seed.WriteAsync(app.Storage, DateTime.UtcNow);
        var session = new DashboardSession(app.CreateClient());
        foreach (var page in new[] { "/mrq/", "/mrq/jobs?queue=sub/", $"/mrq/jobs/{seed.ByStatus[JobStatus.Failed]}", "/mrq/workers", $"/mrq/queues?peek={TestStorageSetup.RawQueue}", "/mrq/tasks" })
        {
            var (status, body) = await session.GetAsync(page);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), page);
            Assert.That(body, Does.Contain("</main>"), page);
        }

        var overview = await session.GetJsonAsync("/mrq/api/overview");
        Assert.That((long)overview["totals"]!["failed"]!, Is.EqualTo(1));
        Assert.That((long)overview["queues"]![TestStorageSetup.RawQueue]!["raw_size"]!, Is.EqualTo(2));

        var queued = seed.ByStatus[JobStatus.Queued];
        var cancel = await session.PostAsync($"/mrq/actions/jobs/{queued}/cancel");
        Assert.That(cancel.Status, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That((await app.Client.GetJobAsync(queued))!.Status, Is.EqualTo(JobStatus.Cancel));
    }
}
