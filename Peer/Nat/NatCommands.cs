// The /nat command: runs discovery and port mapping and publishes one NatEvent.
using P2PChat.Peer.Commands;

namespace P2PChat.Peer.Nat;

public static class NatCommands
{
    public static IReadOnlyList<CommandSpec> For(PeerNat nat) =>
    [
        new("nat", [], "show how the Internet sees you: NAT mapping behaviour, reflexive address, router-mapped port, IPv6",
            async (c, _, ct) => c.Events.Publish(await nat.DiscoverAsync(ct).ConfigureAwait(false))),
    ];
}
