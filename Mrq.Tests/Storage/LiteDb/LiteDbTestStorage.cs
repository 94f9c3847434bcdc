using System.Globalization;
using LiteDB;
using Mrq.Storage;
using Mrq.Storage.LiteDb;

namespace Mrq.Tests.Storage.LiteDb;

/// <summary>A LiteDB storage on a fresh file in its own temporary folder, deleted on dispose.</summary>
internal sealed class LiteDbTestStorage : IAsyncDisposable
{
    private LiteDbTestStorage(string folder, MrqStorage storage)
    {
        Folder = folder;
        Storage = storage;
    }

    /// <summary>The temporary folder holding the file.</summary>
    public string Folder { get; }

    /// <summary>The database file.</summary>
    public string FilePath => Path.Combine(Folder, "jobs.db");

    /// <summary>The initialized storage.</summary>
    public MrqStorage Storage { get; private set; }

    /// <summary>A new empty folder for a test's files.</summary>
    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mrq-litedb-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Builds a (not yet initialized) storage on <paramref name="filePath"/>.</summary>
    public static MrqStorage Build(string filePath, Action<LiteDbStorageOptions>? configure = null)
    {
        var options = new LiteDbStorageOptions { Path = filePath };
        configure?.Invoke(options);
        var parts = new MrqStorageParts();
        LiteDbStorage.AddTo(parts, options);
        return parts.Build();
    }

    /// <summary>Creates and initializes a storage on a new file.</summary>
    public static async Task<LiteDbTestStorage> CreateAsync(Action<LiteDbStorageOptions>? configure = null)
    {
        var folder = NewFolder();
        var storage = Build(Path.Combine(folder, "jobs.db"), configure);
        await storage.InitializeAsync();
        return new LiteDbTestStorage(folder, storage);
    }

    /// <summary>Closes the storage and opens the same file again (as a restarted process would).</summary>
    public async Task ReopenAsync()
    {
        await Storage.DisposeAsync();
        Storage = Build(FilePath);
        await Storage.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Storage.DisposeAsync();
        DeleteFolder(Folder);
    }

    /// <summary>Deletes a test folder, ignoring files still held (the OS frees them with the process).</summary>
    public static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Opens a storage's file with LiteDB directly (the storage closed), with the collation Mrq uses.</summary>
    public static LiteDatabase OpenFile(string path) => new(new ConnectionString
    {
        Filename = path,
        Connection = ConnectionType.Direct,
        Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
    });
}
