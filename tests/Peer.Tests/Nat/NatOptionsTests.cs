// The default STUN servers of /nat and its refusal without any.
using P2PChat.Peer.Server;
using P2PChat.Peer.Events;
using P2PChat.Peer.Nat;
using Xunit;

namespace P2PChat.Peer.Tests.Nat;

public sealed class NatOptionsTests
{
    [Fact]
    public void Without_stun_options_the_servers_port_and_the_next_are_asked()
    {
        Assert.Equal([new ServerAddress("chat.example", 7777), new ServerAddress("chat.example", 7778)],
            StunServerList.Choose([], new ServerAddress("chat.example", 7777)));
        Assert.Equal([new ServerAddress("s", 1)], StunServerList.Choose([new ServerAddress("s", 1)], new ServerAddress("chat.example", 7777)));
        Assert.Empty(StunServerList.Choose([], null));
    }

    [Fact]
    public async Task Nat_without_any_stun_server_is_a_bad_arguments_error()
    {
        await using var nat = new PeerNat([], portMapping: false);
        var e = await Assert.ThrowsAsync<CommandFailedException>(() => nat.DiscoverAsync(TestContext.Current.CancellationToken));
        Assert.Equal((int)PeerErrorCode.BadArguments, e.Code);
    }
}
