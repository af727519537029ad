// How users and channels are described to one recipient: ADD frames whose flags depend on who receives them.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Rendezvous.Commands;

public static class Describe
{
    public const string GeneralName = "general";

    /// <summary>ADD for an online user (current nickname and presence).</summary>
    public static AddUser User(SignedInUser u, Session recipient) =>
        new(u.Tag, u.Nickname, u.Username, u.Presence, u.AwayText, Flags(u.Tag.Value, u.IsAdmin, recipient), u.IdentityKey);

    /// <summary>ADD for an online user with the given flags besides admin (one instance shared by many recipients).</summary>
    public static AddUser User(SignedInUser u, UserFlags relation) =>
        new(u.Tag, u.Nickname, u.Username, u.Presence, u.AwayText, relation | (u.IsAdmin ? UserFlags.Admin : 0), u.IdentityKey);

    /// <summary>ADD for a user who is offline.</summary>
    public static AddUser Offline(Account a, bool isAdmin, Session recipient) =>
        new(new Tag(a.Tag), a.Profile.Nickname, a.Username, Presence.Offline, "", Flags(a.Tag, isAdmin, recipient), Key(a));

    public static AddChannel Channel(Channel c, bool recipientIsOperator) =>
        new(new Tag(c.Tag), c.Name, (c.InviteOnly ? ChannelFlags.InviteOnly : 0) | (recipientIsOperator ? ChannelFlags.Operator : 0), c.Topic ?? "");

    public static AddChannel General { get; } = new(Tag.General, GeneralName, ChannelFlags.None, "");

    public static byte[] Key(Account a) => a.IdentityKey is { } k ? k.ToArray() : [];

    private static UserFlags Flags(uint tag, bool isAdmin, Session recipient) =>
        (recipient.IsFriend(tag) ? UserFlags.Friend : 0) | (isAdmin ? UserFlags.Admin : 0);
}
