// Sits under a test client's SslStream and counts the TLS records the server sent (each server write is one record or more).
namespace P2PChat.Rendezvous.Tests;

/// <summary>
/// Passes reads and writes through to the TCP stream and parses the incoming bytes as TLS records (RFC 8446 §5.1:
/// 1 byte content type, 2 bytes legacy version, 2 bytes big-endian length, then the body), counting them. Records can
/// be split or merged by TCP; this follows the headers, so the count is exact. Under TLS 1.3 everything after the
/// ServerHello (also a NewSessionTicket) is an application_data record: compare counts taken after sign-in.
/// </summary>
internal sealed class TlsRecordCounter(Stream inner) : Stream
{
    private readonly byte[] _header = new byte[5];
    private int _headerFilled;
    private int _bodyLeft;
    private int _records;

    /// <summary>Records whose header has arrived so far.</summary>
    public int Records => Volatile.Read(ref _records);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await inner.ReadAsync(buffer, ct).ConfigureAwait(false);
        Count(buffer.Span[..n]);
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        Count(buffer.AsSpan(offset, n));
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    private void Count(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_bodyLeft > 0)
            {
                var skip = Math.Min(_bodyLeft, bytes.Length);
                _bodyLeft -= skip;
                bytes = bytes[skip..];
                continue;
            }
            var take = Math.Min(5 - _headerFilled, bytes.Length);
            bytes[..take].CopyTo(_header.AsSpan(_headerFilled));
            _headerFilled += take;
            bytes = bytes[take..];
            if (_headerFilled < 5) return;
            _headerFilled = 0;
            _bodyLeft = _header[3] << 8 | _header[4];
            Interlocked.Increment(ref _records);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) => inner.WriteAsync(buffer, ct);
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => inner.WriteAsync(buffer, offset, count, ct);
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
    public override void Flush() => inner.Flush();
    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
