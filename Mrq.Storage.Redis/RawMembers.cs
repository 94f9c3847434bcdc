using System.Buffers;
using System.Text;
using StackExchange.Redis;

namespace Mrq.Storage.Redis;

/// <summary>
/// Raw queue members are bytes in Redis (Python may push msgpack or pickle) but strings in the storage SPI. Bytes
/// that are valid UTF-8 become that text; every byte of an invalid sequence becomes the lone surrogate
/// U+DC00 + byte, as Python's <c>surrogateescape</c> does. Encoding reverses it, so a member pushed back or removed
/// is exactly the bytes popped, and text members are unchanged in both directions.
/// </summary>
internal static class RawMembers
{
    private const char EscapeFirst = '\uDC80';
    private const char EscapeLast = '\uDCFF';
    private const int EscapeBase = 0xDC00;

    /// <summary>The member's text (escaping bytes that are not UTF-8).</summary>
    public static string Decode(RedisValue value)
    {
        if (value.IsNull)
        {
            return string.Empty;
        }

        var bytes = (byte[])value!;
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var text = new StringBuilder(bytes.Length);
        ReadOnlySpan<byte> rest = bytes;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(rest, out var rune, out var consumed) == OperationStatus.Done)
            {
                text.Append(rune.ToString());
                rest = rest[consumed..];
            }
            else
            {
                text.Append((char)(EscapeBase + rest[0]));
                rest = rest[1..];
            }
        }

        return text.ToString();
    }

    /// <summary>The member's bytes (escaped bytes restored).</summary>
    public static RedisValue Encode(string member)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (!member.AsSpan().ContainsAnyInRange(EscapeFirst, EscapeLast))
        {
            return member;
        }

        var bytes = new List<byte>(member.Length);
        Span<byte> utf8 = stackalloc byte[4];
        ReadOnlySpan<char> rest = member;
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done)
            {
                consumed = 1;
                if (rest[0] is >= EscapeFirst and <= EscapeLast)
                {
                    bytes.Add((byte)(rest[0] - EscapeBase));
                    rest = rest[consumed..];
                    continue;
                }

                // Any other lone surrogate: what Encoding.UTF8 writes for it.
                rune = Rune.ReplacementChar;
            }

            var length = rune.EncodeToUtf8(utf8);
            bytes.AddRange(utf8[..length]);

            rest = rest[consumed..];
        }

        return bytes.ToArray();
    }
}
