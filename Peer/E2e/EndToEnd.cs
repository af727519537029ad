// The peer's end-to-end encryption, owned by the peer session: its four parts over one set of open keys.
using P2PChat.Peer.Events;

namespace P2PChat.Peer.E2e;

/// <summary>
/// <see cref="Keys"/> (keys and prekeys), <see cref="Contacts"/> (trust and held messages), <see cref="Pairwise"/>
/// (pairwise sessions for PMs) and <see cref="Groups"/> (sender keys for invite-only channels) share one
/// <see cref="E2eState"/>: one lock, and state persisted sealed after every change. Without a profile folder it is
/// disabled (plaintext PMs, the pre-E2E behaviour kept for tests of other layers).
/// </summary>
public sealed class EndToEnd : IDisposable
{
    private readonly E2eState _state;

    public EndToEnd(IEventSink events, TimeProvider time, string? profileFolder)
    {
        _state = new E2eState(events, time, profileFolder);
        Keys = new AccountKeyring(_state);
        Contacts = new ContactTrust(_state);
        Pairwise = new PairwiseMessages(_state, Contacts);
        Groups = new GroupMessages(_state);
    }

    public bool Enabled => Keys.Enabled;
    public AccountKeyring Keys { get; }
    public ContactTrust Contacts { get; }
    public PairwiseMessages Pairwise { get; }
    public GroupMessages Groups { get; }

    public void Dispose()
    {
        Keys.DisposeRegistration();
        _state.Dispose();
    }
}
