// What the engine hands over is ready for the transport and the link handshake: a keyed link over the punched path.
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Links;
using P2PChat.Core.Links.Checks;
using P2PChat.Core.Links.Paths;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Streams;
using P2PChat.NetLab.Sim;
using Xunit;

namespace P2PChat.Core.Tests.Links.Checks;

/// <summary>
/// Driven without async continuations (the transport's non-blocking calls, pumped between clock steps), as the other
/// simulator link tests are, so the manual clock never races a thread-pool continuation.
/// </summary>
public sealed class EstablishedPathTransportSimTests
{
    private static readonly IdentityKeyPair Alice = IdentityKeyPair.Generate();
    private static readonly IdentityKeyPair Bob = IdentityKeyPair.Generate();
    private static readonly byte[] Token = [.. Enumerable.Range(40, 32).Select(i => (byte)i)];

    private sealed class Side(LinkHandshakeDriver driver)
    {
        private readonly byte[] _buffer = new byte[4096];
        private readonly Queue<byte> _out = new();
        public TransportConnection? Connection { get; set; }
        public TransportStream? Stream { get; set; }
        public LinkHandshakeDriver Driver => driver;

        public void Pump()
        {
            if (Stream is null || Connection is null) return;
            int n;
            while ((n = Stream.TryRead(_buffer)) > 0)
            {
                var step = driver.Receive(_buffer.AsSpan(0, n));
                if (step.Prepare is { } p) Connection.PrepareProtection(LinkProtection.For(p));
                if (step.Upgrade is { } u) Connection.UpgradeProtection(LinkProtection.For(u));
                foreach (var b in step.Send) _out.Enqueue(b);
            }
            while (_out.Count > 0)
            {
                var pending = _out.ToArray();
                int taken = Stream.TryWrite(pending);
                for (int i = 0; i < taken; i++) _out.Dequeue();
                if (taken < pending.Length) break;
            }
        }

        public void Start() { foreach (var b in driver.Start()) _out.Enqueue(b); }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_nominated_path_carries_a_secure_link_and_its_checks_keep_working_beside_it(bool probed)
    {
        var lab = new LinkLab(seed: 5);
        var a = lab.BehindNat(1, probed ? NatBehaviour.Symmetric : NatBehaviour.PortRestrictedCone);
        var b = lab.BehindNat(2, NatBehaviour.PortRestrictedCone);
        var (ra, rb) = lab.Establish(a, b, Token, new EstablishOptions { Random = new Random(5) });
        var (controlling, controlled) = (ra.Path!, rb.Path!);
        Assert.Equal(probed ? PathVia.Probed : PathVia.Reflexive, controlling.Via);

        // The controlling side connects and initiates; the controlled side accepts on the socket of its path.
        using var client = new UdpTransportEndpoint(controlling.Socket, new TransportOptions(), lab.Time);
        using var server = new UdpTransportEndpoint(controlled.Socket, new TransportOptions { AcceptIncoming = true }, lab.Time);
        var initiator = new Side(LinkHandshakeDriver.Initiator(Alice, Bob.Public)) { Connection = client.Connect(controlling.Remote.EndPoint) };
        initiator.Stream = initiator.Connection.OpenTransportStream();
        initiator.Start();
        var responder = new Side(LinkHandshakeDriver.Responder(Bob, id => id.Equals(Alice.Public)));
        var deadline = lab.Time.Elapsed + TimeSpan.FromSeconds(30);
        while (!(initiator.Driver.IsComplete && responder.Driver.IsComplete) && lab.Time.Elapsed < deadline)
        {
            responder.Connection ??= server.TryAccept();
            if (responder.Stream is null && responder.Connection is not null) responder.Stream = responder.Connection.TryAcceptStream();
            initiator.Pump();
            responder.Pump();
            lab.Time.Advance(TimeSpan.FromMilliseconds(5));
        }

        Assert.True(initiator.Driver.IsComplete && responder.Driver.IsComplete, "the link handshake completes over the nominated path");
        Assert.Equal(Bob.Public, initiator.Driver.RemoteIdentity);
        Assert.Equal(Alice.Public, responder.Driver.RemoteIdentity);
        // Consent checks still pass on the shared socket beside the transport.
        TimeSpan? rtt = null;
        controlling.ConsentAnswered = (r, _) => rtt = r;
        controlling.SendConsentCheck();
        lab.Time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(2 * lab.Network.Latency, rtt);
    }
}
