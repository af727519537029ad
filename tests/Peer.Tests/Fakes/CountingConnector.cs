// A connector in front of another that counts connection attempts and can refuse them, to script a server that is down.
using System.Net.Sockets;
using P2PChat.Peer.Server;

namespace P2PChat.Peer.Tests.Fakes;

public sealed class CountingConnector(IServerConnector inner) : IServerConnector
{
    private int _attempts;

    /// <summary>While true, every attempt fails as a refused TCP connection.</summary>
    public volatile bool Refusing;

    public int Attempts => Volatile.Read(ref _attempts);

    public ValueTask<ServerLink> ConnectAsync(ServerAddress address, ServerPin pin, CancellationToken ct)
    {
        Interlocked.Increment(ref _attempts);
        if (Refusing) throw new SocketException((int)SocketError.ConnectionRefused);
        return inner.ConnectAsync(address, pin, ct);
    }
}
