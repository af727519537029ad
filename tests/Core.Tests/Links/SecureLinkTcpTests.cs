// SecureLink over the TCP path on loopback, through a recording proxy: sealed frames on the wire, tampering aborts.
using System.Net;
using System.Text;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Links;
using P2PChat.Core.Tests.Transport.Tcp;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Tcp;
using Xunit;

namespace P2PChat.Core.Tests.Links;

public sealed class SecureLinkTcpTests
{
    private static readonly IdentityKeyPair Alice = IdentityKeyPair.Generate();
    private static readonly IdentityKeyPair Bob = IdentityKeyPair.Generate();
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);
    private static readonly byte[] Question = "a question only Bob may read"u8.ToArray();
    private static readonly byte[] Answer = "an answer only Alice may read"u8.ToArray();

    /// <summary>A generous timeout so that a hang fails the test instead of the whole run.</summary>
    private static CancellationTokenSource SafetyNet()
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        return cts;
    }

    private static async Task<byte[]> ReadExactlyAsync(IReliableStream stream, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        for (int n = 0; n < count;)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(n), ct);
            if (read == 0) throw new EndOfStreamException();
            n += read;
        }
        return buffer;
    }

    [Fact]
    public async Task A_secure_link_over_tcp_proves_both_identities_and_seals_every_frame_after_the_switch()
    {
        using var cts = SafetyNet();
        var ct = cts.Token;
        using var listener = TcpTransportListener.Bind(Loopback);
        await using var proxy = TcpFrameProxy.Start(listener.LocalEndPoint);

        var accepting = Task.Run(async () =>
        {
            await using var connection = await listener.AcceptAsync(ct);
            var caller = await SecureLink.RespondAsync(connection, Bob, id => id.Equals(Alice.Public), ct);
            var stream = await connection.AcceptStreamAsync(ct);
            var question = await ReadExactlyAsync(stream, Question.Length, ct);
            await stream.WriteAsync(Answer, ct);
            stream.CompleteWrites();
            Assert.Equal(0, await stream.ReadAsync(new byte[1], ct));
            return (caller, question, connection.ProtectionSettled);
        }, ct);
        await using var link = await TcpTransportConnection.ConnectAsync(proxy.LocalEndPoint, ct);
        var callee = await SecureLink.InitiateAsync(link, Alice, Bob.Public, ct);
        var chat = link.OpenStream();
        await chat.WriteAsync(Question, ct);
        var answer = await ReadExactlyAsync(chat, Answer.Length, ct);
        chat.CompleteWrites();
        var (caller, question, bobSettled) = await accepting;

        Assert.Equal(Bob.Public, callee);
        Assert.Equal(Alice.Public, caller);
        Assert.Equal(Question, question);
        Assert.Equal(Answer, answer);
        Assert.True(link.ProtectionSettled);
        Assert.True(bobSettled);
        foreach (bool fromClient in new[] { true, false })
        {
            var frames = proxy.Frames(fromClient);
            // The handshake goes out plain (Alice: HELLO, FINISH; Bob: REPLY), Bob's READY already sealed; from the
            // first SEALED frame on, nothing else.
            int firstSealed = frames.ToList().FindIndex(f => f.Type == TcpFrameCodec.Sealed);
            Assert.True(firstSealed >= (fromClient ? 2 : 1), $"handshake frames from {(fromClient ? "Alice" : "Bob")} were not plain");
            Assert.All(frames.Skip(firstSealed), f => Assert.Equal(TcpFrameCodec.Sealed, f.Type));
            Assert.Contains(frames.Skip(firstSealed), f => f.Bytes.Length > Question.Length);
            var wire = frames.SelectMany(f => f.Bytes).ToArray();
            Assert.Equal(-1, wire.AsSpan().IndexOf(Question));
            Assert.Equal(-1, wire.AsSpan().IndexOf(Answer));
        }
    }

    public static TheoryData<string> Tamperings => new() { "flip", "replay", "reorder", "plain" };

    /// <summary>What the path does to Alice's frames once they are sealed (she sends at least two: the end of the
    /// handshake stream and her question).</summary>
    private static Func<byte, byte[], IEnumerable<byte[]>> Tamper(string how)
    {
        int sealedSeen = 0;
        byte[]? held = null;
        return (type, frame) =>
        {
            if (type != TcpFrameCodec.Sealed) return [frame];
            int index = sealedSeen++;
            return (how, index) switch
            {
                ("flip", 1) => [Flipped(frame)],
                ("replay", 0) => [frame, frame],
                ("reorder", 0) => Hold(ref held, frame),
                ("reorder", 1) => [frame, held!],
                ("plain", 0) => [frame, PlainDatagram()],
                _ => [frame],
            };
        };
    }

    private static byte[] Flipped(byte[] frame)
    {
        var copy = frame.ToArray();
        copy[^1] ^= 0x01;
        return copy;
    }

    private static byte[][] Hold(ref byte[]? held, byte[] frame)
    {
        held = frame;
        return [];
    }

    private static byte[] PlainDatagram()
    {
        var frame = new byte[TcpFrameCodec.MaxHeaderLength + 1];
        int header = TcpFrameCodec.WriteHeader(frame, TcpFrameCodec.Datagram, 0, 1);
        return frame[..(header + 1)];
    }

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task A_sealed_frame_tampered_with_on_the_path_aborts_the_link(string how)
    {
        using var cts = SafetyNet();
        var ct = cts.Token;
        using var listener = TcpTransportListener.Bind(Loopback);
        await using var proxy = TcpFrameProxy.Start(listener.LocalEndPoint, Tamper(how));

        var accepting = Task.Run(async () =>
        {
            await using var connection = await listener.AcceptAsync(ct);
            try
            {
                await SecureLink.RespondAsync(connection, Bob, id => id.Equals(Alice.Public), ct);
                var stream = await connection.AcceptStreamAsync(ct);
                await ReadExactlyAsync(stream, Question.Length, ct);
                return "Bob read Alice's question";
            }
            catch (TransportException e)
            {
                return e.Error + ": " + e.Message;
            }
        }, ct);
        await using var link = await TcpTransportConnection.ConnectAsync(proxy.LocalEndPoint, ct);
        try
        {
            // Bob may already have hung up by the time Alice completes the handshake stream or writes.
            await SecureLink.InitiateAsync(link, Alice, Bob.Public, ct);
            await link.OpenStream().WriteAsync(Question, ct);
        }
        catch (TransportException) { }

        var outcome = await accepting;
        Assert.StartsWith(nameof(TransportError.ProtectionViolation), outcome);
        // Bob closed the socket: Alice's side ends too instead of waiting forever.
        await Assert.ThrowsAsync<TransportException>(async () => await link.AcceptStreamAsync(ct));
    }
}
