using Mrq.Storage;
using Mrq.Storage.Mongo;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Mongo;

[TestFixture]
[Category("mongo")]
public sealed class MongoJobLogStoreTests : JobLogStoreContract
{
    private MongoTestDatabase? _database;

    protected override async ValueTask<IJobLogStore> CreateAsync()
    {
        _database = await MongoTestDatabase.CreateAsync();
        return new MongoJobLogStore(_database.Connection.Logs);
    }

    protected override async ValueTask DisposePartAsync(IJobLogStore part)
    {
        if (_database is { } database)
        {
            _database = null;
            await database.DisposeAsync();
        }
    }
}
