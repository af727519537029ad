// Test helper: a loopback TCP proxy between two TCP-path endpoints that records every frame and may rewrite them.
using System.Net;
using System.Net.Sockets;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Tcp;

namespace P2PChat.Core.Tests.Transport.Tcp;

/// <summary>
/// Accepts one connection on loopback, connects to <c>target</c>, and forwards whole frames both ways (parsed with
/// <see cref="TcpFrameCodec"/>). Each frame is recorded as the bytes that arrived, then passed through
/// <see cref="RewriteClientFrames"/> (client → server only), whose output is sent instead.
/// </summary>
public sealed class TcpFrameProxy : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly EndPoint _target;
    private readonly List<(bool FromClient, byte Type, byte[] Bytes)> _frames = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    private TcpFrameProxy(EndPoint target) => _target = target;

    public EndPoint LocalEndPoint => _listener.LocalEndPoint!;

    /// <summary>Called for each client → server frame with its type and bytes; returns the frames to send instead.</summary>
    public Func<byte, byte[], IEnumerable<byte[]>>? RewriteClientFrames { get; init; }

    public static TcpFrameProxy Start(EndPoint target, Func<byte, byte[], IEnumerable<byte[]>>? rewrite = null)
    {
        var proxy = new TcpFrameProxy(target) { RewriteClientFrames = rewrite };
        proxy._listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        proxy._listener.Listen(1);
        proxy._run = proxy.RunAsync(proxy._stop.Token);
        return proxy;
    }

    /// <summary>The frames recorded so far in one direction, in order.</summary>
    public IReadOnlyList<(byte Type, byte[] Bytes)> Frames(bool fromClient)
    {
        lock (_frames) return _frames.Where(f => f.FromClient == fromClient).Select(f => (f.Type, f.Bytes)).ToList();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        using var client = await _listener.AcceptAsync(ct);
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await server.ConnectAsync(_target, ct);
        await Task.WhenAll(PumpAsync(client, server, true, ct), PumpAsync(server, client, false, ct));
    }

    private async Task PumpAsync(Socket from, Socket to, bool fromClient, CancellationToken ct)
    {
        var buffer = new byte[TcpFrameCodec.MaxPayload + TcpFrameCodec.MaxHeaderLength];
        int end = 0;
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, ct)) > 0)
            {
                end += read;
                int start = 0;
                while (TcpFrameCodec.TryReadHeader(buffer.AsSpan(start, end - start), out byte type, out _, out int length, out int header, out _)
                       && end - start >= header + length)
                {
                    var frame = buffer[start..(start + header + length)];
                    start += header + length;
                    lock (_frames) _frames.Add((fromClient, type, frame));
                    var outgoing = fromClient && RewriteClientFrames is { } rewrite ? rewrite(type, frame) : [frame];
                    foreach (var bytes in outgoing) await to.SendAsync(bytes, SocketFlags.None, ct);
                }
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Either side went away (e.g. it aborted after tampering): stop forwarding in both directions.
            from.Close();
            to.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        try { await _run; }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException) { }
        _stop.Dispose();
    }
}
