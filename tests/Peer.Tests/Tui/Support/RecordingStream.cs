// A write-only stream that records each Write call separately and signals when enough writes arrived.
using System.Text;

namespace P2PChat.Peer.Tests.Tui.Support;

public sealed class RecordingStream : Stream
{
    private readonly List<string> _writes = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    public IReadOnlyList<string> Writes { get { lock (_writes) return [.. _writes]; } }

    public string All { get { lock (_writes) return string.Concat(_writes); } }

    /// <summary>Completes once at least <paramref name="count"/> writes happened (10 s safety timeout).</summary>
    public Task WaitForWritesAsync(int count)
    {
        lock (_writes)
        {
            if (_writes.Count >= count) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_writes)
        {
            _writes.Add(Encoding.UTF8.GetString(buffer, offset, count));
            foreach (var waiter in _waiters.Where(w => _writes.Count >= w.Count).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public override void Flush() { }
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
