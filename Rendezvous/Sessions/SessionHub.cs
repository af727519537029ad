// This node's signed-in sessions by user tag, and fan-out of frames to them: the local session directory.
using System.Collections.Concurrent;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Rendezvous.Sessions;

/// <summary>
/// One session per account: <see cref="Register"/> replaces (and returns) an older session of the same user;
/// <see cref="Unregister"/> removes a session only if it is still the current one, so a replaced session's
/// clean-up never signs the new one off. Fan-out never blocks (see <see cref="Session.Deliver"/>).
/// </summary>
public sealed class SessionHub : ISessionDirectory
{
    private readonly ConcurrentDictionary<uint, Session> _online = new();
    private readonly ConcurrentDictionary<Session, byte> _followers = new();

    /// <summary>Makes <paramref name="session"/> the user's session; returns the one it replaced, if any.</summary>
    public Session? Register(Session session)
    {
        Session? previous = null;
        _online.AddOrUpdate(session.UserTag.Value, session, (_, old) => { previous = old; return session; });
        return previous == session ? null : previous;
    }

    /// <summary>True when <paramref name="session"/> was the user's current session (and now is not).</summary>
    public bool Unregister(Session session)
    {
        _followers.TryRemove(session, out _);
        return !session.UserTag.IsNone && _online.TryRemove(new KeyValuePair<uint, Session>(session.UserTag.Value, session));
    }

    public void Follow(Session session)
    {
        session.FollowsGeneral = true;
        if (!session.IsClosing) _followers[session] = 0;
    }

    public IReadOnlyCollection<Session> Followers() => [.. _followers.Keys.Where(s => !s.IsClosing)];

    public Session? Find(uint userTag) => _online.TryGetValue(userTag, out var s) && !s.IsClosing ? s : null;

    public bool IsOnline(uint userTag) => Find(userTag) is not null;

    public int OnlineCount => _online.Count;

    public bool Deliver(uint userTag, Frame frame) => Find(userTag) is { } s && s.Deliver(frame);

    /// <summary>A snapshot of the sessions signed in now.</summary>
    public IReadOnlyList<Session> Online() => [.. _online.Values.Where(s => !s.IsClosing)];

    /// <summary>Delivers to every signed-in session but <paramref name="except"/>; <paramref name="frameFor"/> may
    /// tailor the frame to the recipient or return null to skip it.</summary>
    public void Broadcast(Func<Session, Frame?> frameFor, Session? except = null)
    {
        foreach (var s in Online())
            if (s != except && frameFor(s) is { } frame) s.Deliver(frame);
    }

    /// <summary>Delivers to those of <paramref name="userTags"/> who are online.</summary>
    public void SendTo(IEnumerable<uint> userTags, Func<Session, Frame?> frameFor)
    {
        foreach (var tag in userTags)
            if (Find(tag) is { } s && frameFor(s) is { } frame) s.Deliver(frame);
    }
}
