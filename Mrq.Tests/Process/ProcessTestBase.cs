using NUnit.Framework;

namespace Mrq.Tests.Process;

/// <summary>
/// A temporary directory per test with a LiteDB file, and helpers to run the real <c>mrq</c> command in it with the
/// sample tasks (Mrq.Samples). Every process a test starts is killed at teardown if still running.
/// </summary>
public abstract class ProcessTestBase
{
    private readonly List<MrqCliProcess> _processes = [];

    /// <summary>The test's directory (the processes' current directory).</summary>
    protected string Directory { get; private set; } = string.Empty;

    /// <summary>The test's LiteDB file.</summary>
    internal JobsDatabase Db { get; private set; } = null!;

    /// <summary>The sample tasks assembly, given to <c>mrq</c> with <c>--tasks</c>.</summary>
    protected static string SamplesDll => typeof(Mrq.Samples.SampleHost).Assembly.Location;

    [SetUp]
    public void CreateDirectory()
    {
        Directory = Path.Combine(Path.GetTempPath(), "mrq-process-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Db = new JobsDatabase(Path.Combine(Directory, "jobs.db"));
    }

    [TearDown]
    public async Task CleanUpAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        _processes.Clear();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A killed process may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }

    /// <summary>Starts <c>mrq</c> in the test directory.</summary>
    internal MrqCliProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var process = MrqCliProcess.Start(Directory, environment, args);
        _processes.Add(process);
        return process;
    }

    /// <summary>Starts <c>mrq</c> in the test directory.</summary>
    internal MrqCliProcess Start(params string[] args) => Start(null, args);

    /// <summary>Starts the sample application (<c>Mrq.Samples</c>, a generic host) in the test directory.</summary>
    internal MrqCliProcess StartSamples(params string[] args)
    {
        var process = MrqCliProcess.StartDll(SamplesDll, Directory, null, args);
        _processes.Add(process);
        return process;
    }

    /// <summary>Runs <c>mrq</c> to its end.</summary>
    internal Task<CliResult> RunAsync(params string[] args) => Start(null, args).WaitForExitAsync();

    /// <summary>Runs <c>mrq</c> to its end with extra environment variables.</summary>
    internal Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) => Start(environment, args).WaitForExitAsync();

    /// <summary>A path in the test directory.</summary>
    protected string PathOf(string name) => Path.Combine(Directory, name);
}
