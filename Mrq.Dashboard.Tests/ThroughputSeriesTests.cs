using System.Net;
using System.Text.Json.Nodes;
using Mrq.Dashboard.Api;
using Mrq.Dashboard.Tests.Support;
using Mrq.Jobs;
using Mrq.Monitoring;
using NUnit.Framework;

namespace Mrq.Dashboard.Tests;

/// <summary>The overview's throughput series: growth of the success and failure totals between samples, per minute.</summary>
public sealed class ThroughputSeriesTests
{
    private static readonly DateTime s_start = new(2026, 1, 1, 12, 0, 30, DateTimeKind.Utc);

    private static MonitorOverview Sample(DateTime at, long succeeded, long failed, long maxRetries = 0) =>
        new([], new Dictionary<JobStatus, long> { [JobStatus.Success] = succeeded, [JobStatus.Failed] = failed, [JobStatus.MaxRetries] = maxRetries, [JobStatus.Queued] = 99 }, 0, 0, at);

    [Test]
    public void Growth_between_samples_is_added_to_the_minute_of_the_later_one()
    {
        var series = new ThroughputSeries();
        series.Record(Sample(s_start, 10, 1));
        series.Record(Sample(s_start.AddSeconds(20), 15, 1));
        series.Record(Sample(s_start.AddSeconds(40), 17, 2, maxRetries: 1));

        var points = series.Read(s_start.AddSeconds(40));

        Assert.That(points, Is.EqualTo(new[]
        {
            new ThroughputPoint(new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc), 5, 0),
            new ThroughputPoint(new DateTime(2026, 1, 1, 12, 1, 0, DateTimeKind.Utc), 2, 2),
        }));
        Assert.That(series.Since, Is.EqualTo(s_start));
    }

    [Test]
    public void Shrinking_totals_count_as_zero_and_older_samples_are_ignored()
    {
        var series = new ThroughputSeries();
        series.Record(Sample(s_start, 10, 5));
        series.Record(Sample(s_start.AddSeconds(10), 4, 2));
        series.Record(Sample(s_start.AddSeconds(5), 100, 100));
        series.Record(Sample(s_start.AddSeconds(20), 6, 2));

        Assert.That(series.Read(s_start.AddSeconds(20)).Single(), Is.EqualTo(new ThroughputPoint(s_start.AddSeconds(-30), 2, 0)));
    }

    [Test]
    public void Reads_at_most_an_hour_and_nothing_before_the_first_sample()
    {
        var series = new ThroughputSeries();
        Assert.That(series.Read(s_start), Is.Empty);

        series.Record(Sample(s_start, 0, 0));
        series.Record(Sample(s_start.AddMinutes(1), 3, 0));
        series.Record(Sample(s_start.AddMinutes(90), 4, 0));
        var points = series.Read(s_start.AddMinutes(90));

        Assert.That(points, Has.Count.EqualTo(ThroughputSeries.Points));
        Assert.That(points.Sum(p => p.Succeeded), Is.EqualTo(1), "the minute an hour and a half ago has left the window");
        Assert.That(points[^1].Succeeded, Is.EqualTo(1));
    }

    [Test]
    public async Task The_overview_api_reports_jobs_that_ended_since_the_previous_read()
    {
        await using var app = await DashboardApp.StartAsync(TestStorage.InMemory);
        using var http = app.CreateClient();
        await http.GetStringAsync("/mrq/api/overview");
        var done = JobRecord.NewQueued("samples.Add", [], "default", DateTime.UtcNow);
        done.Status = JobStatus.Success;
        var failed = JobRecord.NewQueued("samples.Fail", [], "default", DateTime.UtcNow);
        failed.Status = JobStatus.Failed;
        await app.Storage.Jobs.InsertAsync([done, failed], CancellationToken.None);

        var throughput = JsonNode.Parse(await http.GetStringAsync("/mrq/api/overview"))!["throughput"]!;

        var points = throughput["points"]!.AsArray();
        Assert.That(points.Sum(p => (long)p!["succeeded"]!), Is.EqualTo(1), throughput.ToJsonString());
        Assert.That(points.Sum(p => (long)p!["failed"]!), Is.EqualTo(1), throughput.ToJsonString());
        Assert.That((double)throughput["bucket_seconds"]!, Is.EqualTo(60));
        var (status, page) = await new DashboardSession(http).GetAsync("/mrq/");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page, Does.Contain("id=\"throughput\""));
    }
}
