using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Mrq.Diagnostics;
using Mrq.Storage;

namespace Mrq.Workers;

/// <summary>Worker reports (MRQ's <c>mrq_workers</c>, and the admin port's <c>/report</c>) and progress saves, every report_interval.</summary>
internal sealed partial class Worker
{
    // MRQ's pool usage average weighs the latest sample this much.
    private const double UsageSmoothing = 0.2;

    private readonly Lock _reportGate = new();
    private double _usageAverage;
    private (long Timestamp, double CpuSeconds) _lastCpuSample;

    /// <summary>
    /// The live report in MRQ's shape. <paramref name="withMemory"/> fills <c>process.cpu</c> and <c>process.mem</c>
    /// (MRQ's <c>/report_mem</c> and stored reports); without it they are zeros, as MRQ's <c>/</c> and <c>/report</c>.
    /// </summary>
    public WorkerReport BuildReport(bool withMemory)
    {
        var now = Now;
        var running = _running.Values.ToArray();
        WorkerProcessInfo process;
        double usage;
        lock (_reportGate)
        {
            _usageAverage = _usageAverage * (1 - UsageSmoothing) + (running.Length / (double)Math.Max(1, _options.Greenlets)) * UsageSmoothing;
            usage = _usageAverage;
            process = withMemory ? SampleProcess() : new WorkerProcessInfo(Environment.ProcessId, 0, 0, 0);
        }

        return new WorkerReport
        {
            Id = Id,
            Name = Name,
            Status = _status,
            Config = new WorkerReportConfig(Queues, _options.Greenlets, _options.MaxJobs, 0, _options.DequeueStrategy.ToString().ToLowerInvariant(), Name, LocalAddress.Of(_options.LocalIp))
            {
                WorkerGroup = _options.WorkerGroup,
                AgentId = _options.AgentId,
                ExternalIp = _options.ExternalIp.Length > 0 ? _options.ExternalIp : null,
                MaxMemory = _options.MaxMemory,
            },
            DoneJobs = DoneJobs,
            DateStarted = _dateStarted,
            DateReported = now,
            UsageAvg = usage,
            Process = process,
            Jobs = _status == WorkerReport.StopStatus
                ? []
                : running.Select(r => new RunningJobReport(r.Job.Id.ToString(), r.Job.Path, r.Job.DateStarted ?? now, (now - (r.Job.DateStarted ?? now)).TotalSeconds)
                {
                    Switches = r.Context is null ? 0 : 1,
                    Stack = [$"  File \"{r.Job.Path}\", in run\n"],
                }).ToArray(),
        };
    }

    private WorkerProcessInfo SampleProcess()
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime.TotalSeconds;
        var timestamp = _time.GetTimestamp();
        var percent = 0.0;
        if (_lastCpuSample.Timestamp != 0)
        {
            var elapsed = _time.GetElapsedTime(_lastCpuSample.Timestamp, timestamp).TotalSeconds;
            percent = elapsed > 0 ? Math.Round(100 * (cpu - _lastCpuSample.CpuSeconds) / elapsed, 1) : 0;
        }

        _lastCpuSample = (timestamp, cpu);
        return new WorkerProcessInfo(Environment.ProcessId, process.UserProcessorTime.TotalSeconds, process.PrivilegedProcessorTime.TotalSeconds, process.WorkingSet64)
        {
            CpuPercent = Math.Max(0, percent),
            MemSwap = SwapBytes(),
        };
    }

    /// <summary>The process's swapped-out bytes (Linux <c>/proc/self/status</c> VmSwap; 0 elsewhere).</summary>
    private static long SwapBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmSwap:", StringComparison.Ordinal))
                {
                    var kb = line["VmSwap:".Length..].Trim().Split(' ')[0];
                    return long.TryParse(kb, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value * 1024 : 0;
                }
            }
        }
        catch (IOException)
        {
            // No procfs (not Linux): swap is not known.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }

        return 0;
    }

    private async Task ReportLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.ReportInterval), _time);
        while (await WaitTickAsync(timer, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await SaveProgressAsync(cancellationToken).ConfigureAwait(false);
                await ReportAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                EngineLog.ReportFailed(_logger, ex, _options.ReportInterval);
            }
        }
    }

    private async Task SaveProgressAsync(CancellationToken cancellationToken)
    {
        var progress = _running.Values
            .Where(r => r.Context?.Progress is not null)
            .Select(r => new JobProgress(r.Job.Id, Id, r.Context!.Progress!.Value, r.Job.DateStarted))
            .ToArray();
        if (progress.Length > 0)
        {
            await _storage.Jobs.SaveProgressAsync(progress, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        var report = BuildReport(withMemory: true);
        Reported?.Invoke(report);
        if (_options.MaxMemory > 0 && report.Process.MemTotal > _options.MaxMemory * 1024L * 1024L && _status != WorkerReport.StopStatus)
        {
            _logger.LogWarning("Memory {Mb} MB is over max_memory {Max} MB: stopping gracefully.", report.Process.MemTotal / (1024 * 1024), _options.MaxMemory);
            _memoryStop.Cancel();
        }

        await _storage.Workers.ReportAsync(report, cancellationToken).ConfigureAwait(false);
    }
}
