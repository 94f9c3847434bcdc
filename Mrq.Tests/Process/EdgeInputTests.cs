using System.Diagnostics;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Mrq.Tests.Process;

/// <summary>Bad or large input at the command line: missing folders, non-LiteDB files, params over the argument limit.</summary>
[TestFixture]
[Category("process")]
public sealed class EdgeInputTests : ProcessTestBase
{
    /// <summary>Longer than Linux's 128 KiB limit for one argument.</summary>
    private const int LargeLength = 200 * 1024;

    private static readonly string s_largeUrl = "https://example.com/" + new string('x', LargeLength);

    [TestCase("run", "--queue", "later", "samples.Add", "{}")]
    [TestCase("jobs")]
    [TestCase("queues")]
    [TestCase("worker", "--max-jobs", "1", "default")]
    public async Task AnyCommand_StorageFolderMissing_ExitsWith2AndCreatesNothing(params string[] command)
    {
        var missing = PathOf(Path.Combine("typo", "jobs.db"));

        var result = await RunAsync([.. command, "--storage", missing, "--tasks", SamplesDll]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines, Has.Count.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Does.Contain("does not exist").And.Contain(Path.GetDirectoryName(missing)!));
        Assert.That(System.IO.Directory.Exists(Path.GetDirectoryName(missing)), Is.False);
    }

    [Test]
    public async Task Run_TinyNonLiteDbFile_RefusedUnchangedWithoutLockFile()
    {
        var path = PathOf("notes.db");
        await File.WriteAllTextAsync(path, "12345678");

        var result = await RunAsync("run", "--storage", path, "--queue", "later", "samples.Add", "{}");

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.ErrorLines, Has.Count.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Does.Contain("not a LiteDB database"));
        Assert.That(await File.ReadAllTextAsync(path), Is.EqualTo("12345678"));
        Assert.That(File.Exists(path + "-lock"), Is.False);
    }

    [Test]
    public async Task Run_ParamsFileOverArgumentLimit_RunsWithAllOfThem()
    {
        var file = PathOf("params.json");
        await File.WriteAllTextAsync(file, new JsonObject { ["url"] = s_largeUrl, ["delay_ms"] = 1 }.ToJsonString());

        var result = await RunAsync("run", "--storage", PathOf("jobs.db"), "--tasks", SamplesDll, "samples.Fetch", "--params-file", file);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString()[..Math.Min(2000, result.ToString().Length)]);
        Assert.That(JsonNode.Parse(result.Stdout)!["url"]!.GetValue<string>(), Is.EqualTo(s_largeUrl));
    }

    [Test]
    public async Task Run_ParamsFromStdin_RunsWithThem()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory,
        };
        foreach (var arg in new[] { MrqCliProcess.MrqDll, "run", "--storage", PathOf("jobs.db"), "--tasks", SamplesDll, "samples.Fetch", "--params-file", "-" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(new JsonObject { ["url"] = s_largeUrl, ["delay_ms"] = 1 }.ToJsonString());
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Support.Wait.Long);
        await process.WaitForExitAsync(timeout.Token);

        Assert.That(process.ExitCode, Is.EqualTo(0), await stderr);
        Assert.That(JsonNode.Parse(await stdout)!["url"]!.GetValue<string>(), Is.EqualTo(s_largeUrl));
    }

    [Test]
    public async Task Run_ParamsArgumentAndFile_ExitsWith2()
    {
        var result = await RunAsync("run", "--storage", PathOf("jobs.db"), "samples.Add", "{}", "--params-file", PathOf("nope.json"));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines, Has.Count.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Does.Contain("not both"));
        Assert.That(File.Exists(PathOf("jobs.db")), Is.False);
    }
}
