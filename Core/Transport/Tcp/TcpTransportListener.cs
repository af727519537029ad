// Accepts TCP-path connections on a listening socket.
using System.Net;
using System.Net.Sockets;

namespace P2PChat.Core.Transport.Tcp;

public sealed class TcpTransportListener : IDisposable
{
    private readonly Socket _socket;

    private TcpTransportListener(Socket socket) => _socket = socket;

    public static TcpTransportListener Bind(IPEndPoint local, int backlog = 128)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(local);
            socket.Listen(backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new TcpTransportListener(socket);
    }

    public EndPoint LocalEndPoint => _socket.LocalEndPoint!;

    public async Task<TcpTransportConnection> AcceptAsync(CancellationToken cancellationToken = default)
    {
        var accepted = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
        return new TcpTransportConnection(accepted, ConnectionRole.Server);
    }

    public void Dispose() => _socket.Dispose();
}
