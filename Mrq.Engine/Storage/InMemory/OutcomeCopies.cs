using System.Text.Json.Nodes;
using Mrq.Jobs;

namespace Mrq.Storage.InMemory;

/// <summary>
/// The store's own copies of what a batch of outcomes carries (records to insert, results), made before the lock is
/// taken. The arrays exist only when some outcome carries something, so a batch of bare outcomes allocates nothing.
/// </summary>
/// <param name="count">The number of outcomes in the batch.</param>
internal struct OutcomeCopies(int count)
{
    private JobRecord?[]? _inserts;
    private JsonNode?[]? _results;

    /// <summary>Sets the record to insert for outcome <paramref name="index"/>.</summary>
    public void SetInsert(int index, JobRecord record) => (_inserts ??= new JobRecord?[count])[index] = record;

    /// <summary>Sets the frozen result of outcome <paramref name="index"/>.</summary>
    public void SetResult(int index, JsonNode? result) => (_results ??= new JsonNode?[count])[index] = result;

    /// <summary>The record to insert for outcome <paramref name="index"/>, if any.</summary>
    public readonly JobRecord? Insert(int index) => _inserts?[index];

    /// <summary>The frozen result of outcome <paramref name="index"/>, if any.</summary>
    public readonly JsonNode? Result(int index) => _results?[index];
}
