// Watches the events on their way to the front end for contacts coming online, so queued offers and resumes start at once.
using P2PChat.Core.Protocol;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Files;

/// <summary>
/// Sits between the chat session and the event stream (it passes every event on unchanged). A user event or presence
/// event saying a contact is online or away, or our own sign-in (everyone's presence is fresh then), calls
/// <paramref name="online"/> with the username, or with null for "everyone".
/// </summary>
public sealed class ContactOnlineTap(IEventSink inner, Action<string?> online) : IEventSink
{
    public void Publish(ClientEvent e)
    {
        inner.Publish(e);
        switch (e)
        {
            case UserEvent { Presence: not Presence.Offline } u: online(u.User); break;
            case PresenceEvent { Presence: not Presence.Offline } p: online(p.User); break;
            case SignedInEvent: online(null); break;
        }
    }
}
