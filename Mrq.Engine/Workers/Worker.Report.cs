using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Mrq.Diagnostics;
using Mrq.Storage;

namespace Mrq.Workers;

/// <summary>Worker reports (MRQ's <c>mrq_workers</c>) and progress saves, every report_interval.</summary>
internal sealed partial class Worker
{
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
        var now = Now;
        using var process = Process.GetCurrentProcess();
        var report = new WorkerReport
        {
            Id = Id,
            Name = Name,
            Status = _status,
            Config = new WorkerReportConfig(Queues, _options.Greenlets, _options.MaxJobs, 0, _options.DequeueStrategy.ToString().ToLowerInvariant(), Name, Environment.MachineName),
            DoneJobs = DoneJobs,
            DateStarted = _dateStarted,
            DateReported = now,
            Process = new WorkerProcessInfo(Environment.ProcessId, process.UserProcessorTime.TotalSeconds, process.PrivilegedProcessorTime.TotalSeconds, process.WorkingSet64),
            Jobs = _status == "stop"
                ? []
                : _running.Values.Select(r => new RunningJobReport(r.Job.Id.ToString(), r.Job.Path, r.Job.DateStarted ?? now, (now - (r.Job.DateStarted ?? now)).TotalSeconds)).ToArray(),
        };
        await _storage.Workers.ReportAsync(report, cancellationToken).ConfigureAwait(false);
    }
}
