using Microsoft.Playwright;
using Mrq.Dashboard.Tests.Support;
using Mrq.Jobs;
using NUnit.Framework;

namespace Mrq.Dashboard.Tests;

/// <summary>
/// The dashboard in a real browser: Debian's chromium (installed by tools/run-tests.sh) driven by Playwright, against
/// a Kestrel server on a loopback port over a LiteDB file. Saves the README's screenshots under docs/.
/// </summary>
[TestFixture]
[Category("browser")]
[NonParallelizable]
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly float s_timeout = 60_000;

    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private DashboardApp _app = null!;
    private Seed _seed = null!;
    private IPage _page = null!;

    [OneTimeSetUp]
    public async Task LaunchAsync()
    {
        if (!File.Exists(Chromium))
        {
            var message = $"{Chromium} is missing; tools/run-tests.sh installs Debian's chromium (apt-get install chromium).";
            if (Environment.GetEnvironmentVariable("MRQ_TEST_REQUIRE_SERVERS") == "1")
            {
                Assert.Fail(message);
            }

            Assert.Ignore(message);
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            Timeout = s_timeout,
        });
    }

    [OneTimeTearDown]
    public async Task CloseAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    [SetUp]
    public async Task StartAsync()
    {
        _app = await DashboardApp.StartAsync(TestStorage.LiteDb, o => o.PollInterval = TimeSpan.FromMilliseconds(500), kestrel: true);
        _seed = await Seed.WriteAsync(_app.Storage, DateTime.UtcNow);
        _page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        _page.SetDefaultTimeout(s_timeout);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _page.CloseAsync();
        await _app.DisposeAsync();
    }

    private string Url(string path) => _app.BaseAddress + "/mrq/" + path;

    [Test]
    public async Task Every_view_renders_and_the_overview_refreshes_live()
    {
        await _page.GotoAsync(Url(""));
        await Assertions.Expect(_page.Locator("h1")).ToHaveTextAsync("Overview");
        await Assertions.Expect(_page.Locator("table.grid")).ToContainTextAsync("sub/a");
        await Screenshot("dashboard-overview.png");

        // A job queued after the page loaded shows up through the JSON API poll, without a reload.
        var queuedCell = _page.Locator("a.value[data-live='[\"totals\",\"queued\"]']");
        await Assertions.Expect(queuedCell).ToHaveTextAsync("2");
        await _app.Client.QueueJobAsync("samples.Add", new() { ["a"] = 1, ["b"] = 1 }, "default");
        await Assertions.Expect(queuedCell).ToHaveTextAsync("3", new() { Timeout = s_timeout });
        await Assertions.Expect(_page.Locator("#live-state")).ToHaveClassAsync("ok");

        foreach (var (link, heading) in new[] { ("Jobs", "Jobs"), ("Workers", "Workers"), ("Queues", "Queues"), ("Tasks", "Tasks") })
        {
            await _page.Locator("header nav a", new() { HasTextString = link }).ClickAsync();
            await Assertions.Expect(_page.Locator("h1")).ToHaveTextAsync(heading);
        }

        await Assertions.Expect(_page.Locator("table.grid")).ToContainTextAsync("samples.Fail");
    }

    [Test]
    public async Task A_filter_finds_a_job_and_a_script_param_stays_text()
    {
        var dialogs = 0;
        _page.Dialog += (_, dialog) =>
        {
            dialogs++;
            _ = dialog.DismissAsync();
        };
        await _page.GotoAsync(Url("jobs"));
        await _page.FillAsync("input[name=q]", "alert");
        await _page.ClickAsync("form.filters button[type=submit]");
        await Assertions.Expect(_page.Locator("#match-count")).ToHaveTextAsync("1");
        await Assertions.Expect(_page.Locator("#jobs tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(_page.Locator("#jobs tbody td.params")).ToContainTextAsync("<script>alert('x')</script>");
        await _page.ClickAsync($"a[href$='/jobs/{_seed.ScriptJob}']");
        await Assertions.Expect(_page.Locator("#job-params")).ToContainTextAsync("<script>");
        Assert.That(dialogs, Is.Zero, "the param's script never ran");

        await _page.GotoAsync(Url("jobs"));
        await _page.FillAsync("input[name=queue]", "sub/");
        await _page.FillAsync("input[name=status]", "failed,success,timeout");
        await _page.ClickAsync("form.filters button[type=submit]");
        await Assertions.Expect(_page.Locator("#match-count")).ToHaveTextAsync("2");
        await Screenshot("dashboard-jobs.png");
    }

    [Test]
    public async Task A_failed_jobs_traceback_and_logs_show()
    {
        await _page.GotoAsync(Url("jobs?status=failed"));
        await _page.ClickAsync($"a[href$='/jobs/{_seed.ByStatus[JobStatus.Failed]}']");
        await Assertions.Expect(_page.Locator("#job-traceback")).ToContainTextAsync("seeded failure");
        await Assertions.Expect(_page.Locator("#job-logs")).ToContainTextAsync("about to fail");
        await _page.ClickAsync("details summary");
        await Assertions.Expect(_page.Locator("details pre")).ToContainTextAsync("first attempt traceback");
        await Screenshot("dashboard-job-failed.png");
    }

    [Test]
    public async Task The_overview_charts_jobs_that_end_while_it_is_open()
    {
        await _page.GotoAsync(Url(""));
        await Assertions.Expect(_page.Locator("#throughput svg")).ToBeVisibleAsync();
        await Assertions.Expect(_page.Locator("#throughput g.bar[data-succeeded='1']")).ToHaveCountAsync(0);

        var done = JobRecord.NewQueued("samples.Add", [], "default", DateTime.UtcNow);
        done.Status = JobStatus.Success;
        var failed = JobRecord.NewQueued("samples.Fail", [], "default", DateTime.UtcNow);
        failed.Status = JobStatus.MaxRetries;
        await _app.Storage.Jobs.InsertAsync([done, failed], CancellationToken.None);

        await Assertions.Expect(_page.Locator("#throughput g.bar[data-succeeded='1'][data-failed='1']")).ToHaveCountAsync(1, new() { Timeout = s_timeout });
        await Assertions.Expect(_page.Locator("#throughput figcaption")).ToContainTextAsync("Jobs ended per minute");
        await Screenshot("dashboard-throughput.png");
    }

    [Test]
    public async Task Cancel_and_pause_buttons_change_storage()
    {
        var queued = _seed.ByStatus[JobStatus.Queued];
        await _page.GotoAsync(Url($"jobs/{queued}"));
        await _page.ClickAsync($"form[action$='/actions/jobs/{queued}/cancel'] button");
        await Assertions.Expect(_page.Locator("p.notice")).ToContainTextAsync($"Cancelled job {queued}.");
        await Assertions.Expect(_page.Locator("#job-status")).ToHaveTextAsync("cancel");
        Assert.That((await _app.Client.GetJobAsync(queued))!.Status, Is.EqualTo(JobStatus.Cancel));

        await _page.GotoAsync(Url("queues"));
        await _page.Locator("tr", new() { HasTextString = "sub/b" }).Locator("form[action$='/actions/queues/pause'] button").ClickAsync();
        await Assertions.Expect(_page.Locator("p.notice")).ToContainTextAsync("Paused sub/b.");
        Assert.That(await _app.Client.IsQueuePausedAsync("sub/b"), Is.True);

        await _page.GotoAsync(Url("jobs/confirm?action=requeue&status=failed"));
        await Assertions.Expect(_page.Locator("#confirm-count")).ToHaveTextAsync("1");
        await _page.FillAsync("#destination", "elsewhere");
        await _page.ClickAsync("#confirm");
        await Assertions.Expect(_page.Locator("p.notice")).ToContainTextAsync("Requeued 1 jobs.");
        Assert.That((await _app.Client.GetJobAsync(_seed.ByStatus[JobStatus.Failed]))!.Queue, Is.EqualTo("elsewhere"));
    }

    private async Task Screenshot(string name)
    {
        var docs = Path.Combine(RepositoryRoot(), "docs");
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(docs, name), FullPage = false });
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mrq.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Mrq.sln not found above " + AppContext.BaseDirectory);
    }
}
