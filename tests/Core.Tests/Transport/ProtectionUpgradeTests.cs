// Switching a live connection from unkeyed to AES-GCM protection: no byte lost, and old-style packets refused afterwards.
using P2PChat.Core.Bytes;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Protection;
using P2PChat.Core.Transport.Sockets;
using P2PChat.Core.Transport.Wire;
using P2PChat.NetLab.Transport;
using Xunit;

namespace P2PChat.Core.Tests.Transport;

public sealed class ProtectionUpgradeTests
{
    [Fact]
    public void Streams_survive_an_upgrade_in_the_middle_and_unkeyed_packets_are_refused_after_it()
    {
        var unkeyed = new TransportOptions();
        using var pair = new ConnectedPair(new LinkConditions { Delay = TimeSpan.FromMilliseconds(10), Loss = 0.05, Reorder = 0.05 }, seed: 21, unkeyed);
        var stream = pair.Client.OpenTransportStream();
        var writer = new PatternWriter(stream, 5, 600_000);
        PatternReader? reader = null;
        bool upgraded = false;

        bool done = pair.Sim.Run(() =>
        {
            writer.Pump();
            if (reader is null && pair.Server.TryAcceptStream() is { } s) reader = new PatternReader(s) { Tag = 5, ExpectedSize = 600_000 };
            reader?.Pump();
            if (!upgraded && reader?.Read > 200_000)
            {
                // The two sides switch at different moments, as they would when keys arrive.
                pair.Server.UpgradeProtection(TestKeys.Protector(ConnectionRole.Server));
                pair.Client.UpgradeProtection(TestKeys.Protector(ConnectionRole.Client));
                upgraded = true;
            }
        }, () => reader?.Ended == true, TimeSpan.FromMinutes(5));
        Assert.True(done);
        Assert.Equal(ConnectionState.Established, pair.Server.State);

        // A forged packet under the old (unkeyed) protection, carrying a datagram, is no longer accepted.
        var forged = new byte[200];
        DataPacketLayout.WriteHeader(forged, pair.Server.LocalId);
        var plaintext = new SpanWriter(forged.AsSpan(DataPacketLayout.HeaderLength));
        plaintext.WriteUInt64(1_000_000);
        FrameWriter.WriteDatagram(ref plaintext, "forged"u8);
        int length = new UnkeyedPacketProtector().Protect(forged, DataPacketLayout.HeaderLength, plaintext.Position);
        pair.Sim.Network.Conditions = new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) };
        pair.Sim.Network.Inject(forged.AsSpan(0, length), Simulation.ClientAddress(0), Simulation.ServerAddress);
        Assert.True(pair.Client.SendDatagram("genuine"u8));
        pair.Sim.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("genuine"u8.ToArray(), pair.Server.TryReceiveDatagram());
        Assert.Null(pair.Server.TryReceiveDatagram());
    }
}
