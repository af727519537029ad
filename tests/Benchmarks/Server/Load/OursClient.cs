// A P2PChat protocol client for the load generator, written from docs/protocol.md: HELLO, REGISTER, IAM/RESUME, MSG, PING.
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using P2PChat.Core.Framing;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Benchmarks.Server.Load;

internal sealed class OursClient(int index) : LoadClient(index)
{
    public const string Password = "load-test-password";
    private FrameConnection? _frames;
    private Socket? _socket;
    private readonly object _gate = new();
    private (Func<Frame, bool> Match, TaskCompletionSource<Frame> Reply)? _waiting;
    private uint _requestId;

    public Tag Tag { get; private set; }
    public byte[] DeviceId { get; } = BitConverter.GetBytes((long)index).Concat(new byte[8]).ToArray();
    public byte[]? Ticket { get; set; }
    /// <summary>MSG_ACKs received (one per PM the server accepted, live or stored).</summary>
    public int Acked;

    public override async Task ConnectAsync(IPEndPoint server, CancellationToken ct)
    {
        var (socket, tls) = await OpenTlsAsync(server, Index, ct);
        _socket = socket;
        _frames = new FrameConnection(tls, FrameDirection.ToClient, 1 << 20);
        _ = Task.Run(ReadLoopAsync, CancellationToken.None);
        var hello = await RequestAsync(new Hello(1, 1, "load"), f => f is HelloOk or Status, ct);
        if (hello is not HelloOk) throw new IOException($"HELLO refused: {hello}");
        Phase = "signin";
    }

    public override async Task<bool> RegisterAsync(CancellationToken ct)
    {
        while (true)
        {
            var reply = await RequestAsync(new Register(Name, Password), f => f is Status { RefOpcode: Opcode.Register }, ct);
            if (reply is Status { Code: StatusCode.RetryLater } busy) { await Task.Delay((int)busy.Value, ct); continue; }
            return reply is Status { Code: StatusCode.Registered or StatusCode.UsernameExists };
        }
    }

    public override Task<bool> SignInAsync(CancellationToken ct) => SignInWithAsync(new Iam(Name, Password), Opcode.Iam, ct);

    /// <summary>RESUME with the ticket from <see cref="AskTicketAsync"/>; false when refused or closed.</summary>
    public Task<bool> ResumeAsync(CancellationToken ct) => SignInWithAsync(new Resume(DeviceId, Ticket!), Opcode.Resume, ct);

    private async Task<bool> SignInWithAsync(Frame request, Opcode re, CancellationToken ct)
    {
        while (true)
        {
            var reply = await RequestAsync(request, f => f is Status s && s.RefOpcode == re && s.Code != StatusCode.RosterPaged, ct);
            if (reply is Status { Code: StatusCode.RetryLater } busy) { await Task.Delay((int)busy.Value, ct); continue; }
            return reply is Status { Code: StatusCode.AuthOk };
        }
    }

    public async Task AskTicketAsync(CancellationToken ct)
    {
        var reply = await RequestAsync(new TicketRequest(DeviceId, "load"), f => f is TicketIssued, ct);
        Ticket = ((TicketIssued)reply).Ticket;
    }

    public override Task SendPmAsync(LoadClient to, long sentAt, CancellationToken ct)
    {
        var data = new byte[12];
        BinaryPrimitives.WriteInt64BigEndian(data, sentAt);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(8), Index);
        return _frames!.SendAsync(new MsgSend(((OursClient)to).Tag, data, Interlocked.Increment(ref _requestId), 0), ct).AsTask();
    }

    public override Task PingAsync(CancellationToken ct) => _frames!.SendAsync(new Ping(1), ct).AsTask();

    private async Task<Frame> RequestAsync(Frame request, Func<Frame, bool> match, CancellationToken ct)
    {
        var reply = Expect(match);
        await _frames!.SendAsync(request, ct);
        return await reply.WaitAsync(ct);
    }

    private Task<Frame> Expect(Func<Frame, bool> match)
    {
        var reply = new TaskCompletionSource<Frame>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _waiting = (match, reply);
        if (Closed.Task.IsCompleted) reply.TrySetException(new IOException("closed"));
        return reply.Task;
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await _frames!.ReadAsync(CancellationToken.None) is { } frame)
            {
                switch (frame)
                {
                    case MsgDeliver m when m.Data.Length == 12:
                        OnMessage?.Invoke(BinaryPrimitives.ReadInt32BigEndian(m.Data.Span[8..]), BinaryPrimitives.ReadInt64BigEndian(m.Data.Span));
                        if (m.Flags.HasFlag(MessageFlags.Offline)) _ = _frames.SendAsync(new OfflineAck(m.MessageId), CancellationToken.None);
                        continue;
                    case MsgAck: Interlocked.Increment(ref Acked); continue;
                    case IamOk ok: Tag = ok.Tag; continue;
                    case Ping p: _ = _frames.SendAsync(new Pong(p.Nonce), CancellationToken.None); continue;
                    case Status s when StatusCodes.ClosesConnection(s.Code): ClosedWith = (int)s.Code; ClosedValue = s.Value; break;
                }
                (Func<Frame, bool> Match, TaskCompletionSource<Frame> Reply)? waiting;
                lock (_gate) waiting = _waiting;
                if (waiting is { } w && w.Match(frame))
                {
                    lock (_gate) if (_waiting == waiting) _waiting = null;
                    w.Reply.TrySetResult(frame);
                }
            }
        }
        catch (Exception ex) { if (Environment.GetEnvironmentVariable("LOAD_DEBUG") == "1") Console.Error.WriteLine($"{Name}: {ex.Message}"); }
        Closed.TrySetResult();
        lock (_gate) _waiting?.Reply.TrySetException(new IOException($"closed (STATUS {ClosedWith})"));
    }

    public override async ValueTask DisposeAsync()
    {
        if (_frames is not null) await _frames.DisposeAsync();
        _socket?.Dispose();
    }
}
