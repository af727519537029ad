// What the directory knows about one user and one channel.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Peer.Server;

public sealed record UserInfo(Tag Tag, string Username, string Nickname, Presence Presence, string AwayText, UserFlags Flags)
{
    public bool IsFriend => Flags.HasFlag(UserFlags.Friend);
    public bool IsAdmin => Flags.HasFlag(UserFlags.Admin);
}

public sealed record ChannelInfo(Tag Tag, string Name, string Topic, ChannelFlags Flags)
{
    /// <summary>"#name", as commands and events write channels.</summary>
    public string Display => "#" + Name;
}
