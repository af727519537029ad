// The link state of each live session, attached to the session object so it ends with it.
using System.Runtime.CompilerServices;
using P2PChat.Rendezvous.Configuration;
using P2PChat.Rendezvous.Sessions;

namespace P2PChat.Rendezvous.Links;

public sealed class LinkStates(RendezvousOptions options, TimeProvider time)
{
    private readonly ConditionalWeakTable<Session, LinkState> _states = new();

    public LinkState Of(Session session) =>
        _states.GetValue(session, _ => new LinkState(new RelayBudget(time, options.RelayPacketsPerSecond, options.RelayBytesPerSecond)));
}
