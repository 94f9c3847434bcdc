using Mrq.Cli;
using Mrq.Cli.Configuration;
using Mrq.Cli.Hosting;
using NUnit.Framework;

namespace Mrq.Tests.Process;

/// <summary>The command line's configuration layers, in process (no child process needed).</summary>
[TestFixture]
[Category("process")]
public sealed class CliConfigurationTests
{
    private string _directory = string.Empty;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "mrq-config-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void BindOptions_Layers_HigherLayerWinsPerKey()
    {
        File.WriteAllText(Path.Combine(_directory, "mrq.json"), """{"greenlets": 2, "max_jobs": 5, "dequeue_strategy": "parallel", "task_blacklist": ["a.B"]}""");
        var configuration = CliConfiguration.Load(
            null,
            new Dictionary<string, string?> { ["max_jobs"] = "6" },
            _directory,
            new Dictionary<string, string?> { ["MRQ_GREENLETS"] = "3", ["MRQ_MAX_JOBS"] = "4", ["OTHER_GREENLETS"] = "99" });

        var options = configuration.BindOptions();

        Assert.That(options.Greenlets, Is.EqualTo(3));
        Assert.That(options.MaxJobs, Is.EqualTo(6));
        Assert.That(options.DequeueStrategy, Is.EqualTo(Mrq.Configuration.DequeueStrategy.Parallel));
        Assert.That(options.TaskBlacklist, Is.EqualTo(new[] { "a.B" }));
        Assert.That(options.Queues, Is.EqualTo(new[] { "default" }));
    }

    [Test]
    public void GetList_StringOrArrayPerLayer_HighestLayerReplacesLowerOnes()
    {
        File.WriteAllText(Path.Combine(_directory, "mrq.json"), """{"queues": ["f1", "f2", "f3"], "task_whitelist": ["w"]}""");
        var configuration = CliConfiguration.Load(
            null,
            new Dictionary<string, string?> { ["task_whitelist:0"] = "flag" },
            _directory,
            new Dictionary<string, string?> { ["MRQ_QUEUES"] = "e1, e2" });

        Assert.That(configuration.GetList("queues"), Is.EqualTo(new[] { "e1", "e2" }));
        Assert.That(configuration.GetList("task_whitelist"), Is.EqualTo(new[] { "flag" }));
        Assert.That(configuration.GetList("task_blacklist"), Is.Null);
        Assert.That(configuration.BindOptions().Queues, Is.EqualTo(new[] { "e1", "e2" }));
    }

    [Test]
    public void Load_UnknownKeyInFile_IsAUsageErrorNamingIt()
    {
        File.WriteAllText(Path.Combine(_directory, "mrq.json"), """{"greenletz": 2, "storage": "jobs.db"}""");

        var error = Assert.Throws<CliUsageException>(() => CliConfiguration.Load(null, new Dictionary<string, string?>(), _directory, new Dictionary<string, string?>()));

        Assert.That(error!.Message, Does.Contain("mrq.json").And.Contain("'greenletz'").And.Contain("did you mean 'greenlets'"));
    }

    [Test]
    public void Load_UnknownEnvironmentVariable_Ignored()
    {
        var configuration = CliConfiguration.Load(null, new Dictionary<string, string?>(), _directory, new Dictionary<string, string?> { ["MRQ_TEST_WORKER_CMD"] = "x", ["MRQ_GREENLETS"] = "4" });

        Assert.That(configuration.BindOptions().Greenlets, Is.EqualTo(4), "other tools' MRQ_* variables are not errors");
    }

    [Test]
    public void BindOptions_DotNetNamesInFile_Bind()
    {
        File.WriteAllText(Path.Combine(_directory, "mrq.json"), """{"Greenlets": 2, "MaxJobs": 5}""");

        var options = CliConfiguration.Load(null, new Dictionary<string, string?>(), _directory, new Dictionary<string, string?>()).BindOptions();

        Assert.That(options.Greenlets, Is.EqualTo(2));
        Assert.That(options.MaxJobs, Is.EqualTo(5));
    }

    [Test]
    public void Sources_NameTheLayerThatSetEachKey()
    {
        File.WriteAllText(Path.Combine(_directory, "mrq.json"), """{"greenlets": 2, "max_jobs": 5, "queues": ["a"], "storage": "f.db"}""");
        var configuration = CliConfiguration.Load(
            null,
            new Dictionary<string, string?> { ["max_jobs"] = "6" },
            _directory,
            new Dictionary<string, string?> { ["MRQ_GREENLETS"] = "3" });

        var sources = configuration.Sources();

        Assert.That(sources["greenlets"], Is.EqualTo("environment"));
        Assert.That(sources["max_jobs"], Is.EqualTo("flag"));
        Assert.That(sources["queues"], Is.EqualTo("file"));
        Assert.That(sources["storage"], Is.EqualTo("file"));
        Assert.That(sources.ContainsKey("max_time"), Is.False, "defaults are not listed");
    }

    [Test]
    public void BindOptions_WrongType_IsAUsageError()
    {
        var configuration = CliConfiguration.Load(null, new Dictionary<string, string?>(), _directory, new Dictionary<string, string?> { ["MRQ_GREENLETS"] = "many" });

        var error = Assert.Throws<CliUsageException>(() => configuration.BindOptions());

        Assert.That(error!.Message, Does.Contain("greenlets"));
    }

    [Test]
    public void StorageChoice_Defaults_LiteDbFileInCurrentDirectory()
    {
        var configuration = CliConfiguration.Load(null, new Dictionary<string, string?>(), _directory, new Dictionary<string, string?>());

        var storage = StorageChoice.From(configuration, _directory);

        Assert.That(storage.IsDistributed, Is.False);
        Assert.That(storage.LiteDbPath, Is.EqualTo(Path.Combine(_directory, "mrq.db")));
    }

    [Test]
    public void StorageChoice_OnlyOneDistributedUrl_IsAUsageError()
    {
        var configuration = CliConfiguration.Load(null, new Dictionary<string, string?>(), _directory, new Dictionary<string, string?> { ["MRQ_REDIS"] = "redis://127.0.0.1:6390" });

        var error = Assert.Throws<CliUsageException>(() => StorageChoice.From(configuration, _directory));

        Assert.That(error!.Message, Does.Contain("--mongodb-jobs"));
    }

    [Test]
    public void StorageChoice_Distributed_DescribedWithoutPasswords()
    {
        var configuration = CliConfiguration.Load(
            null,
            new Dictionary<string, string?> { ["mongodb_jobs"] = "mongodb://user:s3cret@db:27017/mrq", ["redis"] = "redis://:hunter2@cache:6379/1", ["redis_prefix"] = "p" },
            _directory,
            new Dictionary<string, string?>());

        var storage = StorageChoice.From(configuration, _directory);

        Assert.That(storage.IsDistributed, Is.True);
        Assert.That(storage.ToString(), Does.Not.Contain("s3cret").And.Not.Contain("hunter2"));
        Assert.That(storage.ToString(), Does.Contain("mongodb://user:***@db:27017/mrq").And.Contain("redis://:***@cache:6379/1"));
    }

    [TestCase("redis://127.0.0.1:6379", "redis://127.0.0.1:6379")]
    [TestCase("redis://:pw@host/0", "redis://:***@host/0")]
    [TestCase("redis://pw@host", "redis://***@host")]
    [TestCase("mongodb://u:p@h1,h2/db?x=1", "mongodb://u:***@h1,h2/db?x=1")]
    [TestCase("not a url", "not a url")]
    public void UrlText_Redact_HidesPasswords(string url, string expected) =>
        Assert.That(UrlText.Redact(url), Is.EqualTo(expected));

    [Test]
    public async Task MrqCli_ParseErrors_ExitWith2AndOneLinePerError()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(output, error, IsInteractive: false, new Dictionary<string, string?>());

        var code = await MrqCli.RunAsync(["worker", "--dequeue-strategy", "random"], console);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.ToString(), Does.StartWith("mrq: ").And.Contain("random"));
        Assert.That(output.ToString(), Is.Empty);
    }
}
