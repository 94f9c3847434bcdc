using System.Globalization;
using LiteDB;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

internal sealed partial class LiteDbDatabase
{
    /// <summary>
    /// Takes the file's exclusive lock, opens and checks the file, creates the indexes and requeues the jobs a dead
    /// process left <c>started</c>. Idempotent.
    /// </summary>
    /// <exception cref="MrqStorageException">The file is used by another process or storage, or is not a usable LiteDB file.</exception>
    public ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_writer is not null)
        {
            return ValueTask.CompletedTask;
        }

        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            _lockFile = AcquireFileLock();
            _database = OpenFile();
            EnsureIndexes(_database);
            RequeueStartedJobs(_database);
            var database = _database;
            _collections = CollectionsOf(database);
            var committed = _commitHandlers.ToArray();
            var rolledBack = _rollbackHandlers.ToArray();
            _writer = new LiteDbWriter(
                database,
                new WriteFailureRecovery(FilePath, Reopen, AvailableSpace),
                _options.FlushToDisk ? FlushJournal : null,
                () => Array.ForEach(committed, handler => handler()),
                () => Array.ForEach(rolledBack, handler => handler()),
                new IdleCheckpoint(JournalPath));
        }
        catch
        {
            _database?.Dispose();
            _database = null;
            DisposeOwnedStreams();
            ReleaseRefusedLockFile();
            throw;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// LiteDB's direct mode does not stop a second opener (even another process) from writing the same file, which
    /// would corrupt it, so the storage holds an exclusive OS lock on a side file for as long as it is open. The
    /// folder must exist (a mistyped path is an error, never a new folder), and a lock file this call created is
    /// removed again when the file is then refused, so a refused path is left as it was.
    /// </summary>
    private FileStream AcquireFileLock()
    {
        var lockPath = FilePath + "-lock";
        var folder = System.IO.Path.GetDirectoryName(FilePath)!;
        if (!Directory.Exists(folder))
        {
            throw new MrqStorageException($"The Mrq LiteDB file '{FilePath}' cannot be opened: the folder '{folder}' does not exist.");
        }

        _createdLockFile = !File.Exists(lockPath);
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is UnauthorizedAccessException || (e is IOException io && IsReadOnlyFileSystem(io)))
        {
            throw CannotWrite(lockPath, e);
        }
        catch (IOException e)
        {
            throw new MrqStorageException(
                $"The Mrq LiteDB file '{FilePath}' is already open in another process (or by another storage in this process): " +
                $"its lock file '{lockPath}' is held. One LiteDB file serves one process; to share queues between several " +
                "processes or machines, use distributed mode (UseMongo + UseRedis; mrq --mongodb-jobs <url> --redis <url>).",
                e);
        }
    }

    /// <summary>Removes the lock file when this storage created it and then refused the file.</summary>
    private void ReleaseRefusedLockFile()
    {
        if (_lockFile is null)
        {
            return;
        }

        if (_createdLockFile)
        {
            // Deleted while still held, so no other opener can have taken it in between.
            File.Delete(_lockFile.Name);
        }

        _lockFile.Dispose();
        _lockFile = null;
    }

    private MrqStorageException CannotWrite(string path, Exception cause) => new(
        $"The Mrq LiteDB file '{FilePath}' cannot be opened for writing: {ReadOnlyReason(path, cause)}.", cause);

    private static bool IsReadOnlyFileSystem(IOException error) =>
        error.HResult == ReadOnlyFileSystem || error.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase);

    private static string ReadOnlyReason(string path, Exception cause) => cause switch
    {
        IOException io when IsReadOnlyFileSystem(io) => $"'{path}' is on a read-only file system",
        UnauthorizedAccessException => $"'{path}' is read-only or access to it is denied",
        _ => $"'{path}': {cause.Message}",
    };

    private LiteDatabase OpenFile()
    {
        var connection = new ConnectionString
        {
            Filename = FilePath,
            Connection = ConnectionType.Direct,
            Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
        };
        LiteDatabase? database = null;
        try
        {
            RequireLiteDbFileOrEmpty();
            database = _options.Hooks?.WrapStream is { } wrap ? OpenThroughStreams(wrap, connection.Collation) : new LiteDatabase(connection);
            if (database.Collation.SortOptions != CompareOptions.Ordinal)
            {
                throw new MrqStorageException(
                    $"The LiteDB file '{FilePath}' was not created by Mrq (its collation is '{database.Collation}', Mrq needs ordinal comparison).");
            }

            if (!database.UtcDate)
            {
                database.UtcDate = true;
            }

            // Read into every collection so a damaged file fails here, with the file named, rather than mid-work.
            foreach (var name in database.GetCollectionNames().ToList())
            {
                _ = database.GetCollection(name).Query().Limit(1).FirstOrDefault();
            }

            return database;
        }
        catch (UnauthorizedAccessException e)
        {
            database?.Dispose();
            throw CannotWrite(FilePath, e);
        }
        catch (IOException e) when (IsReadOnlyFileSystem(e))
        {
            database?.Dispose();
            throw CannotWrite(FilePath, e);
        }
        catch (Exception e) when (e is LiteException or IOException or InvalidCastException or FormatException or OverflowException or ArgumentException)
        {
            database?.Dispose();
            throw NotLiteDb(e.Message, e);
        }
        catch
        {
            database?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// LiteDB 5 crops a data file to whole pages (taking a partial last page for an unfinished write) and takes a
    /// file cropped to nothing for a new one, which it then overwrites with an empty database. So a file it did not
    /// write must be refused before LiteDB opens it: a file that exists and is not empty must start with a LiteDB 5
    /// header page. A missing or empty (0-byte) file is left to LiteDB, which creates the database in it.
    /// </summary>
    private void RequireLiteDbFileOrEmpty()
    {
        FileStream stream;
        try
        {
            stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (FileNotFoundException)
        {
            return;
        }

        using (stream)
        {
            if (stream.Length == 0)
            {
                return;
            }

            if (stream.Length < LiteDbHeader.PageSize)
            {
                throw NotLiteDb($"{stream.Length} bytes, shorter than one {LiteDbHeader.PageSize}-byte LiteDB page", null);
            }

            var header = new byte[LiteDbHeader.Length];
            stream.ReadExactly(header);
            if (!LiteDbHeader.Matches(header))
            {
                throw NotLiteDb("no LiteDB 5 file header", null);
            }
        }
    }

    private MrqStorageException NotLiteDb(string reason, Exception? cause)
    {
        var message = $"The Mrq LiteDB file '{FilePath}' cannot be opened: it is corrupt or not a LiteDB database ({reason}).";
        return cause is null ? new MrqStorageException(message) : new MrqStorageException(message, cause);
    }

    private static void EnsureIndexes(LiteDatabase database)
    {
        database.GetCollection(LiteDbCollections.Jobs).EnsureIndex(JobFields.StatusKey, JobFields.StatusKeyPath);
        var jobs = database.GetCollection(LiteDbCollections.Jobs);
        jobs.EnsureIndex(JobFields.UniqueKeyIndex, JobFields.UniqueKeyIndexExpression);

        // Files written before the sparse unique key index: their index of every job's key (nulls too) is dropped
        // once, so later inserts stop paying for it.
        jobs.DropIndex(JobFields.FormerUniqueKeyIndex);
        database.GetCollection(LiteDbCollections.Logs, BsonAutoId.Int64).EnsureIndex("job", "$.job");
        database.GetCollection(LiteDbCollections.RawQueues).EnsureIndex(RawQueueKeys.OrderField, "$." + RawQueueKeys.OrderField);
        database.GetCollection(LiteDbCollections.RawQueues).EnsureIndex(RawQueueKeys.MemberKeyField, "$." + RawQueueKeys.MemberKeyField);
        database.GetCollection(LiteDbCollections.KnownSubqueues).EnsureIndex("root", "$.root");
    }

    /// <summary>
    /// The file is exclusive to one process, so a job found <c>started</c> at open belongs to a worker that died
    /// with its process: it is queued again on its queue, keeping its place (datequeued) and retry_count, and counted
    /// in lost_count; a job lost <see cref="WorkerLost.DefaultLimit"/> times ends failed (WorkerLost) instead.
    /// </summary>
    private void RequeueStartedJobs(LiteDatabase database)
    {
        var jobs = database.GetCollection(LiteDbCollections.Jobs);
        var started = jobs.Find(Expressions.Between(JobFields.StatusKey, StatusKey.StatusStart(JobStatus.Started), StatusKey.StatusEnd(JobStatus.Started))).ToList();
        if (started.Count == 0)
        {
            return;
        }

        var now = Time.GetUtcNow().UtcDateTime;
        foreach (var doc in started)
        {
            JobDocuments.MarkLost(doc, WorkerLost.DefaultLimit);
            doc[MrqJobFields.DateUpdated] = now;
            JobDocuments.RefreshStatusKey(doc);
        }

        database.BeginTrans();
        jobs.Update(started);
        database.Commit();
    }

    private void FlushJournal() => _journal.Flush();
}
