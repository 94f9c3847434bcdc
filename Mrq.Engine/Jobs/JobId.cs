using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Mrq.Jobs;

/// <summary>
/// The identifier of a job: 12 bytes laid out exactly as a BSON ObjectId (4-byte big-endian seconds since the Unix
/// epoch, 5 random bytes fixed per process, 3-byte big-endian counter), so ids are interchangeable with MRQ's
/// MongoDB <c>_id</c> values and sort by creation time.
/// </summary>
public readonly struct JobId : IEquatable<JobId>, IComparable<JobId>, ISpanFormattable
{
    private static readonly byte[] s_processRandom = RandomNumberGenerator.GetBytes(5);
    private static int s_counter = RandomNumberGenerator.GetInt32(0, 0xFFFFFF);

    // Stored as three big-endian integers so comparison is a plain integer comparison.
    private readonly uint _a;
    private readonly uint _b;
    private readonly uint _c;

    private JobId(uint a, uint b, uint c)
    {
        _a = a;
        _b = b;
        _c = c;
    }

    /// <summary>The all-zero id; never produced by <see cref="NewId(DateTime)"/>.</summary>
    public static JobId Empty => default;

    /// <summary>Creation time encoded in the id (second precision, UTC).</summary>
    public DateTime CreationTime => DateTime.UnixEpoch.AddSeconds(_a);

    /// <summary>Creates a new unique id stamped with <paramref name="utcNow"/>.</summary>
    public static JobId NewId(DateTime utcNow)
    {
        Span<byte> bytes = stackalloc byte[12];
        var seconds = (uint)Math.Max(0, (long)(utcNow - DateTime.UnixEpoch).TotalSeconds);
        BinaryPrimitives.WriteUInt32BigEndian(bytes, seconds);
        s_processRandom.CopyTo(bytes[4..]);
        var counter = Interlocked.Increment(ref s_counter) & 0xFFFFFF;
        bytes[9] = (byte)(counter >> 16);
        bytes[10] = (byte)(counter >> 8);
        bytes[11] = (byte)counter;
        return FromBytes(bytes);
    }

    /// <summary>Creates an id from its 12 bytes (ObjectId layout).</summary>
    /// <exception cref="ArgumentException">The span is not 12 bytes long.</exception>
    public static JobId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 12)
        {
            throw new ArgumentException("A job id is exactly 12 bytes.", nameof(bytes));
        }

        return new JobId(
            BinaryPrimitives.ReadUInt32BigEndian(bytes),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]));
    }

    /// <summary>Writes the 12 bytes of the id into <paramref name="destination"/>.</summary>
    public void WriteBytes(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], _b);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], _c);
    }

    /// <summary>Returns the 12 bytes of the id.</summary>
    public byte[] ToByteArray()
    {
        var bytes = new byte[12];
        WriteBytes(bytes);
        return bytes;
    }

    /// <summary>Parses a 24-character hexadecimal id.</summary>
    /// <exception cref="FormatException">The text is not 24 hexadecimal characters.</exception>
    public static JobId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var id)
            ? id
            : throw new FormatException($"'{text}' is not a job id (24 hexadecimal characters expected).");
    }

    /// <summary>Tries to parse a 24-character hexadecimal id.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out JobId id)
    {
        id = default;
        if (text is null || text.Length != 24)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[12];
        if (Convert.FromHexString(text, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != 12)
        {
            return false;
        }

        id = FromBytes(bytes);
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(JobId other) => _a == other._a && _b == other._b && _c == other._c;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is JobId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c);

    /// <inheritdoc/>
    public int CompareTo(JobId other)
    {
        var c = _a.CompareTo(other._a);
        if (c != 0)
        {
            return c;
        }

        c = _b.CompareTo(other._b);
        return c != 0 ? c : _c.CompareTo(other._c);
    }

    /// <summary>The lowercase 24-character hexadecimal form, as MongoDB prints an ObjectId.</summary>
    public override string ToString() => string.Create(24, this, static (span, id) => id.TryFormat(span, out _, default, null));

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (destination.Length < 24)
        {
            charsWritten = 0;
            return false;
        }

        Span<byte> bytes = stackalloc byte[12];
        WriteBytes(bytes);
        Convert.TryToHexStringLower(bytes, destination, out charsWritten);
        return true;
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(JobId left, JobId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(JobId left, JobId right) => !left.Equals(right);

    /// <summary>Ordering by creation.</summary>
    public static bool operator <(JobId left, JobId right) => left.CompareTo(right) < 0;

    /// <summary>Ordering by creation.</summary>
    public static bool operator >(JobId left, JobId right) => left.CompareTo(right) > 0;

    /// <summary>Ordering by creation.</summary>
    public static bool operator <=(JobId left, JobId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering by creation.</summary>
    public static bool operator >=(JobId left, JobId right) => left.CompareTo(right) >= 0;
}
