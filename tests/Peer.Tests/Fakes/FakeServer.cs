// A scripted rendezvous server on loopback TCP (no TLS) for testing the client's side of the conversation.
using System.Net;
using System.Net.Sockets;
using P2PChat.Core.Framing;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Server;
using P2PChat.Peer.Session;
using P2PChat.Peer.Events;
using Xunit;

namespace P2PChat.Peer.Tests.Fakes;

public sealed class FakeServer : IAsyncDisposable
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(10);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<FakeSession> _sessions = [];

    public FakeServer() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connects over plain TCP and reports a matched pin with a fixed fingerprint.</summary>
    public IServerConnector Connector => new PlainConnector(Port);

    public const string Fingerprint = "AA:BB";

    public async Task<FakeSession> AcceptAsync()
    {
        var tcp = await _listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(SafetyNet);
        var session = new FakeSession(new FrameConnection(tcp.GetStream(), FrameDirection.ToServer));
        _sessions.Add(session);
        return session;
    }

    /// <summary>The server's side of HELLO on the next connection: reads it and answers HELLO_OK.</summary>
    public async Task<FakeSession> AcceptHelloAsync(uint heartbeatMs = 10_000, string serverName = "fake")
    {
        var session = await AcceptAsync();
        await session.ReadAsync<Hello>();
        await session.SendAsync(new HelloOk(1, 0, heartbeatMs, serverName));
        return session;
    }

    /// <summary>Connects <paramref name="client"/> (HELLO answered), ready for its sign-in.</summary>
    public async Task<FakeSession> ConnectAsync(ChatSession client, uint heartbeatMs = 10_000, string serverName = "fake")
    {
        var connect = client.ConnectAsync(TestContext.Current.CancellationToken);
        var session = await AcceptHelloAsync(heartbeatMs, serverName);
        await connect;
        return session;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _sessions) await s.DisposeAsync();
        _listener.Stop();
    }

    private sealed class PlainConnector(int port) : IServerConnector
    {
        public async ValueTask<ServerLink> ConnectAsync(ServerAddress address, ServerPin pin, CancellationToken ct)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port, ct);
            return new ServerLink(tcp.GetStream(), Fingerprint, PinOutcome.Matched);
        }
    }
}

/// <summary>The server's end of one connection.</summary>
public sealed class FakeSession(FrameConnection frames) : IAsyncDisposable
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(10);

    /// <summary>The next frame the client sent, which must be a T.</summary>
    public async Task<T> ReadAsync<T>() where T : Frame
    {
        var frame = await frames.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(SafetyNet);
        return Assert.IsType<T>(frame);
    }

    /// <summary>Null once the client has closed the connection.</summary>
    public async Task<Frame?> ReadAnyAsync() =>
        await frames.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(SafetyNet);

    public async Task SendAsync(params Frame[] f) => await frames.SendAsync(f, TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => frames.DisposeAsync();
}
