// Tests the reconnect policy's pure parts: the backoff sequence, its cap and jitter, and which closings end the attempts.
using P2PChat.Core.Protocol;
using P2PChat.Peer.Server;
using P2PChat.Peer.Events;
using Xunit;

namespace P2PChat.Peer.Tests.Server;

public sealed class ReconnectPolicyTests
{
    [Fact]
    public void Without_jitter_the_delay_doubles_from_one_second_up_to_thirty()
    {
        var policy = new ReconnectPolicy { Random = () => 0.5 };
        var seconds = Enumerable.Range(1, 8).Select(n => policy.DelayBefore(n).TotalSeconds);
        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], seconds);
    }

    [Fact]
    public void Jitter_stays_within_twenty_percent_either_way()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(3200), new ReconnectPolicy { Random = () => 0 }.DelayBefore(3));
        Assert.Equal(TimeSpan.FromMilliseconds(4800), new ReconnectPolicy { Random = () => 1 }.DelayBefore(3));
        Assert.Equal(TimeSpan.FromSeconds(36), new ReconnectPolicy { Random = () => 1 }.DelayBefore(100));
    }

    [Fact]
    public void A_huge_attempt_number_does_not_overflow()
    {
        var policy = new ReconnectPolicy { Random = () => 0.5 };
        Assert.Equal(TimeSpan.FromSeconds(30), policy.DelayBefore(int.MaxValue));
    }

    [Theory]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(23)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(24)]
    [InlineData((int)PeerErrorCode.CertificateRejected)]
    public void Kicks_bans_sign_ins_elsewhere_and_refusals_end_the_attempts(int code) =>
        Assert.False(ReconnectPolicy.MayReconnectAfter(code));

    [Theory]
    [InlineData(null)]
    [InlineData(33)] // the dead-connection timeout
    [InlineData(27)] // server shutting down
    [InlineData((int)PeerErrorCode.ProtocolError)]
    public void Other_losses_are_retried(int? code) => Assert.True(ReconnectPolicy.MayReconnectAfter(code));

    [Fact]
    public void Only_refusals_of_the_account_end_the_attempts_at_sign_in()
    {
        Assert.True(ReconnectPolicy.SignInRefusalIsFinal(StatusCode.WrongPassword));
        Assert.True(ReconnectPolicy.SignInRefusalIsFinal(StatusCode.Banned));
        Assert.False(ReconnectPolicy.SignInRefusalIsFinal(StatusCode.ServerShuttingDown));
    }
}
