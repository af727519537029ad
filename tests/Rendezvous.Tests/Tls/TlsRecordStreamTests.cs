// The record layer on real loopback TLS against .NET's SslStream client: every suite, record sizes, close, bad input.
using System.Net.Sockets;
using System.Security.Cryptography;
using P2PChat.Rendezvous.Tls;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Tls;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TlsRecordStreamTests
{
    public static TheoryData<TlsCipherSuite> Suites() => [.. TlsCipherSuites.Available()];

    [Theory]
    [MemberData(nameof(Suites))]
    public async Task Carries_data_of_every_size_both_ways_in_every_suite(TlsCipherSuite suite)
    {
        await using var server = new TlsEchoServer();
        var (tcp, tls) = await server.ConnectAsync(suite);
        using var _ = tcp;
        await using var __ = tls;
        var stream = await server.NextStreamAsync();
        Assert.Equal(suite, stream.Suite);
        Assert.Equal((int)suite, (int)tls.NegotiatedCipherSuite);
        foreach (var size in new[] { 1, 100, RecordCodec.MaxPlaintext, RecordCodec.MaxPlaintext + 1, 100_000 })
            await EchoAsync(tls, size);
    }

    [Fact]
    public async Task An_idle_stream_holds_no_read_buffer()
    {
        // The serve loop reports each read's byte count, and -1 each time it is about to wait in a zero-byte read.
        var events = System.Threading.Channels.Channel.CreateUnbounded<int>();
        await using var server = new TlsEchoServer(async (stream, ct) =>
        {
            var buffer = new byte[1024];
            while (true)
            {
                // As the session's pipe does: a zero-byte read first, then a real one.
                await events.Writer.WriteAsync(-1, ct);
                var ready = await stream.ReadAsync(Memory<byte>.Empty, ct);
                Assert.Equal(0, ready);
                var n = await stream.ReadAsync(buffer, ct);
                await events.Writer.WriteAsync(n, ct);
                if (n == 0) return;
            }
        });
        var (tcp, tls) = await server.ConnectAsync();
        using var _ = tcp;
        await using var __ = tls;
        var stream = await server.NextStreamAsync();
        await tls.WriteAsync(new byte[300], TestClient.Ct);
        var got = 0;
        while (got < 300) got += Math.Max(0, await events.Reader.ReadAsync(TestClient.Ct));
        while (await events.Reader.ReadAsync(TestClient.Ct) != -1) { }
        // Everything read and the loop waits again: nothing rented meanwhile.
        Assert.False(stream.HoldsBuffer);
    }

    [Fact]
    public async Task The_sweeper_drops_the_cipher_contexts_of_a_quiet_connection_and_traffic_brings_them_back()
    {
        using var sweeper = new IdleCipherSweeper(time: null, IdleCipherSweeper.DefaultInterval);   // swept by hand
        await using var server = new TlsEchoServer(sweeper: sweeper);
        var (tcp, tls) = await server.ConnectAsync();
        using var _ = tcp;
        await using var __ = tls;
        var stream = await server.NextStreamAsync();
        await EchoAsync(tls, 100);
        Assert.Equal((true, true), stream.HoldsCiphers);
        Assert.Equal(0, sweeper.Sweep());   // used since the last look: kept
        Assert.Equal(2, sweeper.Sweep());   // a whole interval without a record: both dropped
        Assert.Equal((false, false), stream.HoldsCiphers);
        await EchoAsync(tls, 20_000);        // made again from the keys
        Assert.Equal((true, true), stream.HoldsCiphers);
    }

    private static async Task EchoAsync(System.Net.Security.SslStream tls, int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        await tls.WriteAsync(data, TestClient.Ct);
        var echoed = new byte[size];
        await tls.ReadExactlyAsync(echoed, TestClient.Ct);
        Assert.Equal(data, echoed);
    }

    [Fact]
    public async Task A_close_notify_ends_the_stream_cleanly()
    {
        await using var server = new TlsEchoServer();
        var (tcp, tls) = await server.ConnectAsync();
        using var _ = tcp;
        await server.NextStreamAsync();
        await tls.WriteAsync("bye"u8.ToArray(), TestClient.Ct);
        var echoed = new byte[3];
        await tls.ReadExactlyAsync(echoed, TestClient.Ct);
        await tls.ShutdownAsync();   // close_notify
        Assert.Null(await server.NextEndAsync());   // the echo loop saw the end (0), no error
        await tls.DisposeAsync();
    }

    public static TheoryData<string, byte[], TlsAlert> Garbage() => new()
    {
        { "a record that does not authenticate", [23, 3, 3, 0, 20, .. new byte[20]], TlsAlert.BadRecordMac },
        { "an unprotected handshake record", [22, 3, 3, 0, 4, 1, 0, 0, 0], TlsAlert.UnexpectedMessage },
        { "an unprotected change_cipher_spec", [20, 3, 3, 0, 1, 1], TlsAlert.UnexpectedMessage },
        { "a record over the length limit", [23, 3, 3, 0x48, 0x01], TlsAlert.RecordOverflow },
        { "plain text", "GET / HTTP/1.1\r\n\r\n"u8.ToArray(), TlsAlert.UnexpectedMessage },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task Garbage_after_the_handshake_gets_the_right_alert_and_loses_only_that_connection(string what, byte[] garbage, TlsAlert alert)
    {
        await using var server = new TlsEchoServer();
        var (tcp, tls) = await server.ConnectAsync();
        using var _ = tcp;
        await using var __ = tls;
        var (otherTcp, other) = await server.ConnectAsync();
        using var ___ = otherTcp;
        await using var ____ = other;
        await server.NextStreamAsync();
        await server.NextStreamAsync();

        await tcp.GetStream().WriteAsync(garbage, TestClient.Ct);   // under TLS, straight onto the socket
        var end = await server.NextEndAsync();
        var failure = Assert.IsType<TlsAlertException>(end);
        Assert.True(failure.Sent, what);
        Assert.Equal(alert, failure.Alert);
        // The client sees the alert (SslStream reports it as an error) or the close, never data.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            if (await tls.ReadAsync(new byte[16], TestClient.Ct) == 0) throw new EndOfStreamException();
        });
        // The other connection goes on.
        await other.WriteAsync("still here"u8.ToArray(), TestClient.Ct);
        var echoed = new byte[10];
        await other.ReadExactlyAsync(echoed, TestClient.Ct);
        Assert.Equal("still here"u8.ToArray(), echoed);
    }

    [Fact]
    public async Task A_connection_cut_in_the_middle_of_a_record_is_an_error_not_an_end()
    {
        await using var server = new TlsEchoServer();
        var (tcp, tls) = await server.ConnectAsync();
        await using var __ = tls;
        await server.NextStreamAsync();
        await tcp.GetStream().WriteAsync(new byte[] { 23, 3, 3, 0, 40, 1, 2, 3 }, TestClient.Ct);
        tcp.Client.Shutdown(SocketShutdown.Send);
        Assert.IsType<IOException>(await server.NextEndAsync());
        tcp.Dispose();
    }
}
