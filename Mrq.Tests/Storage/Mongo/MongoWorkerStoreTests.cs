using Mrq.Storage;
using Mrq.Storage.Mongo;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Mongo;

[TestFixture]
[Category("mongo")]
public sealed class MongoWorkerStoreTests : WorkerStoreContract
{
    private MongoTestDatabase? _database;

    protected override async ValueTask<IWorkerStore> CreateAsync()
    {
        _database = await MongoTestDatabase.CreateAsync();
        return new MongoWorkerStore(_database.Connection.Workers);
    }

    protected override async ValueTask DisposePartAsync(IWorkerStore part)
    {
        if (_database is { } database)
        {
            _database = null;
            await database.DisposeAsync();
        }
    }
}
