// The stream contract shared by the UDP transport and the TCP path, so layers above cannot tell them apart.
namespace P2PChat.Core.Transport;

/// <summary>A reliable, ordered, bidirectional byte stream inside a connection.</summary>
public interface IReliableStream
{
    /// <summary>Even ids are opened by the connecting side, odd ids by the accepting side.</summary>
    long Id { get; }

    /// <summary>Queues all of <paramref name="data"/>; waits while the stream's send buffer is full.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Reads at least one byte, or returns 0 once the peer completed its writes and everything was read.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Marks the end of what this side writes (the peer then reads 0 after the last byte).</summary>
    void CompleteWrites();
}
