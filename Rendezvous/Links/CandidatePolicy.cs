// Who may see a user's addresses: the pure rule behind `/set direct friends|everyone|nobody`.
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Rendezvous.Links;

/// <summary>
/// The server reveals an owner's candidates to a viewer only where the owner's setting allows: <c>everyone</c> → any
/// viewer; <c>friends</c> (the default) → the owner's friends; <c>nobody</c> → never. A viewer who may not see them is
/// introduced relay-only (INTRO flag 2, no candidates). Nothing else about the owner's address is ever sent.
/// </summary>
public static class CandidatePolicy
{
    public static bool MayReveal(DirectSetting ownerSetting, bool viewerIsFriend) => ownerSetting switch
    {
        DirectSetting.Everyone => true,
        DirectSetting.Friends => viewerIsFriend,
        _ => false,
    };

    public static IReadOnlyList<LinkCandidate> Reveal(DirectSetting ownerSetting, bool viewerIsFriend, IReadOnlyList<LinkCandidate> candidates) =>
        MayReveal(ownerSetting, viewerIsFriend) ? candidates : [];
}
