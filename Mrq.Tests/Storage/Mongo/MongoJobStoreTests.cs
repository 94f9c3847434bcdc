using Mrq.Storage;
using Mrq.Storage.Mongo;
using Mrq.Tests.Storage.Contract;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Mongo;

[TestFixture]
[Category("mongo")]
public sealed class MongoJobStoreTests : JobStoreContract
{
    private MongoTestDatabase? _database;

    protected override async ValueTask<IJobStore> CreateAsync()
    {
        _database = await MongoTestDatabase.CreateAsync();
        return new MongoJobStore(_database.Connection.Jobs);
    }

    protected override async ValueTask DisposePartAsync(IJobStore part)
    {
        if (_database is { } database)
        {
            _database = null;
            await database.DisposeAsync();
        }
    }
}
