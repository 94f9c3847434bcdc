using Mrq.Storage.LiteDb;

namespace Mrq.Tests.Storage.LiteDb;

/// <summary>
/// A disk that can be made full: LiteDB's streams on a storage opened with <see cref="Hooks"/> refuse to grow
/// while <see cref="Full"/> is set, as the OS does (ENOSPC, after writing what fitted), and the free space the
/// storage measures drops to zero.
/// </summary>
internal sealed class SimulatedDisk
{
    private volatile bool _full;
    private int _refusedWrites;

    /// <summary>Writes that make a file longer fail with "No space left on device".</summary>
    public bool Full
    {
        get => _full;
        set => _full = value;
    }

    /// <summary>How many writes were refused (each one reached LiteDB's stream).</summary>
    public int RefusedWrites => Volatile.Read(ref _refusedWrites);

    /// <summary>The hooks to set on <see cref="LiteDbStorageOptions"/>.</summary>
    public LiteDbFileHooks Hooks => new()
    {
        WrapStream = (path, file) => new DiskStream(this, path, file),
        AvailableSpace = () => Full ? 0 : 1L << 40,
    };

    private IOException Refuse(string path)
    {
        Interlocked.Increment(ref _refusedWrites);
        return new IOException($"No space left on device : '{path}'", 28);
    }

    /// <summary>A file stream on the simulated disk.</summary>
    private sealed class DiskStream(SimulatedDisk disk, string path, FileStream file) : Stream
    {
        public override bool CanRead => file.CanRead;

        public override bool CanSeek => file.CanSeek;

        public override bool CanWrite => file.CanWrite;

        public override long Length => file.Length;

        public override long Position
        {
            get => file.Position;
            set => file.Position = value;
        }

        public override void Flush() => file.Flush();

        public override int Read(byte[] buffer, int offset, int count) => file.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => file.Seek(offset, origin);

        public override void SetLength(long value)
        {
            if (disk.Full && value > file.Length)
            {
                throw disk.Refuse(path);
            }

            file.SetLength(value);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (disk.Full && file.Position + count > file.Length)
            {
                // As write(2) on a full disk: what fits is written (here half a page), then ENOSPC.
                file.Write(buffer, offset, count / 2);
                file.Flush();
                throw disk.Refuse(path);
            }

            file.Write(buffer, offset, count);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                file.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
