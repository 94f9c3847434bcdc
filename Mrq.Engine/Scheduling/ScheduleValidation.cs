namespace Mrq.Scheduling;

/// <summary>
/// MRQ's <c>check_config_integrity</c> and more: every problem of the scheduler entries, each naming its entry, so a
/// worker refuses to start (and queues nothing) on an invalid configuration.
/// </summary>
internal static class ScheduleValidation
{
    /// <summary>The problems of <paramref name="tasks"/>, empty when valid.</summary>
    public static List<string> Errors(IEnumerable<ScheduledTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var errors = new List<string>();
        var hashes = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var task in tasks)
        {
            var name = $"scheduler_tasks[{index}] {task}";
            if (task is null)
            {
                errors.Add($"scheduler_tasks[{index}] is null.");
            }
            else
            {
                EntryErrors(name, task, errors);
                var hash = ScheduleHash.Compute(task);
                if (hashes.TryGetValue(hash, out var first))
                {
                    errors.Add($"{name}: duplicate of scheduler_tasks[{first}] (same hash '{hash}').");
                }
                else
                {
                    hashes[hash] = index;
                }
            }

            index++;
        }

        return errors;
    }

    private static void EntryErrors(string name, ScheduledTask task, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(task.Path)) errors.Add($"{name}: path is empty.");
        if (task.Queue is { } queue && string.IsNullOrWhiteSpace(queue)) errors.Add($"{name}: queue is empty.");
        if (task.Cron is not null)
        {
            if (task.Interval is not null || task.DailyTime is not null || task.Weekday is not null || task.Monthday is not null)
            {
                errors.Add($"{name}: cron cannot be combined with interval, dailytime, weekday or monthday.");
            }

            try
            {
                CronSchedule.Parse(task.Cron, task.TimeZone);
            }
            catch (FormatException ex)
            {
                errors.Add($"{name}: {ex.Message}");
            }

            return;
        }

        if (task.TimeZone is not null) errors.Add($"{name}: timezone applies to cron entries only (dailytime is UTC, as in MRQ).");
        if (task.Catchup is not null) errors.Add($"{name}: catchup applies to cron entries only.");
        if (task.Weekday is not null && task.DailyTime is null) errors.Add($"{name}: weekday needs a dailytime.");
        if (task.Monthday is not null && task.DailyTime is null) errors.Add($"{name}: monthday needs a dailytime.");
        if (task.Interval is null && task.DailyTime is null && task.Weekday is null && task.Monthday is null)
        {
            errors.Add($"{name}: no timing key: give one of interval, dailytime (with weekday or monthday) or cron.");
        }

        if (task.Interval is <= 0 || task.Interval is { } interval && !double.IsFinite(interval)) errors.Add($"{name}: interval must be a positive number of seconds.");
        if (task.Weekday is < 0 or > 6) errors.Add($"{name}: weekday must be 0 (Monday) to 6 (Sunday).");
        if (task.Monthday is < 1 or > 31) errors.Add($"{name}: monthday must be 1 to 31.");
    }
}
