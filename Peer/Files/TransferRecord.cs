// One transfer as this peer remembers it across restarts: who, what, where, how far, and what the peer still has to hear.
using P2PChat.Core.Files;
using P2PChat.Core.Protocol;

namespace P2PChat.Peer.Files;

public enum TransferDirection : byte
{
    Send = 0,
    Receive = 1,
}

/// <summary>
/// Send: Queued (offer not yet delivered) → Offered → Accepted → Done, or Rejected / Cancelled / Failed; Paused when the
/// receiver refused a session (e.g. its disk is full) until it accepts again. Receive: Offered → Accepted → Done, or
/// Rejected / Cancelled / Failed; Paused after a full disk until /accept again.
/// </summary>
public enum TransferStatus : byte
{
    Queued = 0,
    Offered = 1,
    Accepted = 2,
    Paused = 3,
    Done = 4,
    Rejected = 5,
    Cancelled = 6,
    Failed = 7,
}

public sealed class TransferRecord
{
    public required TransferDirection Direction { get; init; }
    public required Tag Peer { get; init; }
    public required string PeerName { get; init; }
    public required FileManifest Manifest { get; init; }
    /// <summary>Send: the folder holding the offered file or folder. Receive: the target folder (set on accept).</summary>
    public string Path { get; set; } = "";
    /// <summary>Receive: the top-level name chosen on accept (the offered one, suffixed if taken).</summary>
    public string TopName { get; set; } = "";
    public TransferStatus Status { get; set; }
    /// <summary>A control message the peer has not acknowledged yet (0: none); sent again on every new link.</summary>
    public TransferMessageType Owed { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset Created { get; init; }

    public TransferId Id => Manifest.Id;
    public bool IsFinal => Status is TransferStatus.Done or TransferStatus.Rejected or TransferStatus.Cancelled or TransferStatus.Failed;
    public string DirectionName => Direction == TransferDirection.Send ? "send" : "receive";
}
