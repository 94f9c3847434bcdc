using LiteDB;
using LiteDB.Engine;

namespace Mrq.Storage.LiteDb;

internal sealed partial class LiteDbDatabase
{
    /// <summary>
    /// Closes the database a failed write left unusable and opens the file again, on the writer thread (see
    /// <see cref="WriteFailureRecovery"/>). LiteDB keeps the transactions its journal confirms, so what was committed
    /// stays. Jobs left started are not requeued: this process still runs them. Readers on other threads see the new
    /// database from now on (one that was reading the old one gets an error once).
    /// </summary>
    /// <exception cref="Exception">The file cannot be opened yet; the caller tries again later.</exception>
    private LiteDatabase Reopen()
    {
        var broken = _database;
        try
        {
            if (broken is not null)
            {
                BrokenTransactions.Release(broken);
                broken.Dispose();
            }
        }
        catch (Exception)
        {
            // Disposing a broken engine may fail; what matters is the file, opened again below.
        }

        // The fsync handle and the hooked streams belong to the closed database.
        _journal.Dispose();
        DisposeOwnedStreams();

        // A commit cut short can leave a partial last page. LiteDB would crop it when it opens the file, but under an
        // exclusive lock that the handle the failed transaction leaked (LiteDB never returns it) would refuse.
        CropToWholePages(FilePath);
        CropToWholePages(JournalPath);
        var database = OpenFile();
        _collections = CollectionsOf(database);
        _database = database;
        return database;
    }

    /// <summary>Truncates a file to a whole number of LiteDB pages, through a handle that shares the file.</summary>
    private static void CropToWholePages(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(handle);
        if (length % LiteDbHeader.PageSize != 0)
        {
            RandomAccess.SetLength(handle, length - (length % LiteDbHeader.PageSize));
        }
    }

    /// <summary>Free bytes on the file's disk for the current user, null when the system cannot tell.</summary>
    private long? AvailableSpace()
    {
        if (_options.Hooks?.AvailableSpace is { } hook)
        {
            return hook();
        }

        try
        {
            return new DriveInfo(System.IO.Path.GetDirectoryName(FilePath)!).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Opens the file and its journal through the test hook's streams (see <see cref="LiteDbFileHooks"/>).</summary>
    private LiteDatabase OpenThroughStreams(Func<string, FileStream, Stream> wrap, Collation collation)
    {
        Stream Open(string path)
        {
            var stream = wrap(path, new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite));
            _ownedStreams.Add(stream);
            return stream;
        }

        var settings = new EngineSettings { DataStream = Open(FilePath), LogStream = Open(JournalPath), Collation = collation };
        return new LiteDatabase(new LiteEngine(settings));
    }

    private void DisposeOwnedStreams()
    {
        foreach (var stream in _ownedStreams)
        {
            stream.Dispose();
        }

        _ownedStreams.Clear();
    }
}
