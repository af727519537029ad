// Caps how fast a sender puts chunk bytes on a stream (--file-send-rate): a token bucket on the injected clock.
namespace P2PChat.Core.Files.Sessions;

/// <summary>
/// A token bucket of <paramref name="bytesPerSecond"/> that starts empty and holds at most a quarter second of credit:
/// <see cref="WaitAsync"/> returns at once while the bucket holds credit, else waits (on <paramref name="time"/>) until
/// the bytes are earned. So after t seconds at most rate × (t + 0.25) bytes have gone out. One pacer may be
/// shared by every session of a peer, so the cap holds for all transfers together.
/// </summary>
public sealed class SendPacer(long bytesPerSecond, TimeProvider time)
{
    private readonly Lock _gate = new();
    private double _credit;
    private long _last = time.GetTimestamp();

    public long BytesPerSecond { get; } = bytesPerSecond > 0 ? bytesPerSecond : throw new ArgumentOutOfRangeException(nameof(bytesPerSecond));

    /// <summary>Takes <paramref name="bytes"/> from the bucket, waiting until they are earned.</summary>
    public Task WaitAsync(int bytes, CancellationToken ct)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var now = time.GetTimestamp();
            _credit = Math.Min(BytesPerSecond / 4.0, _credit + time.GetElapsedTime(_last, now).TotalSeconds * BytesPerSecond);
            _last = now;
            _credit -= bytes;
            if (_credit >= 0) return Task.CompletedTask;
            wait = TimeSpan.FromSeconds(-_credit / BytesPerSecond);
        }
        return Task.Delay(wait, time, ct);
    }
}
