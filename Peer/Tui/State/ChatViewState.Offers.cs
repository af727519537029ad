// The view state's queue of offers waiting for the user's answer in a modal dialog (file offers; room invitations can use it too).
namespace P2PChat.Peer.Tui.State;

/// <summary>An offer to put to the user, and the command line each answer submits (Esc counts as the reject line).</summary>
public sealed record PendingOffer(OfferView View, string AcceptLine, string RejectLine);

public sealed partial class ChatViewState
{
    private readonly Queue<PendingOffer> _offers = new();

    /// <summary>Queues <paramref name="offer"/> for the dialog; the screen asks at its next frame when no other dialog is open.</summary>
    public void AskOffer(PendingOffer offer) => Mutate(() => _offers.Enqueue(offer));

    /// <summary>The oldest offer not yet put to the user, taken off the queue; null when there is none.</summary>
    public PendingOffer? TakeOffer() { lock (Gate) return _offers.TryDequeue(out var offer) ? offer : null; }
}
