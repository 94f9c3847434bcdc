using LiteDB;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// The one open LiteDB file of a storage: opened, checked and recovered by <see cref="InitializeAsync"/>, written
/// only through the group-commit <see cref="LiteDbWriter"/>, read directly (LiteDB reads are thread-safe and see the
/// last commit). Every part of the LiteDB storage shares this object.
/// </summary>
internal sealed partial class LiteDbDatabase : IStorageInitializer, IAsyncDisposable
{
    /// <summary>EROFS, as .NET reports it on Unix.</summary>
    private const int ReadOnlyFileSystem = 30;

    private readonly LiteDbStorageOptions _options;
    private bool _createdLockFile;
    // Replaced by the writer thread when it reopens the file after an I/O failure; read by any thread.
    private volatile LiteDatabase? _database;
    private LiteDbWriter? _writer;
    private FileStream? _lockFile;
    private readonly JournalFlusher _journal;
    private readonly List<Stream> _ownedStreams = [];
    private readonly List<Action> _commitHandlers = [];
    private readonly List<Action> _rollbackHandlers = [];
    private volatile Dictionary<string, ILiteCollection<BsonDocument>> _collections = [];
    private int _disposed;

    public LiteDbDatabase(LiteDbStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path, nameof(options));
        _options = options;
        FilePath = System.IO.Path.GetFullPath(options.Path);
        _journal = new JournalFlusher(JournalPathOf(FilePath));
        Time = options.TimeProvider ?? TimeProvider.System;
    }

    /// <summary>The full path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>LiteDB's journal of the file (<c>&lt;name&gt;-log&lt;ext&gt;</c>).</summary>
    public string JournalPath => JournalPathOf(FilePath);

    /// <summary>LiteDB's journal of a data file: <c>&lt;name&gt;-log&lt;ext&gt;</c> beside it.</summary>
    public static string JournalPathOf(string filePath) => System.IO.Path.Combine(
        System.IO.Path.GetDirectoryName(filePath)!,
        System.IO.Path.GetFileNameWithoutExtension(filePath) + "-log" + System.IO.Path.GetExtension(filePath));

    /// <summary>The storage's clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>The open database, for reads.</summary>
    /// <exception cref="InvalidOperationException">The storage is not initialized.</exception>
    public LiteDatabase Database => _database ?? throw NotOpen();

    /// <summary>A collection of the open database (one of <see cref="LiteDbCollections"/>).</summary>
    /// <exception cref="InvalidOperationException">The storage is not initialized.</exception>
    public ILiteCollection<BsonDocument> Collection(string name) =>
        _database is null ? throw NotOpen() : _collections.TryGetValue(name, out var collection) ? collection : Database.GetCollection(name);

    private static Dictionary<string, ILiteCollection<BsonDocument>> CollectionsOf(LiteDatabase database) =>
        typeof(LiteDbCollections)
            .GetFields()
            .Select(field => (string)field.GetValue(null)!)
            .ToDictionary(name => name, name => database.GetCollection(name, name == LiteDbCollections.Logs ? BsonAutoId.Int64 : BsonAutoId.ObjectId));

    /// <summary>
    /// Registers handlers run on the writer thread right after each commit and after each rollback, for parts that
    /// keep in-memory state changed inside transactions (publish it, or undo it). They must not throw. Register
    /// before initialization.
    /// </summary>
    public void OnTransactionEnd(Action committed, Action rolledBack)
    {
        _commitHandlers.Add(committed);
        _rollbackHandlers.Add(rolledBack);
    }

    /// <summary>Runs <paramref name="work"/> on the writer thread in a group transaction; completes after commit.</summary>
    public Task<T> WriteAsync<T>(Func<LiteDatabase, T> work, CancellationToken cancellationToken) =>
        (_writer ?? throw NotOpen()).WriteAsync(work, readsOnly: false, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/>, which reads the file but never writes it (it may change in-memory state), on the
    /// writer thread, serialized with the writes; completes after its group commits.
    /// </summary>
    public Task<T> ReadOnWriterAsync<T>(Func<LiteDatabase, T> work, CancellationToken cancellationToken) =>
        (_writer ?? throw NotOpen()).WriteAsync(work, readsOnly: true, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_writer is not null)
        {
            await _writer.StopAsync().ConfigureAwait(false);
        }

        _database?.Dispose();
        _journal.Dispose();
        DisposeOwnedStreams();
        _lockFile?.Dispose();
        _database = null;
    }

    private InvalidOperationException NotOpen() => _disposed != 0
        ? new InvalidOperationException($"The Mrq LiteDB storage '{FilePath}' is disposed.")
        : new InvalidOperationException($"The Mrq LiteDB storage '{FilePath}' is not initialized: call MrqStorage.InitializeAsync first.");
}
