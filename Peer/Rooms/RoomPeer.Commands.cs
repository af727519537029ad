// The room operations commands call: admit, leave, vote, rotate, kick, ban, play — checked on the room's queue.
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Protocol;
using P2PChat.Core.Rooms;

namespace P2PChat.Peer.Rooms;

public sealed partial class RoomPeer
{
    private readonly List<(Tag User, TaskCompletionSource<SignedRoomState> Done)> _admissions = [];

    internal void AcceptMember(RoomConnection conn, RoomFrame.Hello hello) => Enqueue(() => OnHello(conn, hello));

    internal void DeliverFromMember(RoomConnection conn, RoomFrame frame) => Enqueue(() => OnMemberFrame(conn, frame));

    internal void MemberGone(RoomConnection conn, string? why) => Enqueue(() => OnMemberGone(conn, why));

    /// <summary>Adds <paramref name="user"/> to the state (we sign as host, or ask the host) and returns the state listing them.</summary>
    public async Task<SignedRoomState> AdmitAsync(Tag user, IdentityPublicKey identity, CancellationToken ct)
    {
        var done = new TaskCompletionSource<SignedRoomState>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(() =>
        {
            if (State.Banned.Contains(user)) done.TrySetException(new RoomCommandException($"{Name(user)} is banned from this room"));
            else if (State.Find(user) is { } m)
            {
                if (m.Identity.Equals(identity)) done.TrySetResult(_signed);
                else done.TrySetException(new RoomCommandException($"{Name(user)} is listed with another identity key"));
            }
            else if (IsHost)
            {
                SignAndApply(State with { Version = State.Version + 1, Members = [.. State.Members, new RoomMember(user, identity, RoomRole.Member)], Succession = [.. State.Succession, user] }, "invited");
                done.TrySetResult(_signed);
            }
            else if (_host is { Ended: false } h)
            {
                _admissions.Add((user, done));
                h.Send(new RoomFrame.Request(RoomFrame.RequestOp.Admit, user, identity));
            }
            else done.TrySetException(new RoomCommandException("the host is not reachable right now; try again"));
        });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        using (timeout.Token.Register(() => done.TrySetException(new RoomCommandException("the host did not admit them in time"))))
            return await done.Task.ConfigureAwait(false);
    }

    /// <summary>Completes invitations waiting for the host to list their invitee.</summary>
    private void SettleAdmissions()
    {
        foreach (var a in _admissions.Where(a => State.IsMember(a.User)).ToList())
        {
            a.Done.TrySetResult(_signed);
            _admissions.Remove(a);
        }
    }

    public Task LeaveAsync() => AskAsync(() =>
    {
        if (IsHost && State.Succession.Count > 0)
        {
            var next = State.Succession[0];
            SignAndApply(State with
            {
                Version = State.Version + 1, Epoch = State.Epoch + 1, Host = next,
                Members = [.. State.Members.Where(m => m.Tag != _ctx.Me)], Succession = [.. State.Succession.Skip(1)],
            }, "leave");
        }
        else if (_host is { Ended: false } h)
        {
            // We sign our own removal (anyone may remove themselves), so every member sees a leave, not a kick.
            h.Send(new RoomFrame.State((State with
            {
                Version = State.Version + 1,
                Members = [.. State.Members.Where(m => m.Tag != _ctx.Me)],
                Succession = [.. State.Succession.Where(t => t != _ctx.Me)],
            }).Sign(_ctx.Me, _ctx.Identity)));
        }
        LeaveLocally("left");
        return true;
    });

    public Task VoteAsync(Tag candidate) => AskAsync(() =>
    {
        if (!State.IsMember(candidate)) throw new RoomCommandException($"{Name(candidate)} is not a member of {RoomName}");
        Send(new RoomPayload.Vote(candidate, State.Epoch));
        return true;
    });

    public Task RotateAsync(ushort minutes) => AskAsync(() =>
    {
        var me = State.Find(_ctx.Me)!;
        if (!IsHost && !me.Moderates) throw new RoomCommandException("only the host or a moderator sets rotation");
        var next = State with { Version = State.Version + 1, RotationMinutes = minutes };
        if (IsHost) SignAndApply(next, "rotation set");
        else SendSigned(next);
        _hostSince = _ctx.Time.GetTimestamp();
        return true;
    });

    /// <summary>The host draws the next host now (a rotation round among the members online), whatever the interval.</summary>
    public Task RotateNowAsync() => AskAsync(() =>
    {
        if (!IsHost) throw new RoomCommandException($"only the host starts a rotation now; {Name(State.Host)} hosts {RoomName}");
        if (_rotationRound is not null) throw new RoomCommandException("a rotation draw is already under way");
        StartRound(RoomPayload.RoundPurpose.Rotation, 0);
        return true;
    });

    public Task RemoveAsync(Tag user, bool ban) => AskAsync(() =>
    {
        var me = State.Find(_ctx.Me)!;
        if (!me.Moderates) throw new RoomCommandException("only the creator and moderators kick and ban");
        if (State.Find(user) is not { } target) throw new RoomCommandException($"{Name(user)} is not a member");
        if (target.Role != RoomRole.Member && me.Role != RoomRole.Creator || target.Role == RoomRole.Creator)
            throw new RoomCommandException($"you may not remove {Name(user)}");
        if (target.Tag == State.Host) throw new RoomCommandException("vote another host first, then kick");
        var next = State with
        {
            Version = State.Version + 1,
            Members = [.. State.Members.Where(m => m.Tag != user)],
            Succession = [.. State.Succession.Where(t => t != user)],
            Banned = ban ? [.. State.Banned, user] : State.Banned,
        };
        if (IsHost) SignAndApply(next, "kick");
        else SendSigned(next);
        return true;
    });

    /// <summary>Makes a member a moderator (the creator only).</summary>
    public Task PromoteAsync(Tag user) => AskAsync(() =>
    {
        if (State.Find(_ctx.Me)?.Role != RoomRole.Creator) throw new RoomCommandException("only the creator makes moderators");
        if (State.Find(user) is not { Role: RoomRole.Member }) throw new RoomCommandException($"{Name(user)} is not a plain member");
        var next = State with { Version = State.Version + 1, Members = [.. State.Members.Select(m => m.Tag == user ? m with { Role = RoomRole.Moderator } : m)] };
        if (IsHost) SignAndApply(next, "promoted");
        else SendSigned(next);
        return true;
    });

    private void SendSigned(RoomState next)
    {
        if (_host is not { Ended: false } h) throw new RoomCommandException("the host is not reachable right now; try again");
        h.Send(new RoomFrame.State(next.Sign(_ctx.Me, _ctx.Identity)));
    }

    public Task SayAsync(string text) => AskAsync(() =>
    {
        Send(new RoomPayload.Text(text));
        return true;
    });

    public Task PlayAsync(RoomPayload payload) => AskAsync(() =>
    {
        Send(payload);
        return true;
    });

    public Task<ulong?> MyHandAsync() => AskAsync(MyHand);

    public Task ShowAsync() => AskAsync(() =>
    {
        PublishState();
        return true;
    });
}
