// A STUN server on a public host of the simulator, answering with Core's StunResponder (the rendezvous server's logic).
using System.Net;
using P2PChat.Core.Nat.Stun;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.NetLab.Sim;

public sealed class LabStunServer : IDatagramReceiver, IDisposable
{
    private readonly LabSocket _socket;
    private readonly byte[] _answer = new byte[StunWriter.LargestAnswer];

    public LabStunServer(LabNetwork network, IPEndPoint at)
    {
        _socket = network.Bind(at);
        _socket.Start(this);
    }

    public IPEndPoint EndPoint => _socket.Local;
    public List<string> Refusals { get; } = [];

    /// <summary>When set, answers claim this address instead of the real source (a lying server, for tests).</summary>
    public IPEndPoint? LieAbout { get; set; }

    public void OnDatagram(Span<byte> datagram, EndPoint remote)
    {
        var source = LieAbout ?? (IPEndPoint)remote;
        int length = StunResponder.Answer(datagram, source, _answer, out var refusal);
        if (length == 0) { Refusals.Add(refusal); return; }
        _socket.Send(_answer.AsSpan(0, length), remote);
    }

    public void OnBatchEnd() { }

    public void Dispose() => _socket.Dispose();
}
