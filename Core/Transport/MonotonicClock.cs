// Microsecond timestamps from an injected TimeProvider, the single time base of the transport.
namespace P2PChat.Core.Transport;

internal readonly struct MonotonicClock(TimeProvider time)
{
    public TimeProvider Provider => time;

    public long NowMicros
    {
        get
        {
            long ts = time.GetTimestamp();
            long frequency = time.TimestampFrequency;
            return frequency % 1_000_000 == 0 ? ts / (frequency / 1_000_000) : (long)(ts * (1_000_000.0 / frequency));
        }
    }

    public static long Micros(TimeSpan span) => span.Ticks / 10;
}
