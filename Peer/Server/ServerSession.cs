// Who we are on the current connection: our tag and name once signed in, offline-message bookkeeping, why it closed.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Peer.Server;

/// <summary>
/// Our session with the server (not the server's SessionState phases). Life of a connection: Connected (after HELLO) → IAM answered (Me set) → AuthOk (SignedIn) → closed.
/// Offline messages: STATUS 14 announces N; after N offline MSGs (or at AuthOk) the client sends OFFLINE_ACK
/// with the messageId of the last one it received (OFFLINE_ACK x means "every offline message this connection sent me
/// up to and including x, in the order they came"; ids may arrive out of order, so never the highest). An offline MSG
/// after AuthOk (one the server stored while we were signing in) is acknowledged at once. An offline id seen before on
/// this connection is a duplicate: dropped, not acknowledged again.
/// </summary>
public sealed class ServerSession
{
    private readonly object _gate = new();
    private int _offlineExpected;
    private int _offlineReceived;
    private ulong _offlineLast;
    private bool _offlineUnacknowledged;
    private readonly HashSet<ulong> _offlineSeen = [];

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
            _offlineLast = 0;
            _offlineUnacknowledged = false;
            _offlineSeen.Clear();
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

    /// <summary>True the first time an offline <paramref name="messageId"/> arrives on this connection; false for a duplicate
    /// (the server may send a message stored during sign-in both in the burst and right after it).</summary>
    public bool FirstOfflineSight(ulong messageId)
    {
        lock (_gate) return _offlineSeen.Add(messageId);
    }

    /// <summary>Counts an offline message once it is stored; returns the id to acknowledge (this one, the last received)
    /// when the announced batch is complete, or at once after sign-in.</summary>
    public ulong? OfflineReceived(ulong messageId)
    {
        lock (_gate)
        {
            _offlineReceived++;
            _offlineLast = messageId;
            _offlineUnacknowledged = true;
            return SignedIn || _offlineReceived >= _offlineExpected ? TakeAck() : null;
        }
    }

    /// <summary>The id to acknowledge if offline messages arrived that were not acknowledged yet.</summary>
    public ulong? UnacknowledgedOffline()
    {
        lock (_gate) return TakeAck();
    }

    private ulong? TakeAck()
    {
        if (!_offlineUnacknowledged) return null;
        _offlineUnacknowledged = false;
        return _offlineLast;
    }
}
