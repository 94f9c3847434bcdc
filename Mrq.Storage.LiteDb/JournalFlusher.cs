namespace Mrq.Storage.LiteDb;

/// <summary>
/// fsyncs LiteDB's journal (<c>&lt;name&gt;-log&lt;ext&gt;</c>) after a commit. fsync is per file, not per handle: a handle
/// of our own flushes the pages LiteDB just wrote through its handle. Nothing to flush before the journal exists.
/// </summary>
internal sealed class JournalFlusher(string journalPath) : IDisposable
{
    private FileStream? _journal;

    /// <summary>Flushes the journal to the disk; opens it on first use.</summary>
    public void Flush()
    {
        if (_journal is null)
        {
            if (!File.Exists(journalPath))
            {
                return;
            }

            _journal = new FileStream(journalPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }

        _journal.Flush(flushToDisk: true);
    }

    /// <summary>Closes the handle; a later <see cref="Flush"/> opens it again (after the file was reopened).</summary>
    public void Dispose()
    {
        _journal?.Dispose();
        _journal = null;
    }
}
