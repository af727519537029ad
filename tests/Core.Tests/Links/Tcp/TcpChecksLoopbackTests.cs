// The link engine on loopback with real sockets: UDP dropped, the checks find the TCP path and a secure link runs on it.
using System.Net;
using System.Net.Sockets;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Links;
using P2PChat.Core.Links.Checks;
using P2PChat.Core.Links.Paths;
using P2PChat.Core.Links.Tcp;
using P2PChat.Core.Nat;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;
using Xunit;

namespace P2PChat.Core.Tests.Links.Tcp;

public sealed class TcpChecksLoopbackTests
{
    private static readonly IdentityKeyPair Alice = IdentityKeyPair.Generate();
    private static readonly IdentityKeyPair Bob = IdentityKeyPair.Generate();
    private static readonly byte[] Token = [.. Enumerable.Range(7, 32).Select(i => (byte)i)];
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(30);

    /// <summary>A real UDP socket on loopback that, like a firewall dropping UDP, neither sends nor delivers anything.</summary>
    private sealed class UdpDropped(IDatagramSocket inner) : IDatagramSocket
    {
        public long Dropped;
        public EndPoint LocalEndPoint => inner.LocalEndPoint;
        public void Start(IDatagramReceiver receiver) => inner.Start(new Nothing());
        public void Send(ReadOnlySpan<byte> datagram, EndPoint remote) => Interlocked.Increment(ref Dropped);
        public void Dispose() => inner.Dispose();
        private sealed class Nothing : IDatagramReceiver
        {
            public void OnDatagram(Span<byte> datagram, EndPoint remote) { }
            public void OnBatchEnd() { }
        }
    }

    /// <summary>One side: a UDP base (dropped or not) and a TCP base listening on the UDP socket's port.</summary>
    private sealed class Side : IDisposable
    {
        public Side(bool dropUdp)
        {
            // The port the kernel gave the UDP socket may be held for TCP by another socket (a connection of a test
            // running alongside used it as its ephemeral port: "Address already in use" in one CI run). A peer then
            // checks UDP paths only (PeerLinks.EnsureTcp); this test is about TCP, so it takes another port.
            for (var attempt = 1; ; attempt++)
            {
                var udp = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                var port = ((IPEndPoint)udp.LocalEndPoint).Port;
                TcpLinkSocket tcp;
                try { tcp = TcpLinkSocket.Listen(new IPEndPoint(IPAddress.Loopback, port)); }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 20)
                {
                    udp.Dispose();
                    continue;
                }
                Udp = new CheckDemultiplexer(dropUdp ? new UdpDropped(udp) : udp);
                Tcp = new CheckDemultiplexer(tcp);
                Published = [new Candidate(CandidateKind.Host, new IPEndPoint(IPAddress.Loopback, port))];
                return;
            }
        }

        public CheckDemultiplexer Udp { get; }
        public CheckDemultiplexer Tcp { get; }
        public IReadOnlyList<Candidate> Published { get; }

        /// <summary>What a peer's engine gets: its bases (the TCP one with the implied TCP candidates).</summary>
        public LocalCandidates Local => new(
            [new CandidateBase(Udp, Published), new CandidateBase(Tcp, [.. TcpCandidates.WithImplied(Published).Where(c => c.Transport != CandidateTransport.Udp)])],
            MappingBehaviour.NoNat);

        /// <summary>What the other side derives from our introduction.</summary>
        public CandidateSet Remote => new(TcpCandidates.WithImplied(Published), MappingBehaviour.NoNat);

        public void Dispose()
        {
            Udp.Dispose();
            Tcp.Dispose();
        }
    }

    private static IDatagramSocket NoSocket(AddressFamily _) => throw new InvalidOperationException("no probing expected");

    private static async Task<(EstablishedPath A, EstablishedPath B)> EstablishAsync(Side a, Side b, CancellationToken ct, EstablishOptions? options = null)
    {
        options ??= new EstablishOptions();
        var atA = LinkEstablisher.EstablishAsync(a.Local, b.Remote, Token, CheckRole.Controlling, NoSocket, TimeProvider.System, ct, options);
        var atB = LinkEstablisher.EstablishAsync(b.Local, a.Remote, Token, CheckRole.Controlled, NoSocket, TimeProvider.System, ct, options);
        var ra = await atA.WaitAsync(SafetyNet, ct);
        var rb = await atB.WaitAsync(SafetyNet, ct);
        Assert.True(ra.Path is not null, ra.Outcome);
        Assert.True(rb.Path is not null, rb.Outcome);
        return (ra.Path, rb.Path);
    }

    [Fact]
    public async Task With_UDP_dropped_the_checks_nominate_the_TCP_pair_and_a_secure_link_runs_over_it()
    {
        var ct = TestContext.Current.CancellationToken;
        using var a = new Side(dropUdp: true);
        using var b = new Side(dropUdp: true);
        var (pa, pb) = await EstablishAsync(a, b, ct);
        using (pa)
        using (pb)
        {
            Assert.Equal(CandidateTransport.TcpSimultaneousOpen, pa.Local.Transport);
            Assert.Same(a.Tcp, pa.Socket);
            Assert.Same(b.Tcp, pb.Socket);
            Assert.Equal(b.Tcp.LocalEndPoint, pa.Remote.EndPoint);
            Assert.Equal(a.Tcp.LocalEndPoint, pb.Remote.EndPoint);
            Assert.Equal(PathVia.Lan, pa.Via);

            // The transport and the Noise XX link handshake ride the TCP path unchanged, as they ride a UDP one.
            await using var atA = new UdpTransportEndpoint(pa.Socket, new TransportOptions());
            await using var atB = new UdpTransportEndpoint(pb.Socket, new TransportOptions { AcceptIncoming = true });
            var accepting = Task.Run(async () =>
            {
                var connection = await atB.AcceptAsync(ct);
                var caller = await SecureLink.RespondAsync(connection, Bob, id => id.Equals(Alice.Public), ct);
                var stream = await connection.AcceptStreamAsync(ct);
                var buffer = new byte[64];
                int n = await stream.ReadAsync(buffer, ct);
                await stream.WriteAsync(buffer.AsMemory(0, n), ct);
                return caller;
            }, ct);
            var link = await atA.ConnectAsync(pa.Remote.EndPoint, ct);
            Assert.Equal(Bob.Public, await SecureLink.InitiateAsync(link, Alice, Bob.Public, ct));
            var chat = link.OpenStream();
            await chat.WriteAsync("over tcp"u8.ToArray(), ct);
            var echo = new byte[8];
            int read = 0;
            while (read < echo.Length) read += await chat.ReadAsync(echo.AsMemory(read), ct);
            Assert.Equal("over tcp"u8.ToArray(), echo);
            Assert.Equal(Alice.Public, await accepting.WaitAsync(SafetyNet, ct));

            // Consent checks (the path monitor's probes) are answered over TCP too.
            var answered = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            pa.ConsentAnswered = (rtt, _) => answered.TrySetResult(rtt);
            pa.SendConsentCheck();
            Assert.True(await answered.Task.WaitAsync(SafetyNet, ct) >= TimeSpan.Zero);
            link.Abort();
        }
    }

    [Fact]
    public async Task When_UDP_and_TCP_both_work_the_UDP_pair_is_nominated()
    {
        var ct = TestContext.Current.CancellationToken;
        using var a = new Side(dropUdp: false);
        using var b = new Side(dropUdp: false);
        // However slow the machine, a TCP pair that succeeds first is held back until UDP has had every chance.
        var (pa, pb) = await EstablishAsync(a, b, ct, new EstablishOptions { TcpGrace = SafetyNet, Deadline = SafetyNet + SafetyNet });
        using (pa)
        using (pb)
        {
            Assert.Equal(CandidateTransport.Udp, pa.Local.Transport);
            Assert.Equal(CandidateTransport.Udp, pb.Local.Transport);
            Assert.Same(a.Udp, pa.Socket);
        }
    }
}
