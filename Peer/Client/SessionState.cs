// Who we are on the current connection: our tag and name once signed in, offline-message bookkeeping, why it closed.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Peer.Client;

/// <summary>
/// Life of a connection: Connected (after HELLO) → IAM answered (Me set) → AuthOk (SignedIn) → closed.
/// Offline messages: STATUS 14 announces N; after N offline MSGs (or at AuthOk) the client sends OFFLINE_ACK
/// with the highest messageId it received, once per id.
/// </summary>
public sealed class SessionState
{
    private readonly object _gate = new();
    private int _offlineExpected;
    private int _offlineReceived;
    private ulong _offlineHighest;
    private ulong _offlineAcked;

    public Tag Me { get; private set; }
    public string Username { get; set; } = "";
    public string Nickname { get; set; } = "";
    public bool IsAdmin { get; private set; }
    public bool SignedIn { get; set; }
    /// <summary>The identity key the server announced for us (ADD about ourselves); empty until then.</summary>
    public byte[] ServerIdentity { get; set; } = [];

    /// <summary>The last STATUS whose code closes the connection: the reason the server gave for closing.</summary>
    public Status? Closing { get; set; }

    public void Reset()
    {
        lock (_gate)
        {
            Me = Tag.None; Username = ""; Nickname = ""; IsAdmin = false; SignedIn = false; Closing = null; ServerIdentity = [];
            _offlineExpected = _offlineReceived = 0;
            _offlineHighest = _offlineAcked = 0;
        }
    }

    public void Identified(IamOk iam)
    {
        Me = iam.Tag;
        IsAdmin = iam.IsAdmin;
        Nickname = iam.Nickname;
    }

    public void ExpectOffline(uint count)
    {
        lock (_gate) { _offlineExpected = (int)Math.Min(count, int.MaxValue); _offlineReceived = 0; }
    }

    /// <summary>Counts an offline message; returns the id to acknowledge when the announced batch is complete.</summary>
    public ulong? OfflineReceived(ulong messageId)
    {
        lock (_gate)
        {
            _offlineReceived++;
            _offlineHighest = Math.Max(_offlineHighest, messageId);
            return _offlineReceived >= _offlineExpected ? TakeAck() : null;
        }
    }

    /// <summary>The id to acknowledge if offline messages arrived that were not acknowledged yet.</summary>
    public ulong? UnacknowledgedOffline()
    {
        lock (_gate) return TakeAck();
    }

    private ulong? TakeAck()
    {
        if (_offlineHighest <= _offlineAcked) return null;
        _offlineAcked = _offlineHighest;
        return _offlineHighest;
    }
}
