// The link handshake over a real transport connection on a lossy simulated network: it always comes up, then keys every packet.
using P2PChat.Core.Bytes;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Links;
using P2PChat.Core.Tests.Transport;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Protection;
using P2PChat.Core.Transport.Sockets;
using P2PChat.Core.Transport.Streams;
using P2PChat.Core.Transport.Wire;
using P2PChat.NetLab.Transport;
using Xunit;

namespace P2PChat.Core.Tests.Links;

public sealed class SecureLinkSimulationTests
{
    private static readonly IdentityKeyPair Alice = IdentityKeyPair.Generate();
    private static readonly IdentityKeyPair Bob = IdentityKeyPair.Generate();

    /// <summary>Pumps one side's handshake over a stream without blocking, applying key actions before writing.</summary>
    private sealed class Side(TransportConnection connection, LinkHandshakeDriver driver)
    {
        private readonly byte[] _buffer = new byte[4096];
        private readonly Queue<byte> _out = new();
        public TransportStream? Stream { get; set; }
        public LinkHandshakeDriver Driver => driver;

        public void Start() { foreach (var b in driver.Start()) _out.Enqueue(b); }

        public void Pump()
        {
            if (Stream is null) return;
            int n;
            while ((n = Stream.TryRead(_buffer)) > 0)
            {
                var step = driver.Receive(_buffer.AsSpan(0, n));
                if (step.Prepare is { } p) connection.PrepareProtection(LinkProtection.For(p));
                if (step.Upgrade is { } u) connection.UpgradeProtection(LinkProtection.For(u));
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
    }

    public static TheoryData<int, bool> Seeds()
    {
        var data = new TheoryData<int, bool>();
        for (int seed = 1; seed <= 12; seed++) data.Add(seed, seed % 2 == 0);
        return data;
    }

    /// <param name="initiatorAccepted">the Noise initiator is the side that accepted the transport connection (what
    /// direct links do, so the side that connected is done first), else the side that connected.</param>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Under_heavy_loss_the_link_comes_up_keyed_and_carries_data_both_ways(int seed, bool initiatorAccepted)
    {
        var conditions = new LinkConditions { Delay = TimeSpan.FromMilliseconds(20), Loss = 0.25, Reorder = 0.1 };
        using var pair = new ConnectedPair(conditions, seed, new TransportOptions()); // starts unkeyed
        var (initiatorSide, responderSide) = initiatorAccepted ? (pair.Server, pair.Client) : (pair.Client, pair.Server);
        var initiator = new Side(initiatorSide, LinkHandshakeDriver.Initiator(Alice, Bob.Public)) { Stream = initiatorSide.OpenTransportStream() };
        var responder = new Side(responderSide, LinkHandshakeDriver.Responder(Bob, id => id.Equals(Alice.Public)));
        initiator.Start();

        bool up = pair.Sim.Run(() =>
        {
            responder.Stream ??= responderSide.TryAcceptStream();
            initiator.Pump();
            responder.Pump();
        }, () => initiator.Driver.IsComplete && responder.Driver.IsComplete, TimeSpan.FromMinutes(5));

        Assert.True(up, "the handshake must complete whatever the network loses");
        Assert.Equal(Bob.Public, initiator.Driver.RemoteIdentity);
        Assert.Equal(Alice.Public, responder.Driver.RemoteIdentity);
        Assert.True(initiatorSide.ProtectionSettled, "opening READY under the new keys switches the initiator");

        // Data both ways on fresh streams, under the link keys.
        var up1 = new PatternWriter(pair.Client.OpenTransportStream(), 1, 100_000);
        var down1 = new PatternWriter(pair.Server.OpenTransportStream(), 2, 100_000);
        PatternReader? atServer = null, atClient = null;
        bool delivered = pair.Sim.Run(() =>
        {
            up1.Pump(); down1.Pump();
            initiator.Pump(); responder.Pump();
            if (atServer is null && pair.Server.TryAcceptStream() is { } s) atServer = new PatternReader(s) { Tag = 1, ExpectedSize = 100_000 };
            if (atClient is null && pair.Client.TryAcceptStream() is { } c) atClient = new PatternReader(c) { Tag = 2, ExpectedSize = 100_000 };
            atServer?.Pump(); atClient?.Pump();
        }, () => atServer?.Ended == true && atClient?.Ended == true, TimeSpan.FromMinutes(10));
        Assert.True(delivered);
        Assert.True(pair.Client.ProtectionSettled && pair.Server.ProtectionSettled, "both sides send and accept only the link keys");
    }

    /// <summary>
    /// Round trips on the simulated clock (no loss, 50 ms each way, from the moment the transport connection is up):
    /// when the side that accepted initiates (what direct links do since session 7), the side that connected is keyed
    /// after FINISH, 1.5 round trips; when the connecting side initiates it waits for READY, 2 round trips.
    /// </summary>
    [Theory]
    [InlineData(true, 150)]
    [InlineData(false, 200)]
    public void The_connecting_side_is_keyed_half_a_round_trip_sooner_when_the_accepting_side_initiates(bool initiatorAccepted, int keyedAfterMs)
    {
        using var pair = new ConnectedPair(new LinkConditions { Delay = TimeSpan.FromMilliseconds(50) }, 5, new TransportOptions());
        var (initiatorSide, responderSide) = initiatorAccepted ? (pair.Server, pair.Client) : (pair.Client, pair.Server);
        var initiator = new Side(initiatorSide, LinkHandshakeDriver.Initiator(Alice, Bob.Public)) { Stream = initiatorSide.OpenTransportStream() };
        var responder = new Side(responderSide, LinkHandshakeDriver.Responder(Bob, _ => true));
        var connecting = initiatorAccepted ? responder : initiator;
        long start = pair.Sim.Clock.GetTimestamp();
        initiator.Start();

        Assert.True(pair.Sim.Run(() =>
        {
            responder.Stream ??= responderSide.TryAcceptStream();
            initiator.Pump();
            responder.Pump();
        }, () => connecting.Driver.IsComplete, TimeSpan.FromMinutes(1)));

        var keyedAfter = pair.Sim.Clock.GetElapsedTime(start);
        TestContext.Current.SendDiagnosticMessage($"initiator accepted: {initiatorAccepted}; the connecting side keyed after {keyedAfter.TotalMilliseconds} ms");
        Assert.InRange(keyedAfter.TotalMilliseconds, keyedAfterMs, keyedAfterMs + 10);
    }

    [Fact]
    public void After_the_switch_a_packet_under_the_old_unkeyed_protection_is_refused()
    {
        using var pair = new ConnectedPair(new LinkConditions { Delay = TimeSpan.FromMilliseconds(5) }, 99, new TransportOptions());
        var initiator = new Side(pair.Client, LinkHandshakeDriver.Initiator(Alice, Bob.Public)) { Stream = pair.Client.OpenTransportStream() };
        var responder = new Side(pair.Server, LinkHandshakeDriver.Responder(Bob, _ => true));
        initiator.Start();
        Assert.True(pair.Sim.Run(() =>
        {
            responder.Stream ??= pair.Server.TryAcceptStream();
            initiator.Pump();
            responder.Pump();
        }, () => initiator.Driver.IsComplete && responder.Driver.IsComplete && pair.Server.ProtectionSettled, TimeSpan.FromMinutes(1)));

        var forged = new byte[200];
        DataPacketLayout.WriteHeader(forged, pair.Server.LocalId);
        var plaintext = new SpanWriter(forged.AsSpan(DataPacketLayout.HeaderLength));
        plaintext.WriteUInt64(1_000_000);
        FrameWriter.WriteDatagram(ref plaintext, "forged"u8);
        int length = new UnkeyedPacketProtector().Protect(forged, DataPacketLayout.HeaderLength, plaintext.Position);
        pair.Sim.Network.Inject(forged.AsSpan(0, length), Simulation.ClientAddress(0), Simulation.ServerAddress);
        Assert.True(pair.Client.SendDatagram("genuine"u8));
        pair.Sim.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("genuine"u8.ToArray(), pair.Server.TryReceiveDatagram());
        Assert.Null(pair.Server.TryReceiveDatagram());
    }
}
