// --stun, --no-port-mapping and the default STUN servers of /nat.
using P2PChat.Peer.Client;
using P2PChat.Peer.Nat;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Nat;

public sealed class NatOptionsTests : IDisposable
{
    private readonly TempDirectory _profile = new();
    private PeerSettings? _ran;

    private async Task<int> Run(params string[] args)
    {
        var root = PeerCommandLine.Build((settings, _) => { _ran = settings; return Task.FromResult(0); });
        return await root.Parse([.. args, "--profile", _profile.Path]).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Stun_is_repeatable_and_port_mapping_can_be_turned_off()
    {
        Assert.Equal(0, await Run("--headless", "--server", "127.0.0.1:7001", "--stun", "stun.example:3478", "--stun", "[::1]:3479", "--no-port-mapping"));
        Assert.Equal([new ServerAddress("stun.example", 3478), new ServerAddress("::1", 3479)], _ran!.Stun);
        Assert.False(_ran.PortMapping);
        Assert.Null(_ran.PortMappingLifetime);
    }

    [Theory]
    [InlineData("stun.example")]
    [InlineData("host:notaport")]
    public async Task A_stun_server_without_a_port_stops_the_program(string value) =>
        Assert.Equal(2, await Run("--headless", "--server", "127.0.0.1:7001", "--stun", value));

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

    public void Dispose() => _profile.Dispose();
}
