// The one registry of peer-to-peer payload kinds: the first byte of every plaintext peers send each other end to end.
namespace P2PChat.Core.Payloads;

/// <summary>
/// Every plaintext a peer encrypts for another peer (inside a pairwise session, a sender-key group message, or later a
/// direct link) starts with one of these bytes, so a receiver can tell chat from control traffic before anything is
/// shown. Ranges are reserved per feature so that adding a kind never renumbers another:
/// <code>
/// 0x01–0x0F  messaging      0x01 Text, 0x02 SenderKey
/// 0x10–0x1F  direct links   0x10 PrivateMessage (a link stream carrying one PM envelope)
/// 0x20–0x2F  file transfer  (offer, accept, reject, chunk requests, cancel)
/// 0x30–0x3F  private rooms  (state, votes, membership, handoff)
/// 0x40–0x4F  games          (commit, reveal, results)
/// </code>
/// A kind a peer does not know is dropped with a decrypt_failed event, never shown as text.
/// </summary>
public enum PayloadKind : byte
{
    /// <summary>Chat text: body = UTF-8.</summary>
    Text = 0x01,

    /// <summary>Our sender key for an invite-only channel (control, never shown): body = channel tag u32 BE | SenderKeyDistribution.</summary>
    SenderKey = 0x02,

    /// <summary>A contact-link stream carrying one PM (the same end-to-end envelope the server would carry); layout in Peer/Links/LinkMessageCodec.</summary>
    PrivateMessage = 0x10,
}
