using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// Raw queue members live in one collection, each document <c>{_id, q, m, s?, o, u}</c>: the queue, the member,
/// its score, an order key and a member key, both sortable bytes prefixed by the queue and a 0x00 separator.
/// The order key is <c>[queue][0x00][sequence]</c> for lists and sets (push order) and
/// <c>[queue][0x00][score][sequence]</c> for sorted and timed sets, so a pop is one index range read. The member
/// key holds a SHA-256 of the member (members may exceed LiteDB's 1023-byte index keys).
/// </summary>
internal static class RawQueueKeys
{
    public const string QueueField = "q";
    public const string MemberField = "m";
    public const string ScoreField = "s";
    public const string OrderField = "o";
    public const string MemberKeyField = "u";

    /// <summary>The order key of a list or set member.</summary>
    public static byte[] Ordered(string queue, long sequence)
    {
        var prefix = Prefix(queue, 8);
        BinaryPrimitives.WriteInt64BigEndian(prefix.AsSpan(prefix.Length - 8), sequence);
        return prefix;
    }

    /// <summary>The order key of a sorted or timed set member.</summary>
    public static byte[] Scored(string queue, double score, long sequence)
    {
        var prefix = Prefix(queue, 16);
        BinaryPrimitives.WriteUInt64BigEndian(prefix.AsSpan(prefix.Length - 16), SortableScore(score));
        BinaryPrimitives.WriteInt64BigEndian(prefix.AsSpan(prefix.Length - 8), sequence);
        return prefix;
    }

    /// <summary>The lowest order key of a queue.</summary>
    public static byte[] Start(string queue) => Prefix(queue, 0);

    /// <summary>Above every order key of a queue.</summary>
    public static byte[] End(string queue)
    {
        var key = Prefix(queue, 17);
        key.AsSpan(key.Length - 17).Fill(0xFF);
        return key;
    }

    /// <summary>Above every order key of a scored queue with a score at or below <paramref name="score"/>.</summary>
    public static byte[] ScoreEnd(string queue, double score)
    {
        var key = Prefix(queue, 17);
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(key.Length - 17), SortableScore(score));
        key.AsSpan(key.Length - 9).Fill(0xFF);
        return key;
    }

    /// <summary>The member key: queue, separator, SHA-256 of the member.</summary>
    public static byte[] Member(string queue, string member)
    {
        var key = Prefix(queue, 32);
        SHA256.HashData(Encoding.UTF8.GetBytes(member), key.AsSpan(key.Length - 32));
        return key;
    }

    /// <summary>A double as 8 bytes that sort like the number.</summary>
    private static ulong SortableScore(double score)
    {
        var bits = BitConverter.DoubleToInt64Bits(score == 0 ? 0d : score);
        return bits < 0 ? (ulong)~bits : (ulong)bits ^ 0x8000_0000_0000_0000UL;
    }

    private static byte[] Prefix(string queue, int tail)
    {
        var length = Encoding.UTF8.GetByteCount(queue);
        var key = new byte[length + 1 + tail];
        Encoding.UTF8.GetBytes(queue, key);
        key[length] = 0x00;
        return key;
    }
}
