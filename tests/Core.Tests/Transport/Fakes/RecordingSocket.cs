// Test doubles around datagram sockets: one that records what passes through, one that just collects what arrives.
using System.Net;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.Core.Tests.Transport;

/// <summary>Wraps a socket and records every datagram sent through it, with the send time.</summary>
internal sealed class RecordingSocket(IDatagramSocket inner, TimeProvider time) : IDatagramSocket
{
    public List<(TimeSpan At, byte[] Data, EndPoint To)> Sent { get; } = [];
    public EndPoint LocalEndPoint => inner.LocalEndPoint;
    public void Start(IDatagramReceiver receiver) => inner.Start(receiver);

    public void Send(ReadOnlySpan<byte> datagram, EndPoint remote)
    {
        Sent.Add((TimeSpan.FromTicks(time.GetTimestamp()), datagram.ToArray(), remote));
        inner.Send(datagram, remote);
    }

    public void Flush() => inner.Flush();
    public void Dispose() => inner.Dispose();
}

/// <summary>Collects every datagram delivered to it (the "victim" of spoofing tests).</summary>
internal sealed class CollectingReceiver : IDatagramReceiver
{
    public List<byte[]> Received { get; } = [];
    public void OnDatagram(Span<byte> datagram, EndPoint remote) => Received.Add(datagram.ToArray());
    public void OnBatchEnd() { }
}
