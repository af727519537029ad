// The receiver's chunk buffers: page-aligned, so a verified chunk goes to the disk (O_DIRECT) from where it was received.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace P2PChat.Core.Files.Disk;

/// <summary>
/// One chunk's bytes, shared by the users that need them after the receive loop moved on: the background disk write
/// (<see cref="PartialFileWriter.StartWriteInPlace"/>; the whole-file hash worker too, before manifest version 3). Each
/// user takes a reference (<see cref="Retain"/>) and gives it back (<see cref="Release"/>); the last one returns the
/// buffer to its pool. The bytes live in an array on the pinned object heap, over-allocated by a page so that
/// <see cref="Memory"/> starts on a page boundary (<see cref="PartialFileWriter.Alignment"/>), as O_DIRECT wants.
/// </summary>
public sealed unsafe class ChunkBuffer
{
    private readonly byte[] _array;
    private readonly int _offset;
    private readonly ChunkBufferPool? _pool;
    private int _users;

    internal ChunkBuffer(int capacity, ChunkBufferPool? pool)
    {
        _array = GC.AllocateUninitializedArray<byte>(capacity + PartialFileWriter.Alignment, pinned: true);
        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array)); // pinned: it never moves
        _offset = (int)((PartialFileWriter.Alignment - address % PartialFileWriter.Alignment) % PartialFileWriter.Alignment);
        Capacity = capacity;
        _pool = pool;
    }

    public int Capacity { get; }

    /// <summary>The whole buffer, starting on a page boundary.</summary>
    public Memory<byte> Memory => _array.AsMemory(_offset, Capacity);

    /// <summary>One more user of the bytes (call before handing the buffer on).</summary>
    public void Retain() => Interlocked.Increment(ref _users);

    /// <summary>This user is done with the bytes; the last one gives the buffer back to its pool.</summary>
    public void Release()
    {
        var left = Interlocked.Decrement(ref _users);
        if (left == 0) _pool?.Return(this);
        else if (left < 0) throw new InvalidOperationException("a chunk buffer was released more often than retained");
    }

    internal void Rented() => Volatile.Write(ref _users, 1);
}

/// <summary>
/// A receive session's own pool of <see cref="ChunkBuffer"/>s of the offer's chunk size, keeping at most
/// <c>keep</c> for reuse (a transfer needs a few: one being read, one being verified, the writes and hashes in flight).
/// Not <see cref="System.Buffers.ArrayPool{T}.Shared"/>: buffers are rented on the loop's thread and released on
/// the writer's and the hasher's, and the shared pool keeps one per releasing thread and core (docs/files.md).
/// Thread-safe.
/// </summary>
public sealed class ChunkBufferPool(int chunkSize, int keep)
{
    private readonly Stack<ChunkBuffer> _free = new();
    private readonly Lock _gate = new();

    /// <summary>A buffer of at least <paramref name="length"/> bytes with one user (the caller). A length over the chunk
    /// size (only a faulty or hostile sender sends such a chunk; it fails verification) gets a buffer that is not kept.</summary>
    public ChunkBuffer Rent(int length)
    {
        ChunkBuffer? buffer = null;
        if (length <= chunkSize)
            lock (_gate) _free.TryPop(out buffer);
        buffer ??= new ChunkBuffer(Math.Max(length, chunkSize), length <= chunkSize ? this : null);
        buffer.Rented();
        return buffer;
    }

    internal void Return(ChunkBuffer buffer)
    {
        lock (_gate)
            if (_free.Count < keep) _free.Push(buffer);
    }
}
