using Mrq.Configuration;
using Mrq.DependencyInjection;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.Acceptance;

/// <summary>
/// MRQ's acceptance scenarios (reference §3.1), run on every backend: each fixture supplies the storage.
/// Split into partials by area.
/// </summary>
public abstract partial class AcceptanceTestBase
{
    private readonly List<MrqTestHost> _hosts = [];

    /// <summary>Configures the backend under test (a fresh, empty storage per call).</summary>
    protected abstract void UseStorage(IMrqBuilder builder);

    /// <summary>Removes what the last storage left behind.</summary>
    protected virtual ValueTask CleanupStorageAsync() => ValueTask.CompletedTask;

    internal async Task<MrqTestHost> StartHostAsync(Action<MrqOptions>? options = null, Action<IMrqBuilder>? configure = null)
    {
        var host = await MrqTestHost.StartAsync(UseStorage, configure, options);
        _hosts.Add(host);
        return host;
    }

    [TearDown]
    public async Task DisposeHostsAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        _hosts.Clear();
        await CleanupStorageAsync();
    }
}
