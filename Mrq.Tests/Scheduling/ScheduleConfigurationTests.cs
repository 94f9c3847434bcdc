using Microsoft.Extensions.Configuration;
using Mrq.Configuration;
using Mrq.Scheduling;
using NUnit.Framework;

namespace Mrq.Tests.Scheduling;

/// <summary>Scheduler entries from configuration, and the invalid ones a worker refuses at start (MRQ's check_config_integrity and more).</summary>
[TestFixture]
[Category("engine")]
public sealed class ScheduleConfigurationTests
{
    [Test]
    public void JsonFile_EntriesRead_ParamsKeepTheirTypes()
    {
        var options = Bind("""
            {"scheduler": true, "scheduler_interval": 5, "scheduler_tasks": [
              {"path": "tests.Ping", "interval": 60, "params": {"n": 1, "s": "x", "ok": true, "list": [1, 2], "sub": {"f": 1.5}}, "queue": "q"},
              {"path": "tests.Daily", "dailytime": "12:30", "weekday": 0},
              {"path": "tests.Cron", "cron": "0 3 * * *", "timezone": "Europe/Paris", "catchup": "all"}
            ]}
            """);

        Assert.That((options.Scheduler, options.SchedulerInterval), Is.EqualTo((true, 5.0)));
        Assert.That(options.SchedulerTasks.Select(ScheduleHash.Compute), Is.EqualTo(new[]
        {
            "tests.Ping 60 None None None q [[\"list\",[1,2]],[\"n\",1],[\"ok\",true],[\"s\",\"x\"],[\"sub\",{\"f\":1.5}]]",
            "tests.Daily None 12:30:00 0 None None None",
            "tests.Cron None None None None None None cron=0 3 * * * timezone=Europe/Paris catchup=all",
        }));
    }

    [Test]
    public void AppSettingsSection_DotNetNames() =>
        Assert.That(
            Bind("""{"Mrq": {"Scheduler": true, "SchedulerTasks": [{"Path": "tests.Ping", "Interval": 30}]}}""", "Mrq").SchedulerTasks.Single().Interval,
            Is.EqualTo(30));

    [Test]
    public void UnknownKeyInEntry_RefusedNamingIt()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Bind("""{"scheduler_tasks": [{"path": "tests.Ping", "intervall": 60}]}"""));

        Assert.That(ex!.Message, Does.Contain("'scheduler_tasks:0:intervall' (did you mean 'interval'?)"));
    }

    [TestCase("""{"path": "a", "dailytime": "25:00"}""", "scheduler_tasks:0:dailytime must be a time of day")]
    [TestCase("""{"path": "a", "interval": "often"}""", "scheduler_tasks:0:interval must be a number of seconds")]
    [TestCase("""{"path": "a", "cron": "* * * * *", "catchup": "some"}""", "scheduler_tasks:0:catchup must be none, once or all")]
    public void WrongValueType_RefusedNamingTheKey(string entry, string message)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Bind($$"""{"scheduler_tasks": [{{entry}}]}"""));

        Assert.That(ex!.Message, Does.StartWith(message));
    }

    [TestCase("""{"path": "a", "interval": 60}, {"path": "a", "interval": 60}""", "scheduler_tasks[1] a (interval 60): duplicate of scheduler_tasks[0]")]
    [TestCase("""{"path": "a", "interval": 60, "weekday": 1}""", "scheduler_tasks[0] a (interval 60): weekday needs a dailytime.")]
    [TestCase("""{"path": "a", "monthday": 1}""", "scheduler_tasks[0] a (no timing): monthday needs a dailytime.")]
    [TestCase("""{"path": "a", "queue": "q"}""", "scheduler_tasks[0] a (no timing): no timing key")]
    [TestCase("""{"path": "a", "cron": "61 * * * *"}""", "scheduler_tasks[0] a (cron '61 * * * *'): cron '61 * * * *' is not valid")]
    [TestCase("""{"path": "a", "cron": "* * *"}""", "scheduler_tasks[0] a (cron '* * *'): cron '* * *' has 3 fields")]
    [TestCase("""{"path": "a", "cron": "* * * * *", "timezone": "Mars/Olympus"}""", "scheduler_tasks[0] a (cron '* * * * *'): timezone 'Mars/Olympus' is not a known time zone id")]
    [TestCase("""{"path": "a", "cron": "* * * * *", "interval": 5}""", "scheduler_tasks[0] a (cron '* * * * *'): cron cannot be combined")]
    [TestCase("""{"path": "a", "dailytime": "10:00", "weekday": 7}""", "scheduler_tasks[0] a (dailytime 10:00:00, weekday 7): weekday must be 0 (Monday) to 6 (Sunday).")]
    [TestCase("""{"path": "", "interval": 5}""", "scheduler_tasks[0]  (interval 5): path is empty.")]
    [TestCase("""{"path": "a", "interval": -5}""", "scheduler_tasks[0] a (interval -5): interval must be a positive number of seconds.")]
    public void InvalidEntry_RefusedAtStartNamingTheEntry(string entries, string message)
    {
        var options = Bind($$"""{"scheduler_tasks": [{{entries}}]}""");

        var errors = MrqOptionsValidator.Errors(options);

        Assert.That(errors, Has.Some.StartsWith(message), string.Join(" | ", errors));
    }

    [Test]
    public void ValidEntries_NoError() =>
        Assert.That(MrqOptionsValidator.Errors(Bind("""{"scheduler_tasks": [{"path": "a", "interval": 60}, {"path": "a", "interval": 61}, {"path": "b", "cron": "0 0 * * 1-5"}]}""")), Is.Empty);

    private static MrqOptions Bind(string json, string? section = null)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        var options = new MrqOptions();
        MrqConfigurationKeys.Bind(section is null ? configuration : configuration.GetSection(section), options);
        return options;
    }
}
