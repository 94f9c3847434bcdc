using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace Mrq.Tests.Engine;

/// <summary>AddMrq leaves the application's logging alone, whichever is registered first.</summary>
[TestFixture]
[Category("engine")]
public sealed class HostingLoggingTests
{
    [Test]
    public void AddMrqBeforeAddLogging_AppLoggingStillReachesItsProviders()
    {
        var provider = new CapturingProvider();
        var services = new ServiceCollection();
        services.AddMrq(b => b.UseInMemoryStorage());
        services.AddLogging(b => b.AddProvider(provider));
        using var sp = services.BuildServiceProvider();

        sp.GetRequiredService<ILoggerFactory>().CreateLogger("App").LogWarning("hello from the app");

        Assert.That(provider.Messages, Does.Contain("hello from the app"));
    }

    [Test]
    public void AddMrqAlone_ResolvesAWorkingLoggerFactory()
    {
        var services = new ServiceCollection();
        services.AddMrq(b => b.UseInMemoryStorage());
        using var sp = services.BuildServiceProvider();

        Assert.That(sp.GetRequiredService<ILoggerFactory>().CreateLogger("App"), Is.Not.Null);
        Assert.That(sp.GetRequiredService<ILogger<HostingLoggingTests>>(), Is.Not.Null, "the generic ILogger<T> is registered too");
    }

    private sealed class CapturingProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(Messages);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception));
        }
    }
}
