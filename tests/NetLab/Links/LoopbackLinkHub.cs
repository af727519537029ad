// Test support: in-process peers that make real secured UDP links to each other on loopback, behind the IContactLinks seam.
using System.Collections.Concurrent;
using System.Net;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Protocol;

namespace P2PChat.NetLab.Links;

/// <summary>
/// Stands in for the rendezvous server's introduction: every peer added here can reach every other by tag. Links are
/// real (UDP transport on 127.0.0.1, Noise XX proving both identity keys), so files and rooms can be tested over them
/// before NAT traversal is wired. Dispose the hub to close every endpoint.
/// </summary>
public sealed class LoopbackLinkHub : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Tag, LoopbackContactLinks> _peers = new();
    private uint _nextUser = 1;

    /// <summary>Adds a peer with a fresh identity (or the one given) and a tag of its own.</summary>
    public LoopbackContactLinks AddPeer(IdentityKeyPair? identity = null, TimeProvider? time = null)
    {
        var tag = Tag.User(Interlocked.Increment(ref _nextUser));
        var peer = new LoopbackContactLinks(this, tag, identity ?? IdentityKeyPair.Generate(), time);
        _peers[tag] = peer;
        return peer;
    }

    internal LoopbackContactLinks? Find(Tag tag) => _peers.GetValueOrDefault(tag);

    internal IdentityPublicKey? IdentityOf(Tag tag) => _peers.TryGetValue(tag, out var p) && !p.IsOffline ? p.Identity.Public : null;

    internal Tag? TagOf(IdentityPublicKey identity) =>
        _peers.Values.FirstOrDefault(p => p.Identity.Public.Equals(identity)) is { } peer ? peer.Tag : null;

    internal EndPoint? EndPointOf(Tag tag) => _peers.TryGetValue(tag, out var p) && !p.IsOffline ? p.LocalEndPoint : null;

    public async ValueTask DisposeAsync()
    {
        foreach (var peer in _peers.Values) await peer.DisposeAsync();
        _peers.Clear();
    }
}
