using System.Text;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// The start of a LiteDB 5 data file: its first page is the header page, which holds the text
/// <c>** This is a LiteDB file **</c> at byte 32 and the file format version (8) at byte 59.
/// </summary>
internal static class LiteDbHeader
{
    /// <summary>LiteDB 5's page size: a data file is a whole number of pages, the first one the header.</summary>
    public const int PageSize = 8192;

    /// <summary>The bytes to read to check the header.</summary>
    public const int Length = VersionOffset + 1;

    private const int InfoOffset = 32;
    private const int VersionOffset = 59;
    private const byte FileVersion = 8;

    private static readonly byte[] s_info = Encoding.ASCII.GetBytes("** This is a LiteDB file **");

    /// <summary>True when <paramref name="start"/> (at least <see cref="Length"/> bytes) begins a LiteDB 5 data file.</summary>
    public static bool Matches(ReadOnlySpan<byte> start) =>
        start.Length >= Length
        && start.Slice(InfoOffset, s_info.Length).SequenceEqual(s_info)
        && start[VersionOffset] == FileVersion;
}
