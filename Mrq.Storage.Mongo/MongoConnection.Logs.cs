using MongoDB.Bson;
using MongoDB.Driver;

namespace Mrq.Storage.Mongo;

internal sealed partial class MongoConnection
{
    // NamespaceExists: another worker created the collection first.
    private const int NamespaceExistsCode = 48;

    /// <summary>
    /// Creates <c>mrq_logs</c> as a capped collection of <see cref="MongoStorageOptions.LogsCappedSize"/> bytes when it
    /// does not exist, as MRQ's logger does (mrq/logger.py), so job logs never grow without bound. An existing
    /// collection is left as it is, capped or not: converting it would be a long blocking rewrite.
    /// </summary>
    public async Task EnsureCappedLogsAsync(CancellationToken cancellationToken)
    {
        var existing = await (await Database.ListCollectionNamesAsync(
                new ListCollectionNamesOptions { Filter = new BsonDocument("name", LogsCollection) }, cancellationToken)
            .ConfigureAwait(false)).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (existing.Count > 0)
        {
            return;
        }

        try
        {
            await Database.CreateCollectionAsync(
                LogsCollection, new CreateCollectionOptions { Capped = true, MaxSize = _options.LogsCappedSize }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (MongoCommandException ex) when (ex.Code == NamespaceExistsCode)
        {
            // Created by someone else in between: kept as it is.
        }
    }
}
