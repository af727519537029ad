// Test helper: a clock that only moves when the test says so.
namespace P2PChat.Rendezvous.Tests.Storage;

internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
