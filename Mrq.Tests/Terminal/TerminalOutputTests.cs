using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Mrq.Cli.Commands;
using Mrq.Cli.Hosting;
using Mrq.Cli.Output;
using Mrq.Jobs;
using Mrq.Tests.Support;
using NUnit.Framework;
using Spectre.Console;

namespace Mrq.Tests.Terminal;

/// <summary>The CLI's terminal output: a Spectre.Console live status with log lines printed whole above it.</summary>
public sealed partial class TerminalOutputTests
{
    [Test]
    public async Task LiveStatus_LogLinesWrittenMeanwhile_EachLineWholeAndTheStatusShownThenCleared()
    {
        var output = new StringWriter();
        var synchronizedOutput = TextWriter.Synchronized(output);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(synchronizedOutput),
        });
        console.Profile.Width = 200;

        // The status is drawn on Spectre's own thread: read what it wrote under the writer's lock.
        string Written()
        {
            lock (synchronizedOutput)
            {
                return output.ToString();
            }
        }

        var refreshes = 0;
        using var provider = new TerminalLoggerProvider(console, new CliLogFormatter(LogLevel.Information));
        var logger = provider.CreateLogger("Mrq.Worker");

        await using (new LiveStatus(console, _ => new($"job running, refresh {Interlocked.Increment(ref refreshes)}"), TimeSpan.FromMilliseconds(5)))
        {
            await Wait.UntilAsync(() => Task.FromResult(Written().Contains("job running, refresh", StringComparison.Ordinal)), "the status drawn");
            for (var i = 0; i < 20; i++)
            {
                logger.LogWarning("storage hiccup number {Number} while the status line is live", i);
            }

            var drawn = Written().Length;
            await Wait.UntilAsync(
                () => Task.FromResult(Written().IndexOf("job running, refresh", drawn, StringComparison.Ordinal) >= 0),
                "the status drawn again after the log lines");
        }

        var text = AnsiSequence().Replace(Written(), string.Empty);
        for (var i = 0; i < 20; i++)
        {
            Assert.That(text, Does.Match($@"\d\d:\d\d:\d\d warn: Mrq\.Worker\[0\] storage hiccup number {i} while the status line is live\r?\n"));
        }

        Assert.That(text, Does.Contain("job running, refresh"));
        Assert.That(Written(), Does.EndWith("\u001b[?25h"), "the status line is removed and the cursor shown again");
    }

    [Test]
    public void RunStatusText_RunningJobWithProgress_PathStatusTimeAndPercent()
    {
        Assert.That(RunCommand.RunStatusText("samples.Fetch", JobStatus.Started, 0.4, TimeSpan.FromSeconds(3.21)), Is.EqualTo("samples.Fetch started, 3.2 s, 40 %"));
        Assert.That(RunCommand.RunStatusText("samples.Add", null, null, TimeSpan.Zero), Is.EqualTo("samples.Add queued, 0.0 s"));
    }

    [GeneratedRegex(@"\u001b\[[0-9;?]*[A-Za-z]|\u001b[=>]")]
    private static partial Regex AnsiSequence();
}
