// A SIGKILL of the real server process while large MSG_MULTI frames are being stored: each frame is stored whole or not at all.
using Microsoft.Data.Sqlite;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Tests.Storage;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Hosting;

public sealed class MultiMessageCrashTests
{
    private const int Frames = 40;
    private const int Parts = MsgMultiSend.MaxParts;

    [Fact]
    public async Task A_kill_during_a_large_msg_multi_leaves_every_frame_stored_whole_or_not_at_all()
    {
        using var data = new TempDirectory("p2pchat-multi-crash");
        var acked = new HashSet<uint>();
        await using (var server = await RendezvousProcess.StartAsync(data.Path,
            "--Rendezvous:MaxCommandsPerWindow", "100000", "--Rendezvous:MaxOfflineStoresPerMinute", "1000000",
            "--Rendezvous:MaxOfflineMessagesPerSender", "1000000", "--Rendezvous:MaxOfflineMessagesPerRecipient", "1000000"))
        {
            await using var alice = await TestClient.ConnectAsync(server.Endpoint, server.Fingerprint);
            var bob = (await alice.RegisterAsync("bob")).Subject;
            var carol = (await alice.RegisterAsync("carol")).Subject;
            await alice.RegisterAndSignInAsync("alice");
            // Every frame goes out at once (no waiting for answers), so the server is storing one when it is killed.
            for (var f = 0u; f < Frames; f++)
            {
                var parts = Enumerable.Range(0, Parts)
                    .Select(p => new MsgPart(p % 2 == 0 ? bob : carol, System.Text.Encoding.UTF8.GetBytes($"{f:D4}:{p:D3}:{new string('x', 100)}")))
                    .ToList();
                await alice.SendAsync(new MsgMultiSend(parts, f + 1, MessageFlags.Encrypted));
            }
            while (acked.Count < 3)
            {
                var ack = await alice.ExpectAsync<MsgMultiAck>();
                Assert.All(ack.Outcomes, o => Assert.Equal((StatusCode.Ok, MessageFlags.Offline), (o.Code, o.Flags)));
                acked.Add(ack.RequestId - 1);
            }
            await server.KillAsync();
        }

        var stored = new Dictionary<int, int>();
        using (var raw = RawSqlite.Open(Path.Combine(data.Path, "rendezvous.db"), SqliteOpenMode.ReadOnly))
        {
            foreach (var payload in raw.Blobs("SELECT payload FROM offline_messages"))
            {
                var frame = int.Parse(System.Text.Encoding.UTF8.GetString(payload, 0, 4), System.Globalization.CultureInfo.InvariantCulture);
                stored[frame] = stored.GetValueOrDefault(frame) + 1;
            }
        }
        Assert.All(acked, f => Assert.Equal(Parts, stored.GetValueOrDefault((int)f)));      // acknowledged: all there
        Assert.All(stored, kv => Assert.Equal(Parts, kv.Value));                              // and never a part of a frame
        Assert.True(stored.Count < Frames, "the kill came after every frame was stored: the test proved nothing");
    }
}
