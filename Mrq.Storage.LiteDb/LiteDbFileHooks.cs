namespace Mrq.Storage.LiteDb;

/// <summary>
/// Test seams on the file access of a LiteDB storage (set through <see cref="LiteDbStorageOptions"/>, internal):
/// they let a test fail LiteDB's own reads and writes, as a full disk does, without a small file system.
/// </summary>
internal sealed class LiteDbFileHooks
{
    /// <summary>
    /// Wraps the stream LiteDB reads and writes a file through (the data file, then its journal, each time the
    /// storage opens it). When set, the storage opens both files itself and hands LiteDB the wrapped streams.
    /// </summary>
    public Func<string, FileStream, Stream>? WrapStream { get; init; }

    /// <summary>Replaces the free space measured on the file's disk (bytes; null when unknown).</summary>
    public Func<long?>? AvailableSpace { get; init; }
}
