// The rendezvous server's STUN service: one UDP socket answering Binding requests with the sender's address.
using System.Net;
using Microsoft.Extensions.Logging;
using P2PChat.Core.Nat.Stun;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.Rendezvous.Stun;

/// <summary>
/// Stateless: each datagram is answered or refused by <see cref="StunResponder"/> on the socket's receive thread;
/// nothing is kept per client. Refusals are logged (at most <see cref="RefusalLog.PerMinute"/> lines a minute, then
/// a count), so a flood cannot fill the log. The answer is never longer than the request.
/// </summary>
public sealed class StunListener : IDatagramReceiver, IDisposable
{
    private readonly IDatagramSocket _socket;
    private readonly RefusalLog _refusals;
    private readonly byte[] _answer = new byte[StunWriter.LargestAnswer];
    private long _answered;

    public StunListener(IDatagramSocket socket, ILogger log, TimeProvider time)
    {
        _socket = socket;
        _refusals = new RefusalLog(log, time);
        socket.Start(this);
    }

    public static StunListener Bind(IPEndPoint local, ILogger log, TimeProvider time) => new(UdpDatagramSocket.Bind(local), log, time);

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint;
    public long Answered => Interlocked.Read(ref _answered);
    public long Refused => _refusals.Total;

    public void OnDatagram(Span<byte> datagram, EndPoint remote)
    {
        if (remote is not IPEndPoint source) return;
        int length = StunResponder.Answer(datagram, source, _answer, out var refusal);
        if (length == 0)
        {
            _refusals.Add(source, refusal);
            return;
        }
        Interlocked.Increment(ref _answered);
        _socket.Send(_answer.AsSpan(0, length), source);
    }

    public void OnBatchEnd() { }

    public void Dispose() => _socket.Dispose();
}
