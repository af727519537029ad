// Non-blocking writer and checking reader of pattern bytes on a transport stream, pumped by a Simulation.
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Streams;
using Xunit;

namespace P2PChat.Core.Tests.Transport;

/// <summary>Writes <c>size</c> pattern bytes (optionally preceded by a one-byte prefix), then completes the stream.</summary>
internal sealed class PatternWriter(TransportStream stream, int tag, long size, byte? prefix = null)
{
    private readonly byte[] _chunk = new byte[16 * 1024];
    private long _written;

    public bool Done { get; private set; }

    public void Pump()
    {
        while (!Done)
        {
            if (_written == size)
            {
                stream.CompleteWrites();
                Done = true;
                return;
            }
            int n = (int)Math.Min(_chunk.Length, size - _written);
            StreamPattern.Fill(tag, _written, _chunk.AsSpan(0, n));
            if (_written == 0 && prefix is { } p) _chunk[0] = p;
            int taken = stream.TryWrite(_chunk.AsSpan(0, n));
            _written += taken;
            if (taken < n) return;
        }
    }
}

/// <summary>Reads a stream to its end, checking every byte against the pattern and the total length.</summary>
internal sealed class PatternReader(TransportStream stream)
{
    private readonly byte[] _buffer = new byte[16 * 1024];

    public TransportStream Stream => stream;
    public long Read { get; private set; }
    public bool Ended { get; private set; }
    /// <summary>Set before the first byte, or by <see cref="OnFirstByte"/> once the prefix is known.</summary>
    public int? Tag { get; set; }
    public Func<byte, int>? OnFirstByte { get; init; }
    public long ExpectedSize { get; set; } = -1;

    public void Pump()
    {
        while (!Ended)
        {
            int n = stream.TryRead(_buffer);
            if (n == 0) return;
            if (n < 0)
            {
                Ended = true;
                Assert.Equal(ExpectedSize, Read);
                return;
            }
            for (int i = 0; i < n; i++, Read++)
            {
                if (Read == 0 && OnFirstByte is not null) { Tag = OnFirstByte(_buffer[i]); continue; }
                if (_buffer[i] != StreamPattern.At(Tag!.Value, Read))
                    Assert.Fail($"stream {stream.Id}: wrong byte at offset {Read}");
            }
        }
    }
}
