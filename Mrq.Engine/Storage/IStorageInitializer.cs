namespace Mrq.Storage;

/// <summary>A storage part with start-up work (connecting, creating indexes, recovering after a crash).</summary>
public interface IStorageInitializer
{
    /// <summary>Runs once before the storage is used.</summary>
    /// <exception cref="MrqStorageException">The backing file or server is unusable; the message names it.</exception>
    ValueTask InitializeAsync(CancellationToken cancellationToken);
}
