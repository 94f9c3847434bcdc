using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mrq.Configuration;
using Mrq.DependencyInjection;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Lifecycle;

/// <summary>
/// Job lifecycle scenarios (delayed, unique, retried with backoff, cancelled while running), run on every backend
/// (one fixture per backend). Clock-driven rules run on a <see cref="FakeTimeProvider"/>, so a test moves time
/// instead of waiting for it.
/// </summary>
[TestFixture("inmemory", Category = "inmemory")]
[TestFixture("litedb", Category = "litedb")]
[TestFixture("distributed", Category = "mongo,redis,distributed")]
public sealed partial class LifecycleTests
{
    private readonly List<MrqTestHost> _hosts = [];
    private readonly TestBackend _backend;

    /// <summary>A fixture on the named backend (see <see cref="TestBackend.Named"/>).</summary>
    public LifecycleTests(string backend)
    {
        _backend = TestBackend.Named(backend);
    }

    [SetUp]
    public Task SetUpBackendAsync() => _backend.SetUpAsync();

    /// <summary>A host on the backend; with <paramref name="clock"/>, every Mrq component reads that clock.</summary>
    internal async Task<MrqTestHost> StartHostAsync(FakeTimeProvider? clock = null, Action<MrqOptions>? options = null, Action<IMrqBuilder>? configure = null)
    {
        var host = await MrqTestHost.StartAsync(_backend.Use, builder =>
        {
            if (clock is not null)
            {
                builder.Services.AddSingleton<TimeProvider>(clock);
            }

            configure?.Invoke(builder);
        }, options);
        _hosts.Add(host);
        return host;
    }

    /// <summary>A controllable clock starting at the real current time (stored dates stay plausible for servers with TTL indexes).</summary>
    internal static FakeTimeProvider NewClock() => new(DateTimeOffset.UtcNow);

    [TearDown]
    public async Task DisposeHostsAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        _hosts.Clear();
        await _backend.CleanupAsync();
    }
}
