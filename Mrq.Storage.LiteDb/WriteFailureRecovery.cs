using LiteDB;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// What the writer does once a write fails with an I/O error, a full disk above all. LiteDB 5's engine is unusable
/// after a failed commit (every later write fails with "page must be writable"), so the file is reopened at once:
/// LiteDB keeps only the transactions its journal confirms, so what was committed stays and the failed one is gone.
/// While the failure lasts, writes are refused with a clear error without reaching LiteDB (each failed commit costs
/// a close and reopen of the file), until free space grows on the file's disk or a doubling backoff elapses.
/// Used only on the writer thread.
/// </summary>
internal sealed class WriteFailureRecovery
{
    /// <summary>ENOSPC as .NET reports it on Linux and macOS.</summary>
    private const int NoSpaceLeft = 28;

    /// <summary>ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL as HRESULTs (Windows).</summary>
    private const int DiskFullWindows = unchecked((int)0x80070070);
    private const int HandleDiskFullWindows = unchecked((int)0x80070027);

    /// <summary>Free space that must appear on the disk before a write is tried again ahead of the backoff.</summary>
    private const long SpaceMargin = 64 * 1024;

    private static readonly TimeSpan s_firstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(30);

    private readonly string _filePath;
    private readonly Func<LiteDatabase> _reopen;
    private readonly Func<long?> _availableSpace;
    private Exception? _cause;
    private bool _reopened;
    private long? _spaceAfterFailure;
    private long _retryAt;
    private TimeSpan _backoff = s_firstBackoff;

    /// <param name="filePath">The database file, named in errors.</param>
    /// <param name="reopen">Closes the broken database and opens the file again (on the writer thread).</param>
    /// <param name="availableSpace">Free bytes on the file's disk, null when unknown.</param>
    public WriteFailureRecovery(string filePath, Func<LiteDatabase> reopen, Func<long?> availableSpace)
    {
        _filePath = filePath;
        _reopen = reopen;
        _availableSpace = availableSpace;
    }

    /// <summary>A write failed with an I/O error and writes have not succeeded since.</summary>
    public bool Failing => _cause is not null;

    /// <summary>True when <paramref name="failure"/> (or its cause) is an I/O error, after which the engine is unusable.</summary>
    public static bool IsIoFailure(Exception failure) => Causes(failure).Any(e => e is IOException);

    /// <summary>True when <paramref name="failure"/> (or its cause) says the disk is full.</summary>
    public static bool IsDiskFull(Exception failure) => Causes(failure).Any(e => e is IOException io && (
        io.HResult is NoSpaceLeft or DiskFullWindows or HandleDiskFullWindows ||
        io.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase) ||
        io.Message.Contains("not enough space on the disk", StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// Records an I/O failure and reopens the file. Returns the reopened database, or null when it could not be
    /// reopened (it is tried again before the next write).
    /// </summary>
    public LiteDatabase? Failed(Exception failure)
    {
        _backoff = _cause is null ? s_firstBackoff : TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, s_maxBackoff.Ticks));
        _cause = failure;
        _reopened = false;
        var database = TryReopen();
        // Measured after the reopen, which crops what the failed commit half wrote.
        _spaceAfterFailure = _availableSpace();
        _retryAt = Environment.TickCount64 + (long)_backoff.TotalMilliseconds;
        return database;
    }

    /// <summary>
    /// While failing: whether a write may be tried now (space was freed or the backoff elapsed), reopening the file
    /// first when the last reopen failed. <paramref name="database"/> is replaced when it was reopened.
    /// </summary>
    public bool MayWrite(ref LiteDatabase database)
    {
        if (_cause is null)
        {
            return true;
        }

        if (Environment.TickCount64 < _retryAt && !SpaceFreed())
        {
            return false;
        }

        if (!_reopened)
        {
            if (TryReopen() is not { } reopened)
            {
                _retryAt = Environment.TickCount64 + (long)_backoff.TotalMilliseconds;
                return false;
            }

            database = reopened;
        }

        return true;
    }

    /// <summary>Whether the database is open and usable for operations that do not write (reads on the writer thread).</summary>
    public bool CanRead => _cause is null || _reopened;

    /// <summary>A write committed: the failure is over.</summary>
    public void Succeeded()
    {
        _cause = null;
        _backoff = s_firstBackoff;
    }

    /// <summary>The error a write gets while the failure lasts (a new instance per caller).</summary>
    public MrqStorageException Error()
    {
        var cause = _cause ?? new IOException("unknown I/O error");
        if (IsDiskFull(cause))
        {
            return new MrqStorageException(
                $"The Mrq LiteDB file '{_filePath}' cannot be written: no space left on device. What was saved is kept; " +
                "writes resume by themselves once space is freed on its disk.",
                cause);
        }

        var io = Causes(cause).FirstOrDefault(e => e is IOException) ?? cause;
        return new MrqStorageException(
            $"The Mrq LiteDB file '{_filePath}' could not be written ({io.GetType().Name}: {io.Message}). What was saved is " +
            "kept; the file is reopened and writes are tried again.",
            cause);
    }

    private LiteDatabase? TryReopen()
    {
        try
        {
            var database = _reopen();
            _reopened = true;
            return database;
        }
        catch (Exception)
        {
            // Still failing (the file cannot be opened yet): the write failure stays the error callers see, and
            // the reopen is tried again after the backoff.
            return null;
        }
    }

    private bool SpaceFreed() =>
        _spaceAfterFailure is { } before && _availableSpace() is { } now && now >= before + SpaceMargin;

    private static IEnumerable<Exception> Causes(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
