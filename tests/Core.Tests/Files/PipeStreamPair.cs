// Test support: two IReliableStream ends joined by in-memory pipes (with back-pressure), for sessions without a network.
using System.IO.Pipelines;
using P2PChat.Core.Transport;

namespace P2PChat.Core.Tests.Files;

public sealed class PipeStreamPair
{
    private readonly Pipe _aToB = new(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20));
    private readonly Pipe _bToA = new(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20));

    public PipeStreamPair()
    {
        A = new End(_bToA.Reader, _aToB.Writer, 0);
        B = new End(_aToB.Reader, _bToA.Writer, 1);
    }

    public IReliableStream A { get; }
    public IReliableStream B { get; }

    /// <summary>B goes away, as a receiver that stopped does: its writes end, and A's pending and later writes
    /// fail with AbortedByPeer instead of waiting forever for room in a pipe nobody reads.</summary>
    public void CloseB()
    {
        _bToA.Writer.Complete();
        _aToB.Reader.Complete();
    }

    private sealed class End(PipeReader reader, PipeWriter writer, long id) : IReliableStream
    {
        public long Id => id;

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
        {
            var result = await writer.WriteAsync(data, cancellationToken);
            if (result.IsCompleted) throw new TransportException(TransportError.AbortedByPeer, "the reader is gone");
        }

        public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                if (!result.Buffer.IsEmpty)
                {
                    var n = (int)Math.Min(buffer.Length, result.Buffer.Length);
                    var slice = result.Buffer.Slice(0, n);
                    foreach (var segment in slice) { segment.Span.CopyTo(buffer.Span); buffer = buffer[segment.Length..]; }
                    reader.AdvanceTo(slice.End);
                    return n;
                }
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted) return 0;
            }
        }

        public void CompleteWrites() => writer.Complete();
    }
}
