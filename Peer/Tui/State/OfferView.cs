// What an incoming offer (a file, a room invitation) shows in the accept/reject dialog.
namespace P2PChat.Peer.Tui.State;

public enum OfferKind
{
    File,
    RoomInvitation,
}

/// <param name="From">Who offers (untrusted: sanitised when shown).</param>
/// <param name="Subject">The file name or the room name (untrusted).</param>
/// <param name="Detail">Size, fingerprint, member count… (untrusted).</param>
public sealed record OfferView(OfferKind Kind, string From, string Subject, string Detail = "");
