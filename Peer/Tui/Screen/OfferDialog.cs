// The modal accept/reject dialog for an incoming file offer or room invitation.
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Text;
using Terminal.Gui.App;
using Terminal.Gui.Views;

namespace P2PChat.Peer.Tui.Screen;

/// <summary>
/// <c>MessageBox.Query</c> with "Accept" and "Reject"; Reject is the default button (Enter alone never accepts a
/// file from someone else), A accepts, Esc (no answer) counts as reject. Everything shown comes
/// from another user, so it is sanitised first. Call on the UI thread (from <c>app.Invoke</c> when the offer
/// arrives from the network); it returns when answered, while the main screen keeps its state.
/// </summary>
public static class OfferDialog
{
    /// <summary>Button labels; the underscore makes A and R their hot keys.</summary>
    public const string Accept = "_Accept";
    public const string Reject = "_Reject";

    public static bool Ask(IApplication app, OfferView offer) =>
        MessageBox.Query(app, TitleOf(offer), TextOf(offer), Accept, Reject) == 0;

    public static string TitleOf(OfferView offer) => offer.Kind switch
    {
        OfferKind.File => "Incoming file",
        _ => "Room invitation",
    };

    public static string TextOf(OfferView offer)
    {
        string from = TextSanitizer.Clean(offer.From, keepNewlines: false);
        string subject = TextSanitizer.Clean(offer.Subject, keepNewlines: false);
        string detail = TextSanitizer.Clean(offer.Detail, keepNewlines: false);
        string what = offer.Kind == OfferKind.File ? $"{from} wants to send you {subject}" : $"{from} invites you to the room {subject}";
        return detail.Length > 0 ? $"{what}\n{detail}" : what;
    }
}
