using System.Buffers.Binary;
using System.Text;
using Mrq.Jobs;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// The indexed key of a job: <c>[status byte][queue UTF-8][0x00][date ms, big-endian][_id 12 bytes]</c>, where the
/// date is <c>datequeued</c> for a queued job and <c>dateexpires</c> (0 when none) for any other. LiteDB compares
/// binary values byte by byte, so one index range gives "the queued jobs of queue Q ordered by (datequeued, _id)" in
/// either direction without reading any other job, a status prefix gives every job in a status, and a (status,
/// queue) range up to now gives the expired jobs, all from one index. Queue names hold no control characters, so
/// the 0x00 separator keeps <c>q</c> apart from <c>q/sub</c>.
/// </summary>
internal static class StatusKey
{
    private const int TailLength = 8 + 12;

    /// <summary>The key of a job.</summary>
    public static byte[] For(JobStatus status, string queue, DateTime dateQueued, DateTime? dateExpires, JobId id)
    {
        var date = status == JobStatus.Queued ? dateQueued : dateExpires;
        var queueLength = Encoding.UTF8.GetByteCount(queue);
        var key = new byte[1 + queueLength + 1 + TailLength];
        key[0] = StatusByte(status);
        Encoding.UTF8.GetBytes(queue, key.AsSpan(1));
        var tail = key.AsSpan(2 + queueLength);
        BinaryPrimitives.WriteInt64BigEndian(tail, date is { } d ? Milliseconds(d) : 0);
        id.WriteBytes(tail[8..]);
        return key;
    }

    /// <summary>The lowest key of the jobs of one queue in one status.</summary>
    public static byte[] QueueStart(JobStatus status, string queue) => QueueBound(status, queue, 0x00);

    /// <summary>The highest key of the jobs of one queue in one status.</summary>
    public static byte[] QueueEnd(JobStatus status, string queue) => QueueBound(status, queue, 0xFF);

    /// <summary>The lowest key of every job whose queue name starts with <paramref name="prefix"/> in one status.</summary>
    public static byte[] PrefixStart(JobStatus status, string prefix)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix);
        var key = new byte[1 + bytes.Length];
        key[0] = StatusByte(status);
        bytes.CopyTo(key, 1);
        return key;
    }

    /// <summary>Above every key whose queue name starts with <paramref name="prefix"/> in one status.</summary>
    public static byte[] PrefixEnd(JobStatus status, string prefix)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix);
        var key = new byte[1 + bytes.Length + 1 + 255];
        key[0] = StatusByte(status);
        bytes.CopyTo(key, 1);
        key.AsSpan(1 + bytes.Length).Fill(0xFF);
        return key;
    }

    /// <summary>The lowest key of the jobs of one queue in one (non-queued) status that have an expiry.</summary>
    public static byte[] ExpiringStart(JobStatus status, string queue)
    {
        var key = QueueBound(status, queue, 0x00);
        key[^13] = 0x01;
        return key;
    }

    /// <summary>The highest key of the jobs of one queue in one (non-queued) status expiring at or before <paramref name="now"/>.</summary>
    public static byte[] ExpiredEnd(JobStatus status, string queue, DateTime now)
    {
        var key = QueueBound(status, queue, 0xFF);
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(key.Length - TailLength), Milliseconds(now));
        return key;
    }

    /// <summary>Above every key of one queue in one status, below the next queue's keys.</summary>
    public static byte[] AfterQueue(JobStatus status, string queue)
    {
        var queueLength = Encoding.UTF8.GetByteCount(queue);
        var key = new byte[1 + queueLength + 1];
        key[0] = StatusByte(status);
        Encoding.UTF8.GetBytes(queue, key.AsSpan(1));
        key[1 + queueLength] = 0x01;
        return key;
    }

    /// <summary>The lowest key of a status.</summary>
    public static byte[] StatusStart(JobStatus status) => [StatusByte(status)];

    /// <summary>Below the lowest key of the next status.</summary>
    public static byte[] StatusEnd(JobStatus status) => [StatusByte(status), 0xFF, 0xFF, 0xFF, 0xFF];

    /// <summary>The date in a key (<c>datequeued</c> for a queued job).</summary>
    public static DateTime DateOf(byte[] key) =>
        new(BinaryPrimitives.ReadInt64BigEndian(key.AsSpan(key.Length - TailLength)) * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    /// <summary>The status a key (or a key prefix) starts with.</summary>
    public static JobStatus StatusOf(byte[] key) => (JobStatus)(key[0] - 1);

    private static byte StatusByte(JobStatus status) => (byte)(1 + (int)status);

    private static long Milliseconds(DateTime date) => date.Ticks / TimeSpan.TicksPerMillisecond;

    private static byte[] QueueBound(JobStatus status, string queue, byte fill)
    {
        var queueLength = Encoding.UTF8.GetByteCount(queue);
        var key = new byte[1 + queueLength + 1 + TailLength];
        key[0] = StatusByte(status);
        Encoding.UTF8.GetBytes(queue, key.AsSpan(1));
        key[1 + queueLength] = 0x00;
        key.AsSpan(2 + queueLength).Fill(fill);
        return key;
    }
}
