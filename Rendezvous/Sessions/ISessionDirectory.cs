// The seam commands use to reach signed-in users by tag: find, deliver, broadcast (local sessions behind it today).
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Rendezvous.Sessions;

/// <summary>
/// Who is signed in, and how frames reach them. Commands never enumerate sessions themselves: they ask this
/// directory, so that a directory spanning several server nodes can replace <see cref="SessionHub"/> (which holds
/// this node's sessions only) without touching a command. Delivery never blocks the caller (see
/// <see cref="Session.Deliver"/>).
/// </summary>
public interface ISessionDirectory
{
    /// <summary>Makes <paramref name="session"/> its user's session; returns the one it replaced, if any.</summary>
    Session? Register(Session session);

    /// <summary>True when <paramref name="session"/> was its user's current session (and now is not).</summary>
    bool Unregister(Session session);

    /// <summary>The user's live session, or null when the user is offline.</summary>
    Session? Find(uint userTag);

    bool IsOnline(uint userTag);

    /// <summary>How many users are signed in now.</summary>
    int OnlineCount { get; }

    /// <summary>A snapshot of the sessions signed in now.</summary>
    IReadOnlyList<Session> Online();

    /// <summary>Marks <paramref name="session"/> as receiving every user's roster deltas (see <see cref="Session.FollowsGeneral"/>).</summary>
    void Follow(Session session);

    /// <summary>The signed-in sessions that follow the whole general channel.</summary>
    IReadOnlyCollection<Session> Followers();

    /// <summary>Delivers <paramref name="frame"/> to the user if online; false when offline or the session is going away.</summary>
    bool Deliver(uint userTag, Frame frame);

    /// <summary>Delivers to every signed-in session but <paramref name="except"/>; <paramref name="frameFor"/> may
    /// tailor the frame to the recipient or return null to skip it.</summary>
    void Broadcast(Func<Session, Frame?> frameFor, Session? except = null);

    /// <summary>Delivers to those of <paramref name="userTags"/> who are online.</summary>
    void SendTo(IEnumerable<uint> userTags, Func<Session, Frame?> frameFor);
}
