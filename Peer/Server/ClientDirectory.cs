// The client's picture of the server: users and channels by tag and by name, channel members and friends.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Peer.Server;

/// <summary>
/// Filled from ADD, UPD, PRESENCE, CO and LEAVE frames; read by commands (name → tag) and front ends.
/// Names are matched without regard to case (usernames and channel names are unique regardless of case).
/// Thread-safe: the read loop writes while commands read.
/// </summary>
public sealed class ClientDirectory
{
    private readonly object _gate = new();
    private readonly Dictionary<Tag, UserInfo> _users = [];
    private readonly Dictionary<Tag, ChannelInfo> _channels = [];
    private readonly Dictionary<Tag, (List<Tag> Members, HashSet<Tag> Operators)> _members = [];

    public void Clear()
    {
        lock (_gate) { _users.Clear(); _channels.Clear(); _members.Clear(); }
    }

    public UserInfo Upsert(AddUser add)
    {
        var info = new UserInfo(add.Tag, add.Username, add.Nickname, add.Presence, add.AwayText, add.Flags);
        lock (_gate) _users[add.Tag] = info;
        return info;
    }

    public ChannelInfo Upsert(AddChannel add)
    {
        var info = new ChannelInfo(add.Tag, add.Name, add.Topic, add.Flags);
        lock (_gate) _channels[add.Tag] = info;
        return info;
    }

    public UserInfo? SetPresence(Tag user, Presence presence, string text)
    {
        lock (_gate)
        {
            if (!_users.TryGetValue(user, out var info)) return null;
            return _users[user] = info with { Presence = presence, AwayText = text };
        }
    }

    /// <summary>Replaces the friend flags: exactly <paramref name="friends"/> are friends now.</summary>
    public void SetFriends(IEnumerable<Tag> friends)
    {
        var set = friends.ToHashSet();
        lock (_gate)
        {
            foreach (var (tag, info) in _users.ToList())
            {
                var flags = set.Contains(tag) ? info.Flags | UserFlags.Friend : info.Flags & ~UserFlags.Friend;
                _users[tag] = info with { Flags = flags };
            }
        }
    }

    public void SetMembers(Tag channel, IEnumerable<Tag> members, IEnumerable<Tag> operators)
    {
        lock (_gate) _members[channel] = (members.ToList(), operators.ToHashSet());
    }

    public void AddMember(Tag channel, Tag user)
    {
        lock (_gate)
        {
            if (_members.TryGetValue(channel, out var m) && !m.Members.Contains(user)) m.Members.Add(user);
        }
    }

    public void RemoveMember(Tag channel, Tag user)
    {
        lock (_gate)
        {
            if (_members.TryGetValue(channel, out var m)) { m.Members.Remove(user); m.Operators.Remove(user); }
        }
    }

    /// <summary>Forgets a channel we are no longer in.</summary>
    public void RemoveChannel(Tag channel)
    {
        lock (_gate) { _channels.Remove(channel); _members.Remove(channel); }
    }

    public UserInfo? User(Tag tag) { lock (_gate) return _users.GetValueOrDefault(tag); }
    public ChannelInfo? Channel(Tag tag) { lock (_gate) return _channels.GetValueOrDefault(tag); }

    public UserInfo? FindUser(string username)
    {
        lock (_gate) return _users.Values.FirstOrDefault(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase));
    }

    /// <param name="name">with or without the leading '#'.</param>
    public ChannelInfo? FindChannel(string name)
    {
        name = name.TrimStart('#');
        lock (_gate) return _channels.Values.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A username for a user tag, "#name" for a channel tag; the tag in hex when unknown.</summary>
    public string NameOf(Tag tag)
    {
        lock (_gate)
        {
            if (tag.IsUser && _users.TryGetValue(tag, out var u)) return u.Username;
            if (tag.IsChannel && _channels.TryGetValue(tag, out var c)) return c.Display;
            return tag.ToString();
        }
    }

    public IReadOnlyList<Tag> Members(Tag channel)
    {
        lock (_gate) return _members.TryGetValue(channel, out var m) ? [.. m.Members] : [];
    }

    public IReadOnlyList<UserInfo> Users { get { lock (_gate) return [.. _users.Values]; } }
    public IReadOnlyList<ChannelInfo> Channels { get { lock (_gate) return [.. _channels.Values]; } }
    public IReadOnlyList<UserInfo> Friends { get { lock (_gate) return [.. _users.Values.Where(u => u.IsFriend)]; } }
}
