namespace Mrq.Storage.LiteDb;

/// <summary>Options of the embedded LiteDB storage.</summary>
public sealed class LiteDbStorageOptions
{
    /// <summary>
    /// The database file (created when missing). One file serves one process: a second process, or a second
    /// storage in this process, opening it gets an <see cref="MrqStorageException"/>. A side file
    /// <c>&lt;Path&gt;-lock</c> holds the exclusive lock and LiteDB keeps its journal in <c>&lt;name&gt;-log&lt;ext&gt;</c>.
    /// </summary>
    public string Path { get; set; } = "mrq.db";

    /// <summary>
    /// When true (the default), every group commit is also forced to the disk (fsync) before writers are
    /// acknowledged, so acknowledged jobs survive a power loss too, at the cost of one disk flush per group (measured
    /// on a loaded 2-core machine: 8–17 % fewer jobs/s end to end by the paired repetitions, up to 41 % by the medians;
    /// README, Performance). When false, acknowledged writes are only handed to the operating system on commit, which
    /// survives a crash or kill of the process but not a power loss.
    /// </summary>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>The clock lock expiry and crash recovery read; <see cref="TimeProvider.System"/> by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
