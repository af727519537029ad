// The compile-time JSON metadata of every client event (System.Text.Json source generation): no reflection at run time.
using System.Text.Json.Serialization;
using P2PChat.Peer.Events;
using P2PChat.Peer.Files;
using P2PChat.Peer.Links;
using P2PChat.Peer.Nat;
using P2PChat.Peer.Rooms;

namespace P2PChat.Peer.Hosting;

/// <summary>
/// One line per <see cref="ClientEvent"/> record; a new event needs its line here (tests/Peer.Tests/Hosting checks that
/// every concrete event type of the assembly is listed). Types the events hold (entries, enums, lists) follow by
/// themselves. It lives in Hosting, the first module that sees every feature's events (Events sits below them all).
/// The naming, null and enum rules are <see cref="EventJson"/>'s options, not attributes here.
/// </summary>
[JsonSerializable(typeof(ConnectedEvent))]
[JsonSerializable(typeof(DisconnectedEvent))]
[JsonSerializable(typeof(ReconnectingEvent))]
[JsonSerializable(typeof(RegisteredEvent))]
[JsonSerializable(typeof(SignedInEvent))]
[JsonSerializable(typeof(UserEvent))]
[JsonSerializable(typeof(ChannelEvent))]
[JsonSerializable(typeof(MembersEvent))]
[JsonSerializable(typeof(RosterPageEvent))]
[JsonSerializable(typeof(FriendsEvent))]
[JsonSerializable(typeof(MessageEvent))]
[JsonSerializable(typeof(DecryptFailedEvent))]
[JsonSerializable(typeof(KeyChangedEvent))]
[JsonSerializable(typeof(MessageHeldEvent))]
[JsonSerializable(typeof(FingerprintEvent))]
[JsonSerializable(typeof(ContactKeyEvent))]
[JsonSerializable(typeof(SentEvent))]
[JsonSerializable(typeof(PresenceEvent))]
[JsonSerializable(typeof(InviteEvent))]
[JsonSerializable(typeof(JoinedEvent))]
[JsonSerializable(typeof(LeftEvent))]
[JsonSerializable(typeof(FriendRequestEvent))]
[JsonSerializable(typeof(FriendUpdateEvent))]
[JsonSerializable(typeof(BuzzEvent))]
[JsonSerializable(typeof(KickedEvent))]
[JsonSerializable(typeof(SignedOutElsewhereEvent))]
[JsonSerializable(typeof(StatusEvent))]
[JsonSerializable(typeof(ErrorEvent))]
[JsonSerializable(typeof(HelpEvent))]
[JsonSerializable(typeof(NatEvent))]
[JsonSerializable(typeof(LinkEvent))]
[JsonSerializable(typeof(LinksEvent))]
[JsonSerializable(typeof(DirectSettingEvent))]
[JsonSerializable(typeof(FileOfferEvent))]
[JsonSerializable(typeof(FileQueuedEvent))]
[JsonSerializable(typeof(FileOfferedEvent))]
[JsonSerializable(typeof(FileAcceptedEvent))]
[JsonSerializable(typeof(FileRejectedEvent))]
[JsonSerializable(typeof(FileProgressEvent))]
[JsonSerializable(typeof(FileDoneEvent))]
[JsonSerializable(typeof(FileFailedEvent))]
[JsonSerializable(typeof(FileCancelledEvent))]
[JsonSerializable(typeof(FileWaitingEvent))]
[JsonSerializable(typeof(FileInterruptedEvent))]
[JsonSerializable(typeof(FileRefusedEvent))]
[JsonSerializable(typeof(TransfersEvent))]
[JsonSerializable(typeof(RoomInviteEvent))]
[JsonSerializable(typeof(RoomJoinedEvent))]
[JsonSerializable(typeof(RoomStateEvent))]
[JsonSerializable(typeof(RoomHostEvent))]
[JsonSerializable(typeof(RoomMemberEvent))]
[JsonSerializable(typeof(RoomLeftEvent))]
[JsonSerializable(typeof(RoomsEvent))]
[JsonSerializable(typeof(RoomVoteEvent))]
[JsonSerializable(typeof(RoomGameEvent))]
public sealed partial class EventJsonContext : JsonSerializerContext;
