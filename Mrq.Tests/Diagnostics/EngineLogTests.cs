using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Mrq.Storage;
using Mrq.Tests.Faults;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Diagnostics;

/// <summary>The worker's recurring messages go through the source-generated <c>EngineLog</c>: stable event ids, the exception attached.</summary>
[TestFixture]
[Category("inmemory")]
public sealed class EngineLogTests
{
    [Test]
    public async Task A_failed_claim_is_logged_with_its_event_id_and_exception()
    {
        var faults = new StorageFaults();
        faults.On<IJobStore>(nameof(IJobStore.ClaimAsync)).Times(1).Throws(() => new MrqStorageException("claim refused for the test"));
        var log = new EventCapture();
        await using var host = await MrqTestHost.StartAsync(b =>
        {
            b.UseInMemoryStorage();
            faults.WrapAll(b);
        }, b => b.Services.AddSingleton<ILoggerProvider>(log));
        var id = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 1 });
        host.StartWorker();
        await Wait.ForEndAsync(host.Client, id);

        var entry = log.Entries.Single(e => e.Id.Id == 200);
        Assert.Multiple(() =>
        {
            Assert.That(entry.Id.Name, Is.EqualTo("ClaimFailed"));
            Assert.That(entry.Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(entry.Message, Does.StartWith("Claiming jobs failed; retrying in "));
            Assert.That(entry.Exception?.Message, Is.EqualTo("claim refused for the test"));
        });
    }

    private sealed class EventCapture : ILoggerProvider, ILogger
    {
        private readonly List<(EventId Id, LogLevel Level, string Message, Exception? Exception)> _entries = [];

        public IReadOnlyList<(EventId Id, LogLevel Level, string Message, Exception? Exception)> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries)
            {
                _entries.Add((eventId, logLevel, formatter(state, exception), exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
