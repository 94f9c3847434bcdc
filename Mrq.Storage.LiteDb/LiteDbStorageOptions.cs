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

    /// <summary>
    /// When true (the default) and the storage is registered with <c>UseLiteDb</c>, the process serves a local control
    /// endpoint while it holds the file: a Unix domain socket <c>&lt;Path&gt;-control.sock</c> that only the file's
    /// owner can connect to (a current-user named pipe on Windows). <c>mrq jobs</c>, <c>mrq queues</c>,
    /// <c>mrq run --queue</c> and <c>mrq dashboard</c> from other processes then go through this process instead of
    /// failing with "already open". Set false to serve nothing.
    /// </summary>
    public bool ControlEndpoint { get; set; } = true;

    /// <summary>The clock lock expiry and crash recovery read; <see cref="TimeProvider.System"/> by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Test seams on the file access (fault injection); null in normal use.</summary>
    internal LiteDbFileHooks? Hooks { get; set; }
}
