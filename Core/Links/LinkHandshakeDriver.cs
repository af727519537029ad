// The link handshake as a sans-I/O state machine over a byte stream: Noise XX plus a two-phase switch to the new keys.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Handshake;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Links;

/// <summary>What the caller does after feeding bytes: apply the key action first, then write <see cref="Send"/>.</summary>
/// <param name="Send">bytes to write on the handshake stream (may be empty).</param>
/// <param name="Prepare">initiator: accept packets under these keys, keep sending under the old ones until one opens.</param>
/// <param name="Upgrade">responder: switch sending and receiving to these keys now.</param>
public sealed record LinkHandshakeStep(byte[] Send, LinkKeys? Prepare, LinkKeys? Upgrade, bool Complete);

/// <summary>
/// Order of a link handshake on the first stream of a fresh (unkeyed) connection:
/// <code>
/// initiator                                   responder
/// HELLO(m1)          ------------------->
///                    <-------------------     REPLY(m2)            (initiator checks the responder's identity)
/// prepare; FINISH(m3) ------------------>                          (responder checks the initiator's identity)
///                    <===================     upgrade; READY       (keyed: opening it switches the initiator;
///                                                                   the responder is complete once READY is written)
/// </code>
/// Why this order: Noise XX gives the initiator its keys with m2 and the responder its keys only with m3. So the
/// initiator prepares the keys (accepts packets under them, still sends unkeyed) before it writes m3, and the
/// responder, which holds the keys only once m3 arrived, switches at once: everything it sends from then on,
/// retransmissions included, is keyed, and the initiator can open it. A lost or still-queued m3 is retransmitted
/// unkeyed, which the responder still opens (<c>TransportConnection.UpgradeProtection</c> falls back to the old
/// protection until the first keyed packet arrives). No message is ever sent under keys the peer cannot have yet, and
/// the responder can send keyed application data one and a half round trips after HELLO (the initiator after two).
/// The link puts the responder on the side that opened the transport connection (docs/nat-traversal.md, "Time to
/// link"): the initiator then writes HELLO as soon as it accepts, and the side that connected is done first.
/// States: initiator Start → SentHello → SentFinish → Complete; responder Start → SentReply → Complete;
/// any rejection → Failed (every later call throws). Frame type 5 (DONE, a fourth message of earlier versions) is
/// not sent and is refused.
/// </summary>
public sealed class LinkHandshakeDriver : IDisposable
{
    private static readonly byte[] Prologue = "P2PChat link v1"u8.ToArray();
    private readonly List<byte> _buffer = [];
    private readonly LinkHandshakeInitiator? _initiator;
    private readonly LinkHandshakeResponder? _responder;
    private readonly Func<IdentityPublicKey, bool> _accept;
    private Phase _phase;

    private enum Phase { Start, SentHello, SentReply, SentFinish, Complete, Failed }

    private LinkHandshakeDriver(LinkHandshakeInitiator? initiator, LinkHandshakeResponder? responder, Func<IdentityPublicKey, bool> accept)
    {
        _initiator = initiator;
        _responder = responder;
        _accept = accept;
    }

    /// <summary>The side that opened the connection; it knows whom it called and refuses anyone else.</summary>
    public static LinkHandshakeDriver Initiator(IdentityKeyPair me, IdentityPublicKey expected, IKeySource? keys = null) =>
        new(new LinkHandshakeInitiator(me, expected, Prologue, keys), null, remote => remote.Equals(expected));

    /// <summary>The side that accepted; <paramref name="accept"/> decides whether the proven identity may talk to it.</summary>
    public static LinkHandshakeDriver Responder(IdentityKeyPair me, Func<IdentityPublicKey, bool> accept, IKeySource? keys = null) =>
        new(null, new LinkHandshakeResponder(me, null, Prologue, keys), accept);

    public bool IsComplete => _phase == Phase.Complete;

    /// <summary>The identity the other side proved (after REPLY for the initiator, after FINISH for the responder).</summary>
    public IdentityPublicKey? RemoteIdentity => _initiator?.RemoteIdentity ?? _responder?.RemoteIdentity;

    /// <summary>The link keys, once agreed.</summary>
    public LinkKeys Keys => (LinkKeys?)_initiator?.Keys ?? _responder!.Keys;

    /// <summary>The initiator's first bytes (HELLO); nothing for the responder.</summary>
    public byte[] Start()
    {
        if (_initiator is null || _phase != Phase.Start) return [];
        _phase = Phase.SentHello;
        return LinkHandshakeFrame.Encode(LinkFrameType.Hello, Guard(() => _initiator.WriteMessage1()));
    }

    /// <summary>Feeds bytes read from the handshake stream; returns what to do next.</summary>
    /// <exception cref="LinkHandshakeException">the handshake failed; close the connection.</exception>
    public LinkHandshakeStep Receive(ReadOnlySpan<byte> bytes)
    {
        if (_phase == Phase.Failed) throw new LinkHandshakeException("the handshake already failed");
        _buffer.AddRange(bytes.ToArray());
        var send = new List<byte>();
        LinkKeys? prepare = null, upgrade = null;
        try
        {
            while (LinkHandshakeFrame.TryTake(_buffer, out var type, out var body))
            {
                switch ((_phase, type))
                {
                    case (Phase.Start, LinkFrameType.Hello) when _responder is not null:
                        _responder.ReadMessage1(body);
                        send.AddRange(LinkHandshakeFrame.Encode(LinkFrameType.Reply, _responder.WriteMessage2()));
                        _phase = Phase.SentReply;
                        break;
                    case (Phase.SentHello, LinkFrameType.Reply):
                        _initiator!.ReadMessage2(body);
                        send.AddRange(LinkHandshakeFrame.Encode(LinkFrameType.Finish, _initiator.WriteMessage3()));
                        prepare = _initiator.Keys;   // the responder has them once FINISH arrives; its READY comes keyed
                        _phase = Phase.SentFinish;
                        break;
                    case (Phase.SentReply, LinkFrameType.Finish):
                        _responder!.ReadMessage3(body);
                        if (!_accept(_responder.RemoteIdentity!)) throw new LinkHandshakeException("the caller's identity is not accepted here");
                        upgrade = _responder.Keys;
                        send.AddRange(LinkHandshakeFrame.Encode(LinkFrameType.Ready, []));
                        _phase = Phase.Complete;
                        break;
                    case (Phase.SentFinish, LinkFrameType.Ready):
                        _phase = Phase.Complete;
                        break;
                    default:
                        throw new LinkHandshakeException($"handshake frame {type} was not expected now ({_phase})");
                }
                if (body.Length > 0 && type is LinkFrameType.Ready or LinkFrameType.Done)
                    throw new LinkHandshakeException($"{type} carries no body");
            }
        }
        catch (Exception e) when (e is LinkHandshakeException or CryptoProtocolException)
        {
            _phase = Phase.Failed;
            throw e as LinkHandshakeException ?? new LinkHandshakeException($"the handshake was rejected: {e.Message}", e);
        }
        return new LinkHandshakeStep([.. send], prepare, upgrade, IsComplete);
    }

    private T Guard<T>(Func<T> step)
    {
        try { return step(); }
        catch (CryptoProtocolException e) { _phase = Phase.Failed; throw new LinkHandshakeException(e.Message, e); }
    }

    public void Dispose()
    {
        _initiator?.Dispose();
        _responder?.Dispose();
    }
}
