// Bulk stream I/O without the extra copy: reads placed straight into a waiting buffer, writes filled into the send buffer.
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Streams;
using P2PChat.NetLab.Transport;
using Xunit;

namespace P2PChat.Core.Tests.Transport.Streams;

/// <summary>
/// The simulation runs the network on the test thread; a read's continuation runs on the pool, so each test pumps until
/// the sender's bytes are all acknowledged (the data stays below the stream window, so that needs no reader) and then
/// awaits the read with a safety net.
/// </summary>
public sealed class BulkStreamTests
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(30);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A client stream that wrote one byte, and the server's end of it with that byte read.</summary>
    private static (TransportStream Out, TransportStream In) Open(ConnectedPair pair)
    {
        var output = pair.Client.OpenTransportStream();
        Assert.Equal(1, output.TryWrite("x"u8));
        TransportStream? input = null;
        var one = new byte[1];
        Assert.True(pair.Sim.Run(() => input ??= pair.Server.TryAcceptStream(), () => input is not null && input.TryRead(one) == 1, TimeSpan.FromSeconds(30)));
        return (output, input!);
    }

    private static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Writes all of <paramref name="data"/> (below the stream's send buffer) and pumps until it is acknowledged.</summary>
    private static void SendAll(ConnectedPair pair, TransportStream output, byte[] data, bool complete = false)
    {
        Assert.Equal(data.Length, output.TryWrite(data));
        if (complete) output.CompleteWrites();
        Assert.True(pair.Sim.Run(() => { }, () => output.SendSettled, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task A_waiting_read_is_filled_from_arriving_packets_and_returns_only_at_its_minimum()
    {
        using var pair = new ConnectedPair(new LinkConditions(), seed: 7);
        var (output, input) = Open(pair);
        var data = Random(100_000, 1);
        var buffer = new byte[100_000];
        var read = input.ReadAtLeastAsync(buffer, buffer.Length, Ct).AsTask();
        Assert.Equal(data.Length, output.TryWrite(data));

        Assert.True(pair.Sim.Run(() => { }, () => input.PlacedInPendingRead >= 50_000, TimeSpan.FromMinutes(1)));
        Assert.False(read.IsCompleted); // half there: the reader was not woken
        Assert.True(pair.Sim.Run(() => { }, () => output.SendSettled, TimeSpan.FromMinutes(1)));

        Assert.Equal(buffer.Length, await read.WaitAsync(SafetyNet, Ct));
        Assert.Equal(data, buffer);
        Assert.Equal(0, input.PlacedInPendingRead);
    }

    [Fact]
    public async Task Lost_duplicated_and_reordered_packets_still_give_every_byte_once_in_order()
    {
        var conditions = new LinkConditions { Loss = 0.05, Duplicate = 0.02, Reorder = 0.1 };
        using var pair = new ConnectedPair(conditions, seed: 11);
        var (output, input) = Open(pair);
        var data = Random(1_500_000, 2);
        var random = new Random(3);
        var minimums = Enumerable.Range(0, 64).Select(_ => random.Next(1, 200_000)).ToArray();
        var reader = Task.Run(async () =>
        {
            var received = new byte[data.Length];
            var done = 0;
            for (var i = 0; done < received.Length; i++)
            {
                var room = received.AsMemory(done, Math.Min(received.Length - done, 250_000));
                var n = await input.ReadAtLeastAsync(room, Math.Min(room.Length, minimums[i % minimums.Length]), Ct);
                Assert.True(n >= Math.Min(room.Length, minimums[i % minimums.Length]));
                done += n;
            }
            return received;
        }, Ct);

        SendAll(pair, output, data);

        Assert.Equal(data, await reader.WaitAsync(SafetyNet, Ct));
    }

    [Fact]
    public async Task At_the_end_of_the_stream_a_read_returns_what_is_left_then_zero()
    {
        using var pair = new ConnectedPair(new LinkConditions(), seed: 5);
        var (output, input) = Open(pair);
        var buffer = new byte[1000];
        var read = input.ReadAtLeastAsync(buffer, buffer.Length, Ct).AsTask();

        SendAll(pair, output, Random(300, 4), complete: true);

        Assert.Equal(300, await read.WaitAsync(SafetyNet, Ct));
        Assert.Equal(Random(300, 4), buffer[..300]);
        Assert.Equal(0, await input.ReadAtLeastAsync(buffer, 1, Ct).AsTask().WaitAsync(SafetyNet, Ct));
    }

    [Fact]
    public async Task A_cancelled_read_stops_placing_bytes_in_its_buffer_and_later_bytes_stay_readable()
    {
        using var pair = new ConnectedPair(new LinkConditions(), seed: 9);
        var (output, input) = Open(pair);
        var data = Random(200_000, 5);
        var buffer = new byte[data.Length];
        using var cancel = new CancellationTokenSource();
        var read = input.ReadAtLeastAsync(buffer, buffer.Length, cancel.Token).AsTask();
        Assert.Equal(data.Length, output.TryWrite(data));
        Assert.True(pair.Sim.Run(() => { }, () => input.PlacedInPendingRead > 0, TimeSpan.FromMinutes(1)));

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(SafetyNet, Ct));
        var placed = (int)(input.ReceiveBuffer.ReadOffset - 1); // taken off the stream before the cancel (after the opening byte)
        Assert.True(placed > 0);
        Array.Fill(buffer, (byte)0xEE);
        Assert.True(pair.Sim.Run(() => { }, () => output.SendSettled, TimeSpan.FromMinutes(1)));

        Assert.All(buffer, b => Assert.Equal(0xEE, b)); // nothing arrived in the buffer given back
        var rest = new byte[data.Length - placed];
        Assert.Equal(rest.Length, await input.ReadAtLeastAsync(rest, rest.Length, Ct).AsTask().WaitAsync(SafetyNet, Ct));
        Assert.Equal(data[placed..], rest);
    }

    [Fact]
    public async Task Pieces_of_the_send_buffer_filled_in_place_arrive_in_order_and_wait_for_room()
    {
        var options = new TransportOptions { StreamSendBuffer = 100_000 };
        using var pair = new ConnectedPair(new LinkConditions { Loss = 0.02 }, seed: 13, options);
        var (output, input) = Open(pair);
        var data = Random(300_000, 6);
        var received = new List<byte>();
        var sink = new byte[50_000];
        void Drain()
        {
            int n;
            while ((n = input.TryRead(sink)) > 0) received.AddRange(sink.AsSpan(0, n).ToArray());
        }
        var waited = false;
        for (var written = 0; written < data.Length;)
        {
            var lend = output.GetWriteBufferAsync(Math.Min(30_000, data.Length - written), Ct).AsTask();
            if (!lend.IsCompleted)
            {
                // The send buffer is full: a piece is lent once the peer acknowledged enough.
                Assert.True(written + 1 >= 100_000); // the opening byte may still be unacknowledged too
                waited = true;
                Assert.True(pair.Sim.Run(Drain, () => output.SendBuffer.Length < options.StreamSendBuffer, TimeSpan.FromMinutes(1)));
            }
            var piece = await lend.WaitAsync(SafetyNet, Ct);
            Assert.InRange(piece.Length, 1, 30_000);
            data.AsSpan(written, piece.Length).CopyTo(piece.Span);
            output.CommitWrite(piece.Length);
            written += piece.Length;
        }
        Assert.Throws<InvalidOperationException>(() => output.CommitWrite(0)); // nothing is lent now
        output.CompleteWrites();
        Assert.True(pair.Sim.Run(Drain, () => received.Count == data.Length && output.SendSettled, TimeSpan.FromMinutes(5)));

        Assert.True(waited);
        Assert.Equal(data, received.ToArray());
    }
}
