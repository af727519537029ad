// Routes each incoming frame by session state to its handler, applying the per-user command rate limit.
using Microsoft.Extensions.Logging;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Links;
using P2PChat.Rendezvous.Sessions;

namespace P2PChat.Rendezvous.Commands;

/// <summary>
/// AwaitHello: only HELLO (else STATUS 20; no common version: STATUS 19). Anonymous: REGISTER, IAM, RESUME, PING,
/// PONG, QUIT (else STATUS 1); REGISTER, IAM and RESUME run beside the read loop (<see cref="Session.RunInBackground"/>). SignedIn: everything; all but PING, PONG, OFFLINE_ACK and QUIT count against the
/// rate limit (PREKEYS, BUNDLE, ROSTER_PAGE, LINK and CANDIDATES against their own, larger one; RELAY against the relay budget; a MSG_MULTI counts once, whatever its parts) and are refused with STATUS 25 while a penalty runs. Each command runs on its session's read loop.
/// </summary>
public sealed class CommandDispatcher(ServerContext ctx)
{
    private readonly AccountCommands _accounts = new(ctx);
    private readonly SignInCommand _signIn = new(ctx);
    private readonly MessageCommands _messages = new(ctx);
    private readonly MultiMessageCommands _multi = new(ctx);
    private readonly SocialCommands _social = new(ctx);
    private readonly ChannelCommands _channels = new(ctx);
    private readonly AdminCommands _admin = new(ctx);
    private readonly KeyCommands _keys = new(ctx);
    private readonly TicketCommands _tickets = new(ctx);
    private readonly RosterCommands _roster = new(ctx);
    private readonly LinkCommands _links = new(ctx.Sessions, ctx.Ignores, ctx.Options, ctx.Time, ctx.Log);

    /// <summary>Runs one command. A command that fails is answered with STATUS 28 (an argument the store refused)
    /// or 35 (anything else; for MSG and MSG_MULTI the value is the requestId) and the session carries on; only protocol errors close it.</summary>
    public Task HandleAsync(Session s, Frame frame, CancellationToken ct)
    {
        // Sign-in and registration wait for a password-hash slot: they run beside the read loop, which keeps answering
        // PINGs (and seeing QUIT) meanwhile; the session holds any other command until they are done.
        if (s.State == SessionState.Anonymous && frame is Iam or Resume or Register)
        {
            s.RunInBackground(() => RunAsync(s, frame, ct));
            return Task.CompletedTask;
        }
        return RunAsync(s, frame, ct);
    }

    private async Task RunAsync(Session s, Frame frame, CancellationToken ct)
    {
        try
        {
            await (s.State switch
            {
                SessionState.AwaitHello => GreetAsync(s, frame, ct),
                SessionState.Anonymous => AnonymousAsync(s, frame, ct),
                SessionState.SignedIn => SignedInAsync(s, frame, ct),
                _ => Task.CompletedTask,
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var invalid = ex is ArgumentException;
            if (!invalid) ctx.Log.LogError(ex, "{Opcode} from session {Id} failed", frame.Opcode, s.Id);
            var (code, text) = invalid ? (StatusCode.InvalidField, ex.Message) : (StatusCode.InternalError, "the server failed; not carried out");
            if (frame is MsgSend m) await s.ReplyAsync(code, Opcode.Msg, ct, m.To, m.RequestId, text);
            else if (frame is MsgMultiSend mm) await s.ReplyAsync(code, Opcode.MsgMulti, ct, value: mm.RequestId, text: text);
            else await s.ReplyAsync(code, frame.Opcode, ct, text: text);
        }
    }

    /// <summary>Run when a session has ended, whatever the reason.</summary>
    public Task EndedAsync(Session s) => _signIn.SignOffAsync(s);

    private async Task GreetAsync(Session s, Frame frame, CancellationToken ct)
    {
        if (frame is not Hello hello)
        {
            s.CloseWith(StatusCode.MalformedFrame, frame.Opcode, "the first frame must be HELLO");
            return;
        }
        if (ProtocolVersion.Agree(hello.MinVersion, hello.MaxVersion) is not { } version)
        {
            s.CloseWith(StatusCode.UnsupportedVersion, Opcode.Hello, $"this server speaks versions {ProtocolVersion.Min}-{ProtocolVersion.Max}",
                value: ProtocolVersion.Max);
            return;
        }
        await s.SendAsync(new HelloOk(version, ctx.Now.ToUnixTimeMilliseconds(), (uint)ctx.Options.HeartbeatIntervalSeconds * 1000, ctx.Options.ServerName), ct);
        s.Greeted();
    }

    private Task AnonymousAsync(Session s, Frame frame, CancellationToken ct)
    {
        switch (frame)
        {
            case Register r: return _accounts.RegisterAsync(s, r, ct);
            case Iam iam: return _signIn.HandleAsync(s, iam, ct);
            case Resume r: return _signIn.ResumeAsync(s, r, ct);
            case Ping or Pong or Quit: return AlwaysAsync(s, frame, ct);
            default:
                s.CloseWith(StatusCode.PleaseAuth, frame.Opcode, "sign in first");
                return Task.CompletedTask;
        }
    }

    private async Task SignedInAsync(Session s, Frame frame, CancellationToken ct)
    {
        if (frame is Ping or Pong or Quit)
        {
            await AlwaysAsync(s, frame, ct);
            return;
        }
        if (frame is RelaySend relay)
        {
            // Link packets have their own per-user budget (packets and bytes a second), not the command limit.
            _links.Relay(s, relay);
            return;
        }
        if (frame is OfflineAck ack)
        {
            await _messages.AcknowledgeAsync(s, ack, ct);
            return;
        }
        var limiter = frame is Prekeys or BundleRequest or RosterPageRequest or LinkRequest or LinkCandidates ? ctx.KeyRequests : ctx.Commands;
        if (limiter.TryAccept(s.UserTag.Value) is { } penalty)
        {
            var seconds = Replies.Seconds(penalty);
            var text = $"too many commands; wait {seconds} s";
            // Like every answer to a MSG, this one carries the requestId as value and the destination as subject.
            if (frame is MsgSend m) await s.ReplyAsync(StatusCode.Flooding, Opcode.Msg, ct, m.To, m.RequestId, text);
            else if (frame is MsgMultiSend mm) await s.ReplyAsync(StatusCode.Flooding, Opcode.MsgMulti, ct, value: mm.RequestId, text: text);
            else await s.ReplyAsync(StatusCode.Flooding, frame.Opcode, ct, value: seconds, text: text);
            return;
        }
        await (frame switch
        {
            MsgSend m => _messages.SendAsync(s, m, ct),
            MsgMultiSend mm => _multi.SendAsync(s, mm, ct),
            Register r => _accounts.RegisterAsync(s, r, ct),
            Iam iam => _signIn.HandleAsync(s, iam, ct),
            Nick n => _accounts.NickAsync(s, n, ct),
            SetPresence p => _accounts.PresenceAsync(s, p, ct),
            Friend f => _social.FriendAsync(s, f, ct),
            Ignore i => _social.IgnoreAsync(s, i, ct),
            Buzz b => _social.BuzzAsync(s, b, ct),
            Create c => _channels.CreateAsync(s, c, ct),
            Resolve r => _channels.ResolveAsync(s, r, ct),
            CoJoin j => _channels.JoinAsync(s, j, ct),
            InvSend i => _channels.InviteAsync(s, i, ct),
            Leave l => _channels.LeaveAsync(s, l, ct),
            Kick { Channel.IsNone: true } k => _admin.KickAsync(s, k, ct),
            Kick k => _channels.KickAsync(s, k, ct),
            Ban b => _admin.BanAsync(s, b, ct),
            Topic t => _channels.TopicAsync(s, t, ct),
            UpdRequest u => _channels.ListAsync(s, u, ct),
            Prekeys p => _keys.PublishAsync(s, p, ct),
            BundleRequest b => _keys.FetchAsync(s, b, ct),
            IdentityChange i => _keys.ChangeIdentityAsync(s, i, ct),
            RosterPageRequest r => _roster.PageAsync(s, r, ct),
            TicketRequest t => _tickets.IssueAsync(s, t, ct),
            Revoke r => _tickets.RevokeAsync(s, r, ct),
            LinkRequest l => _links.RequestAsync(s, l, ct),
            LinkCandidates c => _links.PublishAsync(s, c, ct).AsTask(),
            Resume => s.ReplyAsync(StatusCode.NotAllowed, Opcode.Resume, ct, text: "already signed in").AsTask(),
            _ => s.ReplyAsync(StatusCode.NotAllowed, frame.Opcode, ct, text: "not valid now").AsTask(),
        });
    }

    private static async Task AlwaysAsync(Session s, Frame frame, CancellationToken ct)
    {
        switch (frame)
        {
            case Ping p: await s.SendAsync(new Pong(p.Nonce), ct); break;
            case Quit: s.Close(null); break;
        }
    }
}
