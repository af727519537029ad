// "transport-litenet-send"/"transport-litenet-recv": the bulk benchmark over LiteNetLib 2.1.5 (reliable ordered channel), a baseline row beside ours.
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using LiteNetLib;

namespace P2PChat.Benchmarks.Transport;

/// <summary>
/// <code>
/// transport-litenet-recv --bind IP:PORT
/// transport-litenet-send --to IP:PORT (--bytes 256M | --seconds 20)
/// </code>
/// Messages on channel 0, ReliableOrdered: 0x00 + data (16 KiB messages, fragmented by LiteNetLib), then 0x01 + total
/// (i64) as the end marker; the receiver answers with the total it counted and the sender's clock stops at that
/// answer, as in our bulk run. LiteNetLib is tuned for throughput the way its documentation allows: a 1 ms logic
/// update (default 15 ms), events on its own threads, native sockets, its MTU discovery on; the writer keeps at most
/// <see cref="MaxQueuedPackets"/> packets in the reliable queue (the library has no blocking send). It has no
/// encryption, so it does less work per packet than our protected transport.
/// </summary>
internal static class LiteNetLibBulk
{
    private const string Key = "p2pchat-bench";
    private const int MessageSize = 16 * 1024;
    private const int MaxQueuedPackets = 2048;

    private static NetManager NewManager(EventBasedNetListener listener) => new(listener)
    {
        UnsyncedEvents = true,
        AutoRecycle = true,
        UpdateTime = 1,
        MtuDiscovery = true,
        UseNativeSockets = true,
        DisconnectTimeout = 30_000,
    };

    public static async Task<int> ReceiveAsync(BenchOptions o, CancellationToken ct)
    {
        var bind = o.EndPoint("bind");
        var listener = new EventBasedNetListener();
        var manager = NewManager(listener);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long total = 0;
        listener.ConnectionRequestEvent += request => request.AcceptIfKey(Key);
        listener.NetworkReceiveEvent += (peer, reader, _, _) =>
        {
            var data = reader.GetRemainingBytesSpan();
            if (data.IsEmpty) return;
            if (data[0] == 0) total += data.Length - 1;
            else
            {
                var reply = new byte[8];
                BinaryPrimitives.WriteInt64BigEndian(reply, total);
                peer.Send(reply, DeliveryMethod.ReliableOrdered);
                Console.Error.WriteLine($"received {total} bytes");
            }
        };
        listener.PeerDisconnectedEvent += (_, _) => done.TrySetResult();
        if (!manager.Start(bind.Address, IPAddress.IPv6Any, bind.Port)) throw new InvalidOperationException($"cannot bind {bind}");
        Console.Error.WriteLine($"listening litenetlib {bind}");
        try { await done.Task.WaitAsync(ct); }
        finally { manager.Stop(); }
        return 0;
    }

    public static async Task<int> SendAsync(BenchOptions o, CancellationToken ct)
    {
        long bytes = o.Bytes("bytes", long.MaxValue);
        double seconds = o.Number("seconds", double.MaxValue);
        var listener = new EventBasedNetListener();
        var manager = NewManager(listener);
        var connected = new TaskCompletionSource<NetPeer>(TaskCreationOptions.RunContinuationsAsynchronously);
        var confirmed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.PeerConnectedEvent += peer => connected.TrySetResult(peer);
        listener.PeerDisconnectedEvent += (_, info) => connected.TrySetException(new InvalidOperationException($"disconnected: {info.Reason}"));
        listener.NetworkReceiveEvent += (_, reader, _, _) => confirmed.TrySetResult(BinaryPrimitives.ReadInt64BigEndian(reader.GetRemainingBytesSpan()));
        manager.Start();
        try
        {
            manager.Connect(o.EndPoint("to"), Key);
            var peer = await connected.Task.WaitAsync(TimeSpan.FromSeconds(15), ct);
            var message = new byte[MessageSize];
            Random.Shared.NextBytes(message);
            message[0] = 0;
            var clock = Stopwatch.StartNew();
            long sent = 0;
            while (sent < bytes && clock.Elapsed.TotalSeconds < seconds)
            {
                ct.ThrowIfCancellationRequested();
                if (peer.GetPacketsCountInReliableQueue(0, ordered: true) > MaxQueuedPackets)
                {
                    Thread.Sleep(1);
                    continue;
                }
                int n = (int)Math.Min(MessageSize - 1, bytes - sent);
                peer.Send(message, 0, n + 1, DeliveryMethod.ReliableOrdered);
                sent += n;
            }
            var end = new byte[9];
            end[0] = 1;
            BinaryPrimitives.WriteInt64BigEndian(end.AsSpan(1), sent);
            peer.Send(end, DeliveryMethod.ReliableOrdered);
            long total = await confirmed.Task.WaitAsync(ct);
            double elapsed = clock.Elapsed.TotalSeconds;
            if (total != sent) throw new InvalidOperationException($"receiver confirmed {total} of {sent} bytes");
            Console.WriteLine($"result bytes={sent} seconds={elapsed:F3} MBps={sent / elapsed / 1e6:F4} mtu={peer.Mtu}");
            peer.Disconnect();
            await Task.Delay(200, ct); // lets the disconnect leave before the socket closes
        }
        finally { manager.Stop(); }
        return 0;
    }
}
