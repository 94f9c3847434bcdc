using NUnit.Framework;

namespace Mrq.Tests.Distributed;

/// <summary>
/// Tests that stop and restart MongoDB under a running worker: a private CongoDB per test (<see cref="Mongo"/>) with a
/// <see cref="DistributedCluster"/> on it (Redis is the shared test server).
/// </summary>
public abstract class PrivateMongoClusterTestBase
{
    private PrivateCongoServer? _mongo;
    private DistributedCluster? _cluster;

    /// <summary>The test's own MongoDB-wire server, which the test may stop and start again.</summary>
    internal PrivateCongoServer Mongo => _mongo ?? throw new InvalidOperationException("The set-up did not run.");

    /// <summary>The storage on it, and the worker processes.</summary>
    internal DistributedCluster Cluster => _cluster ?? throw new InvalidOperationException("The set-up did not run.");

    [SetUp]
    public async Task StartPrivateMongoAsync()
    {
        _mongo = await PrivateCongoServer.StartAsync();
        _cluster = await DistributedCluster.CreateAsync(mongoServerUrl: _mongo.Url);
    }

    [TearDown]
    public async Task StopPrivateMongoAsync()
    {
        // Null when the set-up was ignored (no server).
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
            _cluster = null;
        }

        if (_mongo is not null)
        {
            await _mongo.DisposeAsync();
            _mongo = null;
        }
    }
}
