// The requests a signed-in user makes (register, login, messages, channels, friends, moderation) and name resolution.
using System.Text;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Server;

/// <summary>
/// Each request is sent and matched to its answer by <see cref="PendingRequests"/>; answers become events in
/// <see cref="ServerFrameHandler"/>. Names are turned into tags from the directory, or by RESOLVE.
/// </summary>
public sealed partial class ServerConnection
{
    private async Task RequestAsync(Frame frame, string command, CancellationToken ct, string? key = null, bool wantsReply = false)
    {
        _pending.Add(frame.Opcode, command, key, wantsReply, sent: frame);
        await SendAsync(frame, ct).ConfigureAwait(false);
    }

    /// <summary>Throws NotSignedIn unless signed in.</summary>
    public void RequireSignedIn()
    {
        if (!IsSignedIn) throw new CommandFailedException(PeerErrorCode.NotSignedIn, "sign in first: /login USER PASSWORD");
    }

    /// <summary>Returns once the server has answered (a registered or error event), so the next command can rely on it.</summary>
    public Task RegisterAsync(Register form, CancellationToken ct) => RegisterCoreAsync(form, silent: false, ct);

    /// <summary>REGISTER; returns true when the account was made. <paramref name="silent"/>: a refusal raises no error event.</summary>
    private async Task<bool> RegisterCoreAsync(Register form, bool silent, CancellationToken ct)
    {
        await ConnectAsync(ct).ConfigureAwait(false);
        // The identity is made here, on the peer; only its public half goes to the server.
        if (_hooks.IdentityForRegistration(form.Username, form.Password) is { } identity) form = form with { IdentityKey = identity };
        var registered = false;
        try
        {
            registered = await UntilAdmittedAsync(async () =>
            {
                var request = _pending.Add(Opcode.Register, "register", form.Username, wantsReply: true, silent: silent);
                await SendAsync(form, ct).ConfigureAwait(false);
                return await AwaitAnswerAsync(request, _options.ReplyTimeout, "REGISTER", ct).ConfigureAwait(false);
            }, ct).ConfigureAwait(false) is Status { Code: StatusCode.Registered };
        }
        finally { _hooks.RegistrationFinished(registered); }
        return registered;
    }

    /// <summary>Returns once the sign-in burst is complete (signed_in) or sign-in was refused (error), so the next command can rely on it.</summary>
    public Task LoginAsync(string username, string password, CancellationToken ct)
    {
        CancelReconnect();
        return LoginCoreAsync(username, password, silent: false, ct);
    }

    /// <summary>
    /// Signs in as the peer starts (--login). With <paramref name="registerIfMissing"/>, an account that does not exist
    /// yet (STATUS 3 or 4) is registered and signed in to, without an error event for the first attempt.
    /// </summary>
    public async Task SignInAsync(string username, string password, bool registerIfMissing, CancellationToken ct)
    {
        CancelReconnect();
        var reply = await LoginCoreAsync(username, password, silent: registerIfMissing, ct).ConfigureAwait(false);
        if (!registerIfMissing || reply is not Status { } refusal || !StatusText.IsFailure(refusal.Code)) return;
        // The server answers an unknown user and a wrong password alike (STATUS 4; older servers: 3 for unknown), so
        // the account is registered quietly: "username taken" means the password was wrong after all.
        if (refusal.Code is StatusCode.UnknownUser or StatusCode.WrongPassword && IsConnected
            && await RegisterCoreAsync(new Register(username, password), silent: true, ct).ConfigureAwait(false))
        {
            await LoginCoreAsync(username, password, silent: false, ct).ConfigureAwait(false);
            return;
        }
        _events.Publish(new ErrorEvent((int)refusal.Code, StatusText.Describe(refusal), "login"));
    }

    private async Task<Frame?> LoginCoreAsync(string username, string password, bool silent, CancellationToken ct)
    {
        if (IsSignedIn) throw new CommandFailedException(PeerErrorCode.BadArguments, $"already signed in as {_session.Username}");
        if (Encoding.UTF8.GetByteCount(username) > byte.MaxValue || Encoding.UTF8.GetByteCount(password) > byte.MaxValue)
            throw new CommandFailedException(PeerErrorCode.BadArguments, "the username and the password are at most 255 bytes each");
        await ConnectCoreAsync(ct).ConfigureAwait(false);
        _session.Username = username;
        // Keys open before IAM: the offline messages in the sign-in burst are decrypted as they arrive.
        _hooks.SigningIn(username, password);
        var reply = await UntilAdmittedAsync(async () =>
        {
            var request = _pending.Add(Opcode.Iam, "login", username, wantsReply: true, silent: silent);
            await SendAsync(new Iam(username, password), ct).ConfigureAwait(false);
            return await AwaitAnswerAsync(request, SignInTimeout, "IAM", ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        if (reply is Status { Code: StatusCode.AuthOk })
        {
            RememberCredentials(username, password);
            await AskForTicketAsync(username, ct).ConfigureAwait(false);
        }
        return reply;
    }

    /// <summary>A sign-in burst may carry many offline messages; it gets longer than other replies.</summary>
    private TimeSpan SignInTimeout => _options.ReplyTimeout * 3;

    /// <summary>The frame answering <paramref name="request"/>, or null when the connection closed first (a disconnected event says why).</summary>
    private async Task<Frame?> AwaitAnswerAsync(PendingRequest request, TimeSpan timeout, string what, CancellationToken ct)
    {
        try
        {
            return await request.Reply!.Task.WaitAsync(timeout, _options.Time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new CommandFailedException(PeerErrorCode.NoReply, $"the server did not answer {what} within {timeout.TotalSeconds:0} s");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    public Task NickAsync(string nickname, CancellationToken ct)
    {
        RequireSignedIn();
        return RequestAsync(new Nick(nickname), "nick", ct);
    }

    public Task AwayAsync(string? text, CancellationToken ct)
    {
        RequireSignedIn();
        var presence = string.IsNullOrEmpty(text) ? Presence.Online : Presence.Away;
        return RequestAsync(new SetPresence(presence, text ?? ""), "away", ct);
    }

    /// <summary>MSG to a user or channel; the server's MSG_ACK becomes a sent event (none for a <paramref name="control"/> message).</summary>
    public Task SendMessageAsync(Tag to, ReadOnlyMemory<byte> data, MessageFlags flags, bool control, CancellationToken ct)
    {
        var requestId = _pending.AddMessage(control ? PendingRequests.ControlMessage : Directory.NameOf(to));
        return SendAsync(new MsgSend(to, data, requestId, flags), ct).AsTask();
    }

    public Task CreateChannelAsync(string channel, bool inviteOnly, CancellationToken ct)
    {
        RequireSignedIn();
        var name = channel.TrimStart('#');
        return RequestAsync(new Create(name, inviteOnly ? ChannelFlags.InviteOnly : ChannelFlags.None, ""), "create", ct, name, wantsReply: true);
    }

    public Task JoinAsync(string channel, CancellationToken ct) =>
        ChannelRequestAsync(channel, "join", tag => new CoJoin(tag), ct, wantsReply: true);

    /// <summary>
    /// Returns once no join or create of <paramref name="channel"/> that we sent is still unanswered. The server sends a
    /// joiner the channel's member list before the CO that answers the join, so after this the members are known (an
    /// invite-only channel's sender key must reach every one of them). Gives up quietly after the reply timeout.
    /// </summary>
    public async Task JoinSettledAsync(Tag channel, CancellationToken ct)
    {
        var waiting = _pending.RepliesAwaited(Directory.NameOf(channel).TrimStart('#'), Opcode.Co, Opcode.Create);
        if (waiting.Length == 0) return;
        try
        {
            await Task.WhenAll(waiting).WaitAsync(_options.ReplyTimeout, _options.Time, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // unanswered or the connection went: send with the members we know, as before
        }
    }

    public async Task InviteAsync(string username, string channel, CancellationToken ct)
    {
        RequireSignedIn();
        var ch = await ResolveChannelAsync(channel, ct).ConfigureAwait(false);
        var user = await ResolveUserAsync(username, ct).ConfigureAwait(false);
        await RequestAsync(new InvSend(ch, user), "invite", ct).ConfigureAwait(false);
    }

    public Task LeaveAsync(string channel, CancellationToken ct) =>
        ChannelRequestAsync(channel, "leave", tag => new Leave(tag), ct);

    public Task TopicAsync(string channel, string topic, CancellationToken ct) =>
        ChannelRequestAsync(channel, "topic", tag => new Topic(tag, topic), ct);

    /// <summary>
    /// A channel's members (UPD). The general channel of a server with more users online than its paging threshold is
    /// listed a page at a time (ROSTER_PAGE, <see cref="ServerFrameHandler.RosterPageSize"/> users): the first page, or
    /// with <paramref name="more"/> the page after the last one shown.
    /// </summary>
    public async Task WhoAsync(string channel, bool more, CancellationToken ct)
    {
        RequireSignedIn();
        var tag = await ResolveChannelAsync(channel, ct).ConfigureAwait(false);
        if (tag == Tag.General && _session.GeneralPagedOnline is not null)
        {
            if (more && _session.RosterNext.IsNone)
                throw new CommandFailedException(PeerErrorCode.BadArguments, "that was the last page; /who #general starts again from the first");
            await RequestAsync(new RosterPageRequest(Tag.General, more ? _session.RosterNext : Tag.None, ServerFrameHandler.RosterPageSize), "who", ct).ConfigureAwait(false);
            return;
        }
        if (more) throw new CommandFailedException(PeerErrorCode.BadArguments, $"{channel} is listed whole; \"more\" pages only a paged general channel");
        await RequestAsync(new UpdRequest(tag), "who", ct, tag.ToString()).ConfigureAwait(false);
    }

    public async Task WhoisAsync(string username, CancellationToken ct)
    {
        RequireSignedIn();
        if (Directory.FindUser(username) is { } u)
        {
            _events.Publish(new UserEvent(u.Tag.Value, u.Username, u.Nickname, u.Presence, u.AwayText, u.IsFriend, u.IsAdmin));
            return;
        }
        await ResolveUserAsync(username, ct).ConfigureAwait(false); // the server's ADD becomes a user event
    }

    public Task FriendAsync(FriendAction action, string username, CancellationToken ct) =>
        UserRequestAsync(username, "friend", user => new Friend(action, user), ct);

    public Task FriendsAsync(CancellationToken ct)
    {
        RequireSignedIn();
        return RequestAsync(new UpdRequest(_session.Me), "friends", ct, _session.Me.ToString());
    }

    public Task IgnoreAsync(string username, bool on, CancellationToken ct) =>
        UserRequestAsync(username, on ? "ignore" : "unignore", user => new Ignore(user, on), ct);

    public Task BuzzAsync(string username, CancellationToken ct) =>
        UserRequestAsync(username, "buzz", user => new Buzz(user), ct);

    public async Task KickAsync(string username, string? channel, CancellationToken ct)
    {
        RequireSignedIn();
        var user = await ResolveUserAsync(username, ct).ConfigureAwait(false);
        var ch = channel is null ? Tag.None : await ResolveChannelAsync(channel, ct).ConfigureAwait(false);
        await RequestAsync(new Kick(user, ch), "kick", ct).ConfigureAwait(false);
    }

    public Task BanAsync(string username, uint minutes, CancellationToken ct) =>
        UserRequestAsync(username, "ban", user => new Ban(user, minutes), ct);

    /// <summary>A request about one user: signed in, resolve the name, send.</summary>
    private async Task UserRequestAsync(string username, string command, Func<Tag, Frame> frame, CancellationToken ct)
    {
        RequireSignedIn();
        var user = await ResolveUserAsync(username, ct).ConfigureAwait(false);
        await RequestAsync(frame(user), command, ct).ConfigureAwait(false);
    }

    /// <summary>A request about one channel; its success frame is matched by the channel's name (or tag, for UPD).</summary>
    private async Task ChannelRequestAsync(string channel, string command, Func<Tag, Frame> frame, CancellationToken ct, bool byTag = false, bool wantsReply = false)
    {
        RequireSignedIn();
        var tag = await ResolveChannelAsync(channel, ct).ConfigureAwait(false);
        await RequestAsync(frame(tag), command, ct, byTag ? tag.ToString() : channel.TrimStart('#'), wantsReply).ConfigureAwait(false);
    }

    /// <summary>The tag of a username (not a channel).</summary>
    public Task<Tag> ResolveUserAsync(string username, CancellationToken ct) => username.StartsWith('#')
        ? throw new CommandFailedException(PeerErrorCode.BadArguments, $"{username} is a channel; a user was expected")
        : ResolveAsync(username, ct);

    private Task<Tag> ResolveChannelAsync(string channel, CancellationToken ct) =>
        ResolveAsync("#" + channel.TrimStart('#'), ct);

    /// <summary>The tag of a username or "#channel": from the directory, else by RESOLVE (answered by ADD or STATUS).</summary>
    public async Task<Tag> ResolveAsync(string name, CancellationToken ct)
    {
        var isChannel = name.StartsWith('#');
        var known = isChannel ? Directory.FindChannel(name)?.Tag : Directory.FindUser(name)?.Tag;
        if (known is { } tag) return tag;

        var request = _pending.Add(Opcode.Resolve, "resolve", name, wantsReply: true, silent: true);
        await SendAsync(new Resolve(name), ct).ConfigureAwait(false);
        var reply = await AwaitAnswerAsync(request, _options.ReplyTimeout, $"RESOLVE {name}", ct).ConfigureAwait(false)
            ?? throw new CommandFailedException(PeerErrorCode.NotConnected, "the connection to the server was lost");
        return reply switch
        {
            AddUser u => u.Tag,
            AddChannel c => c.Tag,
            Status s => throw new CommandFailedException((int)s.Code, isChannel ? $"no channel {name}" : $"no user {name}"),
            _ => throw new CommandFailedException(PeerErrorCode.ProtocolError, $"unexpected answer to RESOLVE {name}: {reply.Opcode}"),
        };
    }
}
