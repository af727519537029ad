// Tests the pinning decision table: first use, match, refusal, and --server-fingerprint replacing the pin.
using P2PChat.Peer.Server;
using P2PChat.Peer.Events;
using Xunit;

namespace P2PChat.Peer.Tests.Server;

public sealed class ServerPinTests
{
    private const string A = "AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA";
    private const string B = "BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB:BB";

    [Theory]
    [InlineData(null, null, A, PinOutcome.FirstUse)]
    [InlineData(A, null, A, PinOutcome.Matched)]
    [InlineData(A, null, B, PinOutcome.Refused)]
    [InlineData(A, B, B, PinOutcome.Replaced)]
    [InlineData(null, B, B, PinOutcome.Replaced)]
    [InlineData(B, B, B, PinOutcome.Matched)]
    [InlineData(A, B, A, PinOutcome.Refused)]
    [InlineData(null, B, A, PinOutcome.Refused)]
    public void Decision_table(string? pinned, string? expected, string presented, PinOutcome outcome) =>
        Assert.Equal(outcome, new ServerPin(pinned, expected).Check(presented));

    [Fact]
    public void Fingerprints_match_regardless_of_case_and_colons() =>
        Assert.Equal(PinOutcome.Matched, new ServerPin(A.ToLowerInvariant().Replace(":", ""), null).Check(A));

    [Fact]
    public void The_refusal_names_both_fingerprints_and_the_way_out()
    {
        var message = new ServerPin(A, null).RefusalMessage(B);
        Assert.Contains(A, message);
        Assert.Contains(B, message);
        Assert.Contains("--server-fingerprint " + B, message);
    }
}
