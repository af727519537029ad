// Turns each frame from the server into directory changes, reply matching and client events.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Server;

/// <summary>
/// The client's half of the conversation in docs/protocol.md, after HELLO. Runs on the read loop, one frame at a time.
/// <paramref name="send"/> answers PING with PONG and sends OFFLINE_ACK and prekey refills.
/// Message bodies are read by <paramref name="hooks"/> (decrypted, for end-to-end encryption) here, in arrival order,
/// before they become message events.
/// </summary>
public sealed class ServerFrameHandler(
    ClientDirectory directory, PendingRequests pending, ServerSession session, IEventSink events,
    Func<Frame, CancellationToken, ValueTask> send, IServerHooks hooks, Action<TicketIssued>? onTicket = null)
{
    /// <summary>MEMBERS parts received so far, per channel (or own tag), until the last part makes them one UPD.</summary>
    private readonly Dictionary<Tag, (List<Tag> Members, List<Tag> Operators)> _memberParts = [];

    public async ValueTask HandleAsync(Frame frame, CancellationToken ct)
    {
        switch (frame)
        {
            case IamOk iam: session.Identified(iam); break;
            case AddUser user: OnAddUser(user); break;
            case Roster roster: foreach (var card in roster.Users) OnAddUser(card); break;
            case MembersPart part: OnMembersPart(part); break;
            case PresenceBatch batch: foreach (var p in batch.Updates) OnPresence(p); break;
            case TicketIssued ticket: onTicket?.Invoke(ticket); break;
            case AddChannel channel: OnAddChannel(channel); break;
            case Upd upd: OnUpd(upd); break;
            case RosterPageEnd end: OnRosterPageEnd(end); break;
            case MsgDeliver msg: await OnMessageAsync(msg, ct).ConfigureAwait(false); break;
            case MsgAck ack: OnAck(ack); break;
            case MsgMultiAck ack: OnMultiAck(ack); break;
            case InvNotify inv: events.Publish(new InviteEvent(directory.NameOf(inv.Channel), directory.NameOf(inv.Inviter))); break;
            case CoJoined co: OnJoined(co); break;
            case Left left: OnLeft(left); break;
            case PresenceUpdate p: OnPresence(p); break;
            case Status status: await OnStatusAsync(status, ct).ConfigureAwait(false); break;
            case Ping ping: await send(new Pong(ping.Nonce), ct).ConfigureAwait(false); break;
            case Bundle bundle: pending.TakeByKey(Opcode.Bundle, bundle.User.ToString())?.Reply?.TrySetResult(bundle); break;
            case PrekeysLow low: await OnPrekeysLowAsync(low, ct).ConfigureAwait(false); break;
        }
    }

    private bool IsMe(Tag tag) => !tag.IsNone && tag == session.Me;

    private void OnAddUser(AddUser add)
    {
        var user = directory.Upsert(add);
        if (!IsMe(add.Tag)) hooks.UserAnnounced(add.Username, add.IdentityKey);
        if (IsMe(add.Tag))
        {
            session.ServerIdentity = add.IdentityKey;
            session.Username = add.Username;
            session.Nickname = add.Nickname;
            pending.TakeOldest(Opcode.Nick);
        }
        events.Publish(new UserEvent(add.Tag.Value, user.Username, user.Nickname, user.Presence, user.AwayText, user.IsFriend, user.IsAdmin));
        pending.TakeByKey(Opcode.Resolve, add.Username)?.Reply?.TrySetResult(add);
    }

    private void OnAddChannel(AddChannel add)
    {
        var channel = directory.Upsert(add);
        // Only an ADD with the topic we asked for answers our TOPIC: the ADD of a join (or of someone else's topic)
        // arriving meanwhile must leave it pending, or the TOPIC's refusal would lose its command.
        pending.TakeByKey(Opcode.Topic, channel.Name, sent => sent is Topic asked && asked.Text == add.Topic);
        events.Publish(new ChannelEvent(add.Tag.Value, channel.Display, add.Topic,
            add.Flags.HasFlag(ChannelFlags.InviteOnly), add.Flags.HasFlag(ChannelFlags.Operator)));
        pending.TakeByKey(Opcode.Resolve, channel.Display)?.Reply?.TrySetResult(add);
    }

    private void OnUpd(Upd upd)
    {
        if (IsMe(upd.Tag))
        {
            directory.SetFriends(upd.Members);
            pending.TakeByKey(Opcode.Upd, upd.Tag.ToString());
            events.Publish(new FriendsEvent([.. upd.Members.Select(t => directory.User(t) is { } u
                ? new FriendEntry(u.Username, u.Nickname, u.Presence)
                : new FriendEntry(t.ToString(), "", Presence.Offline))]));
            return;
        }
        directory.SetMembers(upd.Tag, upd.Members, upd.Operators);
        pending.TakeByKey(Opcode.Upd, upd.Tag.ToString());
        events.Publish(new MembersEvent(directory.NameOf(upd.Tag), upd.Tag.Value,
            [.. upd.Members.Select(directory.NameOf)], [.. upd.Operators.Select(directory.NameOf)]));
    }

    /// <summary>MEMBERS: a list too large for one UPD, in parts; the last part completes it and it is handled as a UPD.</summary>
    private void OnMembersPart(MembersPart part)
    {
        if (part.Flags.HasFlag(MembersFlags.First) || !_memberParts.ContainsKey(part.Channel)) _memberParts[part.Channel] = ([], []);
        var (members, operators) = _memberParts[part.Channel];
        members.AddRange(part.Members);
        operators.AddRange(part.Operators);
        if (!part.Flags.HasFlag(MembersFlags.Last)) return;
        _memberParts.Remove(part.Channel);
        OnUpd(new Upd(part.Channel, members, operators));
    }

    private async ValueTask OnMessageAsync(MsgDeliver msg, CancellationToken ct)
    {
        var encrypted = msg.Flags.HasFlag(MessageFlags.Encrypted);
        var offline = msg.Flags.HasFlag(MessageFlags.Offline);
        if (offline && !session.FirstOfflineSight(msg.MessageId)) return; // the same stored message again: shown and acknowledged already
        var from = directory.NameOf(msg.From);
        var read = hooks.Read(new IncomingMessage(from, msg.To, IsMe(msg.To),
            directory.Channel(msg.To)?.Flags.HasFlag(ChannelFlags.InviteOnly) == true, msg.Data, encrypted, msg.MessageId, offline));
        var shown = read is not null;
        var (text, keyStatus) = (read?.Text ?? "", read?.KeyStatus);
        if (shown)
            events.Publish(new MessageEvent(from, IsMe(msg.To) ? session.Username : directory.NameOf(msg.To),
                text, DateTimeOffset.FromUnixTimeMilliseconds(msg.SentAtMs), offline, "server", encrypted, msg.MessageId, keyStatus));
        if (offline && session.OfflineReceived(msg.MessageId) is { } ack)
            await send(new OfflineAck(ack), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// At the end of sign-in, before signed_in is published: a new identity if the profile had none (IDENTITY), the
    /// signed prekey and one-time prekeys (PREKEYS). Sent first, so that others can reach us as soon as we are announced.
    /// </summary>
    private async ValueTask PublishKeysAsync(CancellationToken ct)
    {
        foreach (var frame in hooks.SignedIn(session.ServerIdentity))
        {
            pending.Add(frame.Opcode, frame is IdentityChange ? "identity" : "prekeys");
            await send(frame, ct).ConfigureAwait(false);
        }
    }

    /// <summary>PREKEYS_LOW: refill now when signed in; during the sign-in burst the refill waits for the end of sign-in.</summary>
    private async ValueTask OnPrekeysLowAsync(PrekeysLow low, CancellationToken ct)
    {
        if (hooks.PrekeysLow(low.Remaining, session.SignedIn) is not { } refill) return;
        pending.Add(Opcode.Prekeys, "prekeys");
        await send(refill, ct).ConfigureAwait(false);
    }

    private void OnAck(MsgAck ack)
    {
        var to = pending.TakeMessage(ack.RequestId) ?? "";
        if (to == PendingRequests.ControlMessage) return;
        events.Publish(new SentEvent(to, ack.RequestId, ack.MessageId, DateTimeOffset.FromUnixTimeMilliseconds(ack.SentAtMs),
            ack.Flags.HasFlag(MessageFlags.Offline)));
    }

    /// <summary>MSG_MULTI_ACK: each refused part is reported like a refused MSG to that user (an error event).</summary>
    private void OnMultiAck(MsgMultiAck ack)
    {
        pending.TakeMessage(ack.RequestId);
        foreach (var part in ack.Outcomes.Where(o => o.Code != StatusCode.Ok))
        {
            var refusal = new Status(part.Code, Opcode.MsgMulti, part.To, ack.RequestId, "");
            events.Publish(new ErrorEvent((int)part.Code, $"{directory.NameOf(part.To)}: {StatusText.Describe(refusal)}", "msg"));
        }
    }

    private void OnJoined(CoJoined co)
    {
        directory.AddMember(co.Channel, co.User);
        if (IsMe(co.User))
        {
            var name = directory.Channel(co.Channel)?.Name ?? co.Channel.ToString();
            (pending.TakeByKey(Opcode.Co, name) ?? pending.TakeByKey(Opcode.Create, name))?.Reply?.TrySetResult(co);
        }
        events.Publish(new JoinedEvent(directory.NameOf(co.Channel), directory.NameOf(co.User)));
    }

    private void OnLeft(Left left)
    {
        var channel = directory.NameOf(left.Channel);
        var kicked = left.Reason == LeaveReason.Kicked;
        var e = new LeftEvent(channel, directory.NameOf(left.User), kicked, kicked ? directory.NameOf(left.By) : null);
        if (IsMe(left.User))
        {
            pending.TakeByKey(Opcode.Leave, channel.TrimStart('#'));
            directory.RemoveChannel(left.Channel);
        }
        else directory.RemoveMember(left.Channel, left.User);
        hooks.MemberLeft(left.Channel, e.User);
        if (kicked && IsMe(left.By)) pending.TakeOldest(Opcode.Kick);
        events.Publish(e);
    }

    private void OnPresence(PresenceUpdate p)
    {
        directory.SetPresence(p.User, p.Presence, p.Text);
        if (IsMe(p.User)) pending.TakeOldest(Opcode.Presence);
        events.Publish(new PresenceEvent(directory.NameOf(p.User), p.Presence, p.Text));
    }

    /// <summary>
    /// The last frame of a roster page: its cards came just before (ROSTER/ADD, already in the directory), so the page is
    /// every online user whose tag is above <c>after</c> and at most <c>next</c> (no upper bound on the last page).
    /// </summary>
    private void OnRosterPageEnd(RosterPageEnd end)
    {
        pending.TakeOldest(Opcode.RosterPage);
        session.GeneralPagedOnline = end.Online;
        session.RosterNext = end.Next;
        var page = directory.Users
            .Where(u => u.Tag.Value > end.After.Value && (end.Next.IsNone || u.Tag.Value <= end.Next.Value) && u.Presence != Presence.Offline)
            .OrderBy(u => u.Tag.Value)
            .Select(u => u.Username)
            .ToList();
        var channel = directory.NameOf(end.Channel);
        events.Publish(new MembersEvent(channel, end.Channel.Value, page, []));
        events.Publish(new RosterPageEvent(channel, page.Count, end.Online, !end.Next.IsNone));
    }

    /// <summary>The general channel is too big to list: remember it, and answer a pending /who #general with its first page.</summary>
    private async ValueTask OnRosterPagedAsync(Status s, CancellationToken ct)
    {
        session.GeneralPagedOnline = s.Value;
        if (pending.TakeByKey(Opcode.Upd, Tag.General.ToString()) is { } who)
        {
            pending.Add(Opcode.RosterPage, who.Command);
            await send(new RosterPageRequest(Tag.General, Tag.None, RosterPageSize), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Users asked for per roster page (the server allows 1–1000).</summary>
    public const ushort RosterPageSize = 500;

    private async ValueTask OnStatusAsync(Status s, CancellationToken ct)
    {
        if (s.Code == StatusCode.RosterPaged) await OnRosterPagedAsync(s, ct).ConfigureAwait(false);
        string? command = null;
        PendingRequest? request = null;
        if (s.RefOpcode is Opcode.Msg or Opcode.MsgMulti)
        {
            command = "msg";
            pending.TakeMessage(s.Value);
        }
        else if (s.RefOpcode != 0 && !StatusText.IsNews(s.Code) && (request = pending.TakeOldest(s.RefOpcode)) is not null)
        {
            command = request.Command;
        }
        if (StatusCodes.ClosesConnection(s.Code)) session.Closing = s;
        if (request?.Silent != true || !StatusText.IsFailure(s.Code)) await PublishStatusAsync(s, command, request, ct).ConfigureAwait(false);
        // Only now: whoever awaits the answer (e.g. /login) must find its effects (SignedIn, the events) in place.
        request?.Reply?.TrySetResult(s);
    }

    private async ValueTask PublishStatusAsync(Status s, string? command, PendingRequest? request, CancellationToken ct)
    {
        var subject = s.Subject.IsNone ? null : directory.NameOf(s.Subject);
        switch (s.Code)
        {
            case StatusCode.AuthOk:
                if (session.UnacknowledgedOffline() is { } ack) await send(new OfflineAck(ack), ct).ConfigureAwait(false);
                session.SignedIn = true;
                await PublishKeysAsync(ct).ConfigureAwait(false);
                events.Publish(new SignedInEvent(session.Username, session.Me.Value, session.Nickname, session.IsAdmin));
                break;
            case StatusCode.Registered:
                events.Publish(new RegisteredEvent(request?.Key ?? subject ?? "", s.Subject.Value));
                break;
            case StatusCode.OfflineMessages:
                session.ExpectOffline(s.Value);
                events.Publish(new StatusEvent((int)s.Code, StatusText.Name(s.Code), StatusText.Describe(s), command, subject, s.Value));
                break;
            case StatusCode.FriendRequest: events.Publish(new FriendRequestEvent(subject ?? "")); break;
            case StatusCode.FriendAccepted: events.Publish(new FriendUpdateEvent(subject ?? "", "accepted")); break;
            case StatusCode.FriendRefused: events.Publish(new FriendUpdateEvent(subject ?? "", "refused")); break;
            case StatusCode.FriendRemoved: events.Publish(new FriendUpdateEvent(subject ?? "", "removed")); break;
            case StatusCode.Buzzed: events.Publish(new BuzzEvent(subject ?? "")); break;
            case StatusCode.Kicked: events.Publish(new KickedEvent(subject ?? "", StatusText.Describe(s))); break;
            case StatusCode.SignedInElsewhere: events.Publish(new SignedOutElsewhereEvent(StatusText.Describe(s))); break;
            case var code when StatusText.IsFailure(code):
                events.Publish(new ErrorEvent((int)code, StatusText.Describe(s), command));
                break;
            default:
                events.Publish(new StatusEvent((int)s.Code, StatusText.Name(s.Code), StatusText.Describe(s), command, subject, s.Value));
                break;
        }
    }
}
