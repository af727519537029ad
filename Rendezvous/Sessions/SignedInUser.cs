// Who a signed-in session is: the account's fixed facts and its current nickname and presence.
using P2PChat.Core.Protocol;

namespace P2PChat.Rendezvous.Sessions;

public sealed record SignedInUser(
    Tag Tag, string Username, string Nickname, bool IsAdmin, byte[] IdentityKey, Presence Presence, string AwayText);
