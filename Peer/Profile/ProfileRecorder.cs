// Keeps profile.json up to date from client events: the pinned fingerprint after connecting, the username after sign-in.
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Profile;

public sealed class ProfileRecorder(ProfileStore store)
{
    public void Observe(ClientEvent e)
    {
        switch (e)
        {
            case ConnectedEvent { Pin: PinOutcome.FirstUse or PinOutcome.Replaced } c:
                store.Update(p => p with { Server = c.Server, ServerFingerprint = c.Fingerprint });
                break;
            case ConnectedEvent c:
                store.Update(p => p with { Server = c.Server });
                break;
            case SignedInEvent s:
                store.Update(p => p with { Username = s.User });
                break;
        }
    }
}
