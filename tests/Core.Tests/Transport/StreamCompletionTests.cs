// Closing, aborting or disposing a connection completes every open stream: readers end or throw, writers fail, nothing waits forever.
using System.Net;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Streams;
using P2PChat.Core.Transport.Tcp;
using P2PChat.NetLab.Transport;
using Xunit;

namespace P2PChat.Core.Tests.Transport;

/// <summary>
/// Long-lived streams (open in both directions, never finished, a reader always waiting) are the case that used to
/// hold a clean exit: these tests park the async operations an application would have pending, end the connection,
/// and check that each completes. Simulated time (the in-memory network) decides how long a close may take; the real
/// waits only have a safety net.
/// </summary>
public sealed class StreamCompletionTests
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(30);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A stream each way, each carrying one message and left open, as a PM stream per link is.</summary>
    private sealed record OpenStreams(TransportStream ClientOut, TransportStream ServerIn, TransportStream ServerOut, TransportStream ClientIn);

    private static OpenStreams OpenBothWays(ConnectedPair pair)
    {
        var clientOut = pair.Client.OpenTransportStream();
        Assert.Equal(3, clientOut.TryWrite("one"u8));
        var serverOut = pair.Server.OpenTransportStream();
        Assert.Equal(3, serverOut.TryWrite("two"u8));
        TransportStream? serverIn = null, clientIn = null;
        var buffer = new byte[16];
        int serverRead = 0, clientRead = 0;
        Assert.True(pair.Sim.Run(() =>
        {
            serverIn ??= pair.Server.TryAcceptStream();
            clientIn ??= pair.Client.TryAcceptStream();
            if (serverIn is not null) serverRead += Math.Max(0, serverIn.TryRead(buffer));
            if (clientIn is not null) clientRead += Math.Max(0, clientIn.TryRead(buffer));
        }, () => serverRead == 3 && clientRead == 3, TimeSpan.FromSeconds(30)));
        return new OpenStreams(clientOut, serverIn!, serverOut, clientIn!);
    }

    [Fact]
    public async Task A_graceful_close_ends_the_open_streams_of_both_sides_as_a_clean_end_of_stream()
    {
        using var pair = new ConnectedPair(new LinkConditions(), seed: 31);
        var s = OpenBothWays(pair);
        var clientRead = s.ClientIn.ReadAsync(new byte[16], Ct).AsTask();
        var serverRead = s.ServerIn.ReadAsync(new byte[16], Ct).AsTask();
        var serverAccept = pair.Server.AcceptStreamAsync(Ct).AsTask();

        var close = pair.Client.CloseAsync(Ct);
        // From the moment of the close, this side writes nothing more.
        await Assert.ThrowsAsync<TransportException>(() => s.ClientOut.WriteAsync(new byte[1], Ct).AsTask());
        Assert.Throws<TransportException>(() => s.ClientOut.CompleteWrites());

        Assert.True(pair.Sim.Run(() => { }, () => pair.Client.State != ConnectionState.Established && pair.Server.State != ConnectionState.Established,
            TimeSpan.FromSeconds(5)));
        await close.WaitAsync(SafetyNet, Ct);
        Assert.Equal(0, await clientRead.WaitAsync(SafetyNet, Ct));
        Assert.Equal(0, await serverRead.WaitAsync(SafetyNet, Ct));
        await Assert.ThrowsAsync<TransportException>(() => serverAccept.WaitAsync(SafetyNet, Ct));
        Assert.Equal((TransportError.None, TransportError.None), (pair.Client.Error, pair.Server.Error));
        // and the peer, whose streams ended under it, cannot write on them any more
        await Assert.ThrowsAsync<TransportException>(() => s.ServerOut.WriteAsync(new byte[1], Ct).AsTask());
    }

    [Fact]
    public async Task A_close_towards_a_vanished_peer_gives_up_after_the_close_timeout_and_fails_every_waiter()
    {
        var options = new TransportOptions { StreamSendBuffer = 4096 }.WithAesGcm();
        using var pair = new ConnectedPair(new LinkConditions(), seed: 32, options);
        var s = OpenBothWays(pair);
        pair.Sim.Network.Conditions = new LinkConditions { Loss = 1.0 };   // the path dies: nothing more gets through
        Assert.True(s.ClientOut.TryWrite(new byte[8192]) > 0);           // unacknowledged data the close would wait for
        var blockedWrite = s.ClientOut.WriteAsync(new byte[8192], Ct).AsTask();
        var read = s.ClientIn.ReadAsync(new byte[16], Ct).AsTask();
        var accept = pair.Client.AcceptStreamAsync(Ct).AsTask();
        var datagram = pair.Client.ReceiveDatagramAsync(Ct).AsTask();
        Assert.False(blockedWrite.IsCompleted);

        var close = pair.Client.CloseAsync(Ct);
        // A writer waiting for buffer space fails at once rather than when the close ends.
        var writeError = await Assert.ThrowsAsync<TransportException>(() => blockedWrite.WaitAsync(SafetyNet, Ct));
        Assert.Equal(TransportError.ClosedLocally, writeError.Error);
        Assert.False(close.IsCompleted);

        // Simulated time: the close ends within its timeout (2 s), far inside the 60 s idle timeout.
        Assert.True(pair.Sim.Run(() => { }, () => pair.Client.State != ConnectionState.Established, options.CloseTimeout + TimeSpan.FromMilliseconds(100)));
        await close.WaitAsync(SafetyNet, Ct);
        Assert.Equal(TransportError.CloseTimedOut, pair.Client.Error);
        // The data in flight may be lost, so readers must not see a clean end: they get the error.
        Assert.Equal(TransportError.CloseTimedOut, (await Assert.ThrowsAsync<TransportException>(() => read.WaitAsync(SafetyNet, Ct))).Error);
        await Assert.ThrowsAsync<TransportException>(() => accept.WaitAsync(SafetyNet, Ct));
        await Assert.ThrowsAsync<TransportException>(() => datagram.WaitAsync(SafetyNet, Ct));
    }

    [Fact]
    public async Task A_close_whose_data_keeps_being_acknowledged_is_not_cut_short_by_the_close_timeout()
    {
        // 120 kB through a 20 kB/s bottleneck: about 6 s of draining, three times the close timeout.
        using var pair = new ConnectedPair(new LinkConditions { BytesPerSecond = 20_000, MaxQueueDelay = TimeSpan.FromSeconds(1) }, seed: 33);
        var stream = pair.Client.OpenTransportStream();
        var data = new byte[120_000].Select((_, i) => StreamPattern.At(5, i)).ToArray();
        Assert.Equal(data.Length, stream.TryWrite(data));
        stream.CompleteWrites();
        var close = pair.Client.CloseAsync(Ct);

        PatternReader? reader = null;
        Assert.True(pair.Sim.Run(() =>
        {
            if (reader is null && pair.Server.TryAcceptStream() is { } s) reader = new PatternReader(s) { Tag = 5, ExpectedSize = data.Length };
            reader?.Pump();
        }, () => reader is { Ended: true } && pair.Client.State != ConnectionState.Established, TimeSpan.FromMinutes(1)));
        await close.WaitAsync(SafetyNet, Ct);
        Assert.Equal(data.Length, reader!.Read);
        Assert.Equal(TransportError.None, pair.Client.Error);
    }

    [Fact]
    public async Task An_abort_fails_this_sides_waiters_at_once()
    {
        using var pair = new ConnectedPair(new LinkConditions(), seed: 34);
        var s = OpenBothWays(pair);
        var read = s.ClientIn.ReadAsync(new byte[16], Ct).AsTask();
        var accept = pair.Client.AcceptStreamAsync(Ct).AsTask();

        pair.Client.Abort();

        Assert.Equal(TransportError.AbortedLocally, (await Assert.ThrowsAsync<TransportException>(() => read.WaitAsync(SafetyNet, Ct))).Error);
        await Assert.ThrowsAsync<TransportException>(() => accept.WaitAsync(SafetyNet, Ct));
        await Assert.ThrowsAsync<TransportException>(() => s.ClientOut.WriteAsync(new byte[1], Ct).AsTask());
    }

    [Fact]
    public async Task Disposing_the_endpoint_fails_the_waiters_of_its_connections()
    {
        using var pair = new ConnectedPair(new LinkConditions(), seed: 35);
        var s = OpenBothWays(pair);
        var read = s.ClientIn.ReadAsync(new byte[16], Ct).AsTask();

        pair.Sim.Clients[0].Dispose();

        // (it aborts each connection, so the peer hears of it, then forgets them)
        await Assert.ThrowsAsync<TransportException>(() => read.WaitAsync(SafetyNet, Ct));
        Assert.Equal(ConnectionState.Closed, pair.Client.State);
    }

    [Fact]
    public async Task Over_tcp_a_close_ends_the_open_streams_of_both_sides_and_disposing_returns()
    {
        using var listener = TcpTransportListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var accepting = listener.AcceptAsync(Ct);
        var client = await TcpTransportConnection.ConnectAsync(listener.LocalEndPoint, Ct);
        await using var server = await accepting;
        var clientOut = client.OpenStream();
        await clientOut.WriteAsync("one"u8.ToArray(), Ct);
        var serverIn = await server.AcceptStreamAsync(Ct).AsTask().WaitAsync(SafetyNet, Ct);
        Assert.Equal(3, await serverIn.ReadFullyAsync(new byte[3], Ct));
        var serverOut = server.OpenStream();
        await serverOut.WriteAsync("two"u8.ToArray(), Ct);
        var clientIn = await client.AcceptStreamAsync(Ct).AsTask().WaitAsync(SafetyNet, Ct);
        Assert.Equal(3, await clientIn.ReadFullyAsync(new byte[3], Ct));
        var clientRead = clientIn.ReadAsync(new byte[16], Ct).AsTask();
        var serverRead = serverIn.ReadAsync(new byte[16], Ct).AsTask();

        await client.DisposeAsync().AsTask().WaitAsync(SafetyNet, Ct);

        // Disposing aborts: this side's reader fails, the peer's reader fails (no clean end: nothing was flushed).
        await Assert.ThrowsAsync<TransportException>(() => clientRead.WaitAsync(SafetyNet, Ct));
        await Assert.ThrowsAsync<TransportException>(() => serverRead.WaitAsync(SafetyNet, Ct));
        await Assert.ThrowsAsync<TransportException>(() => serverOut.WriteAsync(new byte[1], Ct).AsTask());
    }
}
