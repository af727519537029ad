// Opens the benchmark's connection over the UDP transport (optionally protected) or the TCP path, as IReliableConnection.
using System.Net;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Protection;
using P2PChat.Core.Transport.Streams;
using P2PChat.Core.Transport.Tcp;

namespace P2PChat.Benchmarks.Transport;

internal static class BenchConnections
{
    private static readonly byte[] KeyA = Enumerable.Repeat((byte)0xA1, 32).ToArray();
    private static readonly byte[] KeyB = Enumerable.Repeat((byte)0xB2, 32).ToArray();

    private static TransportOptions Options(BenchOptions o) => new()
    {
        // --protect: the links' packet protection (AEGIS-128L, AeadPacketProtector.ForLink); --cipher aesgcm: AES-256-GCM.
        ProtectorFactory = !o.Flag("protect") ? (_, _) => new UnkeyedPacketProtector()
            : o.Text("cipher") == "aesgcm"
                ? (role, _) => role == ConnectionRole.Client ? new AesGcmPacketProtector(KeyA, KeyB) : new AesGcmPacketProtector(KeyB, KeyA)
                : (role, _) => role == ConnectionRole.Client ? AeadPacketProtector.ForLink(KeyA, KeyB) : AeadPacketProtector.ForLink(KeyB, KeyA),
        CongestionControl = o.Text("cc") == "newreno" ? CongestionControl.NewReno : CongestionControl.Cubic,
        AckEveryPackets = (int)o.Number("ack-every", new TransportOptions().AckEveryPackets),
        MaxPacketSize = (int)o.Number("packet-size", new TransportOptions().MaxPacketSize),
        // A timed run stops writing at its deadline and then waits for what is buffered: keep that tail short.
        StreamSendBuffer = (int)o.Bytes("send-buffer", o.Text("seconds") is null ? new TransportOptions().StreamSendBuffer : 256 << 10),
        Pacing = !o.Flag("no-pacing"),
        PathMtuDiscovery = !o.Flag("no-pmtud"),
        // --max-probe N: cap path MTU discovery (e.g. 1472, the Ethernet size, on loopback where it would go to 16384).
        MaxProbedPacketSize = o.Text("max-probe") is null ? null : (int)o.Number("max-probe", 0),
    };

    public static async Task<(IReliableConnection Connection, IAsyncDisposable Owner)> AcceptAsync(BenchOptions o, CancellationToken ct)
    {
        var bind = o.EndPoint("bind");
        if (o.Flag("tcp"))
        {
            var listener = TcpTransportListener.Bind(bind);
            Console.Error.WriteLine($"listening tcp {listener.LocalEndPoint}");
            var connection = await listener.AcceptAsync(ct);
            listener.Dispose();
            return (connection, connection);
        }
        var endpoint = UdpTransportEndpoint.Bind(bind, Options(o) with { AcceptIncoming = true });
        Console.Error.WriteLine($"listening udp {endpoint.LocalEndPoint}");
        return (await endpoint.AcceptAsync(ct), endpoint);
    }

    public static async Task<(IReliableConnection Connection, IAsyncDisposable Owner)> ConnectAsync(BenchOptions o, CancellationToken ct)
    {
        var remote = o.EndPoint("to");
        if (o.Flag("tcp"))
        {
            var connection = await TcpTransportConnection.ConnectAsync(remote, ct);
            return (connection, connection);
        }
        var endpoint = UdpTransportEndpoint.Bind(new IPEndPoint(remote.Address.Equals(IPAddress.Loopback) ? IPAddress.Loopback : IPAddress.Any, 0), Options(o));
        return (await endpoint.ConnectAsync(remote, ct), endpoint);
    }
}
