using System.Net;
using System.Text.Json.Nodes;
using Mrq.Dashboard.Tests.Support;
using Mrq.Jobs;
using NUnit.Framework;

namespace Mrq.Dashboard.Tests;

/// <summary>Every view, the JSON API and every action, through an in-process server, on memory and on LiteDB.</summary>
[TestFixture(TestStorage.InMemory)]
[TestFixture(TestStorage.LiteDb)]
public sealed class DashboardEndpointTests(TestStorage storage)
{
    private DashboardApp _app = null!;
    private Seed _seed = null!;
    private DashboardSession _session = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _app = await DashboardApp.StartAsync(storage);
        _seed = await Seed.WriteAsync(_app.Storage, DateTime.UtcNow);
        _session = new DashboardSession(_app.CreateClient());
    }

    [TearDown]
    public async Task StopAsync() => await _app.DisposeAsync();

    private async Task<JobStatus> StoredStatusAsync(JobId id) => (await _app.Client.GetJobAsync(id))!.Status;

    [Test]
    public async Task Every_view_renders_with_jobs_of_every_status()
    {
        var (status, overview) = await _session.GetAsync("/mrq/");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(overview, Does.Contain("sub/a").And.Contain("default").And.Contain(TestStorageSetup.RawQueue));
        foreach (var name in JobStatusNames.All.Select(s => s.ToMrqName()))
        {
            Assert.That(overview, Does.Contain($"jobs?status={name}"));
        }

        var (_, jobs) = await _session.GetAsync("/mrq/jobs");
        Assert.That(jobs, Does.Contain("<span id=\"match-count\">12</span> matching jobs"));

        var failed = _seed.ByStatus[JobStatus.Failed];
        var (_, job) = await _session.GetAsync($"/mrq/jobs/{failed}");
        Assert.That(job, Does.Contain("seeded failure").And.Contain("first attempt traceback").And.Contain("about to fail"));
        Assert.That(job, Does.Contain($"jobs?worker={Seed.WorkerId}"), "a link from the job to its worker's jobs");

        var (_, workers) = await _session.GetAsync("/mrq/workers");
        Assert.That(workers, Does.Contain("host.1234").And.Contain($"jobs?worker={Seed.WorkerId}").And.Contain("samples.Add"));

        var (_, queues) = await _session.GetAsync($"/mrq/queues?peek={TestStorageSetup.RawQueue}");
        Assert.That(queues, Does.Contain("first-member").And.Contain("second-member").And.Contain("actions/queues/pause"));

        var (_, tasks) = await _session.GetAsync("/mrq/tasks");
        Assert.That(tasks, Does.Contain("samples.Fail").And.Contain("samples.Add"));
    }

    [Test]
    public async Task Assets_are_embedded_and_pages_forbid_inline_script()
    {
        var client = _app.CreateClient();
        using var css = await client.GetAsync("/mrq/assets/dashboard.css");
        using var js = await client.GetAsync("/mrq/assets/dashboard.js");
        using var page = await client.GetAsync("/mrq/");
        Assert.That(css.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(js.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await js.Content.ReadAsStringAsync(), Does.Contain("data-live"));
        Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("script-src 'self'"));
    }

    [Test]
    public async Task Overview_api_counts_every_status_and_worker()
    {
        var overview = await _session.GetJsonAsync("/mrq/api/overview");
        foreach (var status in JobStatusNames.All)
        {
            var expected = status == JobStatus.Queued ? 2 : 1;
            Assert.That((long)overview["totals"]![status.ToMrqName()]!, Is.EqualTo(expected), status.ToMrqName());
        }

        Assert.That((int)overview["workers"]!["alive"]!, Is.EqualTo(1));
        Assert.That((long)overview["queues"]![TestStorageSetup.RawQueue]!["raw_size"]!, Is.EqualTo(2));
        Assert.That((double)overview["queues"]!["default"]!["oldest_queued_seconds"]!, Is.GreaterThan(3000), "the oldest queued job on default was queued an hour ago");
    }

    [Test]
    public async Task Tasks_api_counts_and_times_per_path_and_status()
    {
        var tasks = (await _session.GetJsonAsync("/mrq/api/tasks"))["tasks"]!;
        var failed = tasks["samples.Fail"]!["failed"]!;
        Assert.That((long)failed["count"]!, Is.EqualTo(1));
        Assert.That((double)failed["avg_seconds"]!, Is.EqualTo(3.5));
        Assert.That((double)failed["p95_seconds"]!, Is.EqualTo(3.5));
        Assert.That((long)tasks["samples.Add"]!["queued"]!["count"]!, Is.EqualTo(2));
        Assert.That(tasks["samples.Add"]!["queued"]!["avg_seconds"], Is.Null, "queued jobs have no run time");
    }

    [TestCase("queue=sub/", 7)]
    [TestCase("queue=sub/a", 4)]
    [TestCase("status=failed,timeout", 2)]
    [TestCase("path=samples.F", 1)]
    [TestCase("path=*.Fa*", 1)]
    [TestCase("worker=" + Seed.WorkerId, 10)]
    [TestCase("exception=System.InvalidOperationException", 1)]
    [TestCase("q=marker-result", 1)]
    [TestCase("q=%3Cscript", 1)]
    public async Task Jobs_api_filters(string query, int expected)
    {
        var page = await _session.GetJsonAsync("/mrq/api/jobs?" + query);
        Assert.That((long)page["total"]!, Is.EqualTo(expected));
        Assert.That(page["jobs"]!.AsArray(), Has.Count.EqualTo(expected));
    }

    [Test]
    public async Task Jobs_api_filters_by_date_range_sorts_and_pages()
    {
        var from = Uri.EscapeDataString(DateTime.UtcNow.AddMinutes(-55.5).ToString("O"));
        var to = Uri.EscapeDataString(DateTime.UtcNow.AddMinutes(-52.5).ToString("O"));
        var range = await _session.GetJsonAsync($"/mrq/api/jobs?from={from}&to={to}");
        Assert.That((long)range["total"]!, Is.EqualTo(3), "jobs queued 55, 54 and 53 minutes ago");

        var first = await _session.GetJsonAsync("/mrq/api/jobs?sort=datequeued&dir=asc&size=5&page=1");
        var second = await _session.GetJsonAsync("/mrq/api/jobs?sort=datequeued&dir=asc&size=5&page=2");
        var ids = first["jobs"]!.AsArray().Concat(second["jobs"]!.AsArray()).Select(j => (string)j!["_id"]!).ToList();
        Assert.That(ids, Is.Unique.And.Count.EqualTo(10));
        Assert.That(ids[0], Is.EqualTo(_seed.ByStatus[JobStatus.Queued].ToString()), "the earliest queued job first");
        var dates = first["jobs"]!.AsArray().Select(j => (DateTime)j!["datequeued"]!).ToList();
        Assert.That(dates, Is.Ordered);
    }

    [TestCase("/mrq/api/jobs?status=bogus", "Unknown status 'bogus'")]
    [TestCase("/mrq/api/jobs?from=yesterday", "Bad 'from' date")]
    [TestCase("/mrq/api/jobs?page=0", "Bad 'page'")]
    [TestCase("/mrq/api/jobs/123", "is not a job id")]
    [TestCase("/mrq/api/queues/peek?queue=default", "is not a raw queue")]
    public async Task Bad_input_gets_a_one_line_error(string path, string message)
    {
        var (status, body) = await _session.GetAsync(path);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string)JsonNode.Parse(body)!["error"]!, Does.StartWith(message.Split(' ')[0]).Or.Contain(message));
        Assert.That(body, Does.Not.Contain("\n"));
    }

    [Test]
    public async Task A_script_in_params_is_shown_as_text()
    {
        var (_, list) = await _session.GetAsync("/mrq/jobs?q=alert");
        var (_, job) = await _session.GetAsync($"/mrq/jobs/{_seed.ScriptJob}");
        foreach (var page in new[] { list, job })
        {
            Assert.That(page, Does.Not.Contain("<script>alert"));
            Assert.That(page, Does.Contain("&lt;script&gt;alert("));
        }
    }

    [Test]
    public async Task Cancel_without_the_csrf_token_is_refused_and_changes_nothing()
    {
        var queued = _seed.ByStatus[JobStatus.Queued];
        await _session.GetAsync($"/mrq/jobs/{queued}");
        var noToken = await _session.PostAsync($"/mrq/actions/jobs/{queued}/cancel", token: "");
        var noCookie = await _session.PostAsync($"/mrq/actions/jobs/{queued}/cancel", withCookie: false);
        var wrongToken = await _session.PostAsync($"/mrq/actions/jobs/{queued}/cancel", token: new string('A', 64));
        Assert.That(new[] { noToken.Status, noCookie.Status, wrongToken.Status }, Is.All.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(noToken.Body, Does.Contain("CSRF"));
        Assert.That(await StoredStatusAsync(queued), Is.EqualTo(JobStatus.Queued));
    }

    [Test]
    public async Task Cancel_and_requeue_one_job_change_storage()
    {
        var queued = _seed.ByStatus[JobStatus.Queued];
        var failed = _seed.ByStatus[JobStatus.Failed];
        await _session.GetAsync($"/mrq/jobs/{queued}");
        var cancel = await _session.PostAsync($"/mrq/actions/jobs/{queued}/cancel", [new("return", $"/mrq/jobs/{queued}")]);
        Assert.That(cancel.Status, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(cancel.Location!.ToString(), Does.StartWith($"/mrq/jobs/{queued}?notice="));
        Assert.That(await StoredStatusAsync(queued), Is.EqualTo(JobStatus.Cancel));

        var requeue = await _session.PostAsync($"/mrq/actions/jobs/{failed}/requeue", [new("return", "https://evil.example/")]);
        Assert.That(requeue.Location!.ToString(), Does.StartWith("/mrq/?notice="), "a return address outside the dashboard is ignored");
        Assert.That(await StoredStatusAsync(failed), Is.EqualTo(JobStatus.Queued));
    }

    [Test]
    public async Task Cancel_all_matching_confirms_the_count_then_cancels_them()
    {
        // sub/a and sub/b hold 7 jobs; the action applies to those in a status a cancel moves jobs from.
        var effective = new JobAction(JobActionKind.Cancel, new JobFilter { Queue = "sub/" }, DateTime.UtcNow).EffectiveFilter();
        var expected = await _app.Storage.Jobs.CountAsync(effective, CancellationToken.None);
        Assert.That(expected, Is.InRange(2, 6), "the seed has cancellable and final jobs under sub/");

        var (_, confirm) = await _session.GetAsync("/mrq/jobs/confirm?action=cancel&queue=sub/");
        Assert.That(confirm, Does.Contain($"<strong id=\"confirm-count\">{expected}</strong>"));

        var post = await _session.PostAsync("/mrq/actions/jobs/cancel", [new("queue", "sub/")]);
        Assert.That(post.Status, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(Uri.UnescapeDataString(post.Location!.ToString()), Does.Contain($"Cancelled {expected} jobs."));
        var left = await _app.Client.ListJobsAsync(effective with { Statuses = effective.Statuses!.Where(s => s != JobStatus.Cancel).ToArray() });
        Assert.That(left, Is.Empty);
        Assert.That(await StoredStatusAsync(_seed.ByStatus[JobStatus.Queued]), Is.EqualTo(JobStatus.Queued), "a job on another queue is untouched");
    }

    [Test]
    public async Task Requeue_failed_jobs_to_another_queue_with_a_scanned_filter()
    {
        await _session.GetAsync("/mrq/jobs");
        var post = await _session.PostAsync("/mrq/actions/jobs/requeue", [new("status", "failed"), new("path", "samples.F*"), new("destination", "retry-here")]);
        Assert.That(post.Status, Is.EqualTo(HttpStatusCode.Redirect));
        var job = await _app.Client.GetJobAsync(_seed.ByStatus[JobStatus.Failed]);
        Assert.That((job!.Status, job.Queue), Is.EqualTo((JobStatus.Queued, "retry-here")));

        var bad = await _session.PostAsync("/mrq/actions/jobs/requeue", [new("status", "timeout"), new("destination", "x_raw")]);
        Assert.That(bad.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await StoredStatusAsync(_seed.ByStatus[JobStatus.Timeout]), Is.EqualTo(JobStatus.Timeout), "a refused action changes nothing");
    }

    [Test]
    public async Task Pause_and_resume_change_the_paused_set()
    {
        await _session.GetAsync("/mrq/queues");
        await _session.PostAsync("/mrq/actions/queues/pause", [new("queue", "sub/a")]);
        Assert.That(await _app.Client.IsQueuePausedAsync("sub/a"), Is.True);
        var (_, page) = await _session.GetAsync("/mrq/queues");
        Assert.That(page, Does.Contain("actions/queues/resume"));
        await _session.PostAsync("/mrq/actions/queues/resume", [new("queue", "sub/a")]);
        Assert.That(await _app.Client.IsQueuePausedAsync("sub/a"), Is.False);
    }

    [Test]
    public async Task Actions_answer_json_when_asked()
    {
        var queued = _seed.ByStatus[JobStatus.Queued];
        await _session.GetAsync("/mrq/");
        var answer = await _session.PostJsonAsync($"/mrq/actions/jobs/{queued}/cancel");
        Assert.That((long)answer["changed"]!, Is.EqualTo(1));
        Assert.That(await StoredStatusAsync(queued), Is.EqualTo(JobStatus.Cancel));
    }

    [Test]
    public async Task Read_only_hides_and_refuses_every_action()
    {
        await using var app = await DashboardApp.StartAsync(storage, o => o.ReadOnly = true);
        var seed = await Seed.WriteAsync(app.Storage, DateTime.UtcNow);
        var session = new DashboardSession(app.CreateClient());
        var queued = seed.ByStatus[JobStatus.Queued];
        foreach (var page in new[] { "/mrq/", "/mrq/jobs", $"/mrq/jobs/{queued}", "/mrq/queues" })
        {
            var (_, body) = await session.GetAsync(page);
            Assert.That(body, Does.Not.Contain("actions/").And.Not.Contain("Cancel all matching"), page);
        }

        var cancel = await session.PostAsync($"/mrq/actions/jobs/{queued}/cancel");
        var pause = await session.PostAsync("/mrq/actions/queues/pause", [new("queue", "default")]);
        var confirm = await session.GetAsync("/mrq/jobs/confirm?action=cancel");
        Assert.That(new[] { cancel.Status, pause.Status, confirm.Status }, Is.All.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(cancel.Body, Does.Contain("read-only"));
        Assert.That((await app.Client.GetJobAsync(queued))!.Status, Is.EqualTo(JobStatus.Queued));
        Assert.That(await app.Client.IsQueuePausedAsync("default"), Is.False);
    }

    [Test]
    public async Task A_non_local_request_is_refused()
    {
        var context = await _app.TestServer.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/mrq/api/overview";
            c.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9");
            c.Connection.LocalIpAddress = IPAddress.Parse("10.0.0.1");
        });
        Assert.That(context.Response.StatusCode, Is.EqualTo(403));

        var local = await _app.TestServer.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/mrq/api/overview";
            c.Connection.RemoteIpAddress = IPAddress.IPv6Loopback;
        });
        Assert.That(local.Response.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task The_app_policy_replaces_the_local_filter()
    {
        await using var app = await DashboardApp.StartAsync(storage, o => o.Authorization.Clear());
        var remote = await app.TestServer.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/mrq/api/overview";
            c.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9");
        });
        Assert.That(remote.Response.StatusCode, Is.EqualTo(200), "with no dashboard filter, the app's own policy decides");
    }
}
